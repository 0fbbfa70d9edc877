"""Which frames of a clip give the RGB branch a hand crop, as evaluation chooses them.

The figures show the choice that a model sees at test time, so they run the same
``ScoreAwareCropSampling`` in its deterministic (evaluation) mode on the shard's crops rather than
re-deriving the rule.
"""
from dataclasses import dataclass

import numpy as np

from unisign_fla.datasets.score_aware_sampling import ScoreAwareCropSampling
from unisign_fla.keypoints import FINGERTIPS, HANDS, UNISIGN_PARTS
from unisign_fla.structures.hand_crops import XYXY, crop_rows

# Short names for labels: 'L crop', 'R crop'.
HAND_LETTERS = {'left_hand': 'L', 'right_hand': 'R'}


@dataclass
class CropChoice:
    """One hand of one clip: its mean joint score per pose row and its fingertips' (the lowest
    of which get the crops), the rows that have a crop in the shard, the candidates (crop rows
    whose hand mean score is above the sampler's threshold) and the rows chosen with their crops
    (K, S, S, 3) RGB and boxes (K, 4) ``x0, y0, x1, y1`` px."""
    scores: np.ndarray
    tip_scores: np.ndarray
    crop_rows: np.ndarray
    candidates: np.ndarray
    chosen: np.ndarray
    chosen_crops: np.ndarray
    chosen_boxes: np.ndarray


def hand_scores(pose: np.ndarray, hand: str, joints=None) -> np.ndarray:
    """(T,) mean score over the hand's 21 joints, or over its hand-local ``joints``."""
    indices = np.asarray(UNISIGN_PARTS[hand].indices)
    return pose[:, indices if joints is None else indices[list(joints)], 2].mean(axis=1)


def choose_crops(sample: dict, fraction: float = 0.1) -> dict[str, CropChoice]:
    """Per hand, the crop choice of ``ScoreAwareCropSampling(fraction, random=False)`` for a
    sample from ``read_sample(..., with_crops=True)`` (left unchanged)."""
    sampler = ScoreAwareCropSampling(fraction=fraction, random=False)
    chosen = sampler({'pose': sample['pose'], **{hand: dict(sample[hand]) for hand in HANDS}})
    out = {}
    for hand in HANDS:
        scores = hand_scores(sample['pose'], hand)
        rows = crop_rows(sample[hand])
        out[hand] = CropChoice(
            scores=scores, tip_scores=hand_scores(sample['pose'], hand, FINGERTIPS),
            crop_rows=rows,
            candidates=rows[scores[rows] > sampler.hand_score_threshold],
            chosen=crop_rows(chosen[hand]), chosen_crops=chosen[hand]['crops'],
            chosen_boxes=chosen[hand]['boxes'][:, XYXY])
    return out
