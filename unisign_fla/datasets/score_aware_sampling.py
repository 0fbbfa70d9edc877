"""Score-aware choice of the hand crops that the RGB branch sees (Uni-Sign).

Encoding every hand crop of a clip with the RGB backbone is far too costly, and most frames add
little: where the pose estimator is confident about the fingers, the keypoints already say what
the hand does. Uni-Sign therefore spends RGB on a small fraction of frames, preferring those whose
fingertips the estimator is *least* sure of, among frames where the hand itself was found.

``ScoreAwareCropSampling`` runs right after ``LoadShardSample(with_crops=True)``, because it needs
the raw pixel ``results['pose']`` (before normalisation) to place each hand joint inside its crop.
Only the chosen crops are kept, so everything downstream (frame sampling, packing, collation and
the RGB encoder) handles just those.
"""
import numpy as np

from unisign_fla.keypoints import FINGERTIPS, HAND_SCORE_THRESHOLD, HANDS, UNISIGN_PARTS
from unisign_fla.registry import TRANSFORMS
from unisign_fla.structures.hand_crops import XYXY, HandCrops, crop_rows, select_crops

# Keeps every candidate drawable in training, even one whose fingertips all score 1.
UNRELIABILITY_EPS = 1e-3


@TRANSFORMS.register_module()
class ScoreAwareCropSampling:
    """Keep, per hand, the crops of a few frames chosen by keypoint scores.

    Candidates are the frames that have a crop in the shard and whose mean score over the hand's
    21 joints is above ``hand_score_threshold``. Each candidate's unreliability is
    ``1 - mean score of the five fingertips`` (hand-local COCO-WholeBody joints 4, 8, 12, 16 and
    20: the thumb, index, middle, ring and pinky tips; 0 is the wrist). ``round(fraction * K)``
    crops are kept per hand for ``K`` candidates (at least one if any candidate exists and
    ``fraction > 0``).

    Args:
        fraction: share of a hand's candidate frames that get a crop (Uni-Sign: about 10 %).
        hand_score_threshold: a frame is a candidate when the hand's mean joint score exceeds it
            (Uni-Sign: 0.3, the threshold extraction cuts crops with).
        random: training mode, drawing without replacement with probability proportional to the
            unreliability (plus a small epsilon, so every candidate can be drawn). Otherwise
            (evaluation) the least reliable candidates are taken, ties broken by frame order.

    Each ``results[hand]`` becomes the chosen ``structures.HandCrops`` in frame order, with
    ``joints`` (K, 21, 2) float32: the hand's joints inside each
    crop, in [0, 1] relative to the box ``x0, y0, x1, y1``: joints outside the box are clipped to
    its border and a degenerate box counts as at least 1 px wide, so values are always finite.
    """

    def __init__(self, fraction: float = 0.1, hand_score_threshold: float = HAND_SCORE_THRESHOLD,
                 random: bool = True):
        if fraction < 0:
            raise ValueError(f'fraction must be >= 0, got {fraction}')
        self.fraction = fraction
        self.hand_score_threshold = hand_score_threshold
        self.random = random

    def __call__(self, results: dict) -> dict:
        missing = [hand for hand in HANDS if results.get(hand, {}).get('crops') is None]
        if missing:
            raise ValueError(f'ScoreAwareCropSampling needs the crops of {missing}: put it after '
                             f'LoadShardSample(with_crops=True)')
        pose = results['pose']
        for hand in HANDS:
            indices = np.asarray(UNISIGN_PARTS[hand].indices)
            results[hand] = self._sample_hand(pose, results[hand], indices)
        return results

    def num_crops(self, num_candidates: int) -> int:
        """Crops kept for a hand with ``num_candidates`` candidate frames."""
        if self.fraction == 0 or num_candidates == 0:
            return 0
        return min(num_candidates, max(1, int(self.fraction * num_candidates + 0.5)))

    def _sample_hand(self, pose: np.ndarray, hand: HandCrops, indices: np.ndarray) -> HandCrops:
        rows = crop_rows(hand)
        scores = pose[rows][:, indices, 2]                                  # (K, 21)
        candidates = np.flatnonzero(scores.mean(axis=1) > self.hand_score_threshold)
        tip_scores = scores[candidates][:, list(FINGERTIPS)].mean(axis=1)
        num = self.num_crops(len(candidates))
        if self.random and num:
            weights = np.clip(1.0 - tip_scores, 0.0, 1.0) + UNRELIABILITY_EPS
            picked = np.random.choice(len(candidates), num, replace=False,
                                      p=weights / weights.sum())
        else:
            picked = np.lexsort((rows[candidates], tip_scores))[:num]
        chosen = candidates[picked]
        chosen = chosen[np.argsort(rows[chosen], kind='stable')]          # frame order
        sampled = select_crops(hand, chosen)
        sampled['joints'] = joints_in_boxes(pose[rows[chosen]][:, indices, :2],
                                            sampled['boxes'][:, XYXY])
        return sampled


def joints_in_boxes(xy: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """Joint positions relative to their crop box, in [0, 1].

    Args:
        xy: (K, J, 2) joint pixels.
        boxes: (K, 4) ``x0, y0, x1, y1`` pixels of each joint set's box.

    Returns:
        (K, J, 2) float32; a box side under 1 px counts as 1 px, and positions are clipped.
    """
    origin = boxes[:, None, :2]
    size = np.maximum(boxes[:, None, 2:] - origin, 1.0)
    return np.clip((xy - origin) / size, 0.0, 1.0).astype(np.float32)
