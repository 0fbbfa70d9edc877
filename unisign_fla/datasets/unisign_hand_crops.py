"""Uni-Sign's own hand crops and frame choice, for models that load a checkpoint Uni-Sign trained.

Our shards hold per-frame crops cut at extraction (``extraction/hand_crops.py``), each box sized
to its own frame. Uni-Sign instead cuts, at load time, one square side for the whole clip from the
sampled frames of both hands, so its crops (and the joint priors inside them) can only be
reproduced from the decoded video frames. A checkpoint's RGB branch saw exactly these crops:

- frame choice (per hand): candidates are frames whose mean score over the hand's 21 joints
  exceeds 0.3; ``s`` = the lowest fingertip score; weights ``max(s) - s + 1e-5``;
  ``ceil(0.1 * n)`` frames without replacement, sorted;
- side: ``int(1.2 * (the largest joint-box width or height over both hands' sampled frames)
  / 2) * 2`` pixels, in float32 as Uni-Sign computes it;
- box: centred on the frame's joint-box centre, corners truncated towards zero to integers; cut by
  array slicing, so a negative start counts from the far edge as in numpy (not clamped), then
  zero-padded at the bottom / right to the side;
- 112 x 112 with bicubic resampling (Pillow's, antialiased, when installed, else OpenCV's),
  /255, ImageNet mean / std, channels first;
- priors (``skeletons_norm``): ``(joint pixels - box corner) / side`` clipped to [0, 1];
- a hand without sampled frames, or a side of 0, gets index -1, one zero crop and zero priors.
"""
from collections.abc import Sequence

import cv2
import numpy as np

from unisign_fla.keypoints import FINGERTIPS, LEFT_HAND, RIGHT_HAND
from unisign_fla.registry import TRANSFORMS

HAND_JOINTS = {'left': np.array(LEFT_HAND), 'right': np.array(RIGHT_HAND)}
SCORE_THRESHOLD = 0.3
CROP_SIZE = 112
BOX_SCALE = 1.2
IMAGENET_MEAN = np.array([0.485, 0.456, 0.406], np.float32)
IMAGENET_STD = np.array([0.229, 0.224, 0.225], np.float32)


def sample_hand_frames(scores: np.ndarray, hand: str, fraction: float = 0.1,
                       deterministic: bool = False,
                       rng: np.random.RandomState | None = None) -> np.ndarray:
    """Sorted frame indices of one hand's crops (empty if no frame is a candidate).

    Args:
        scores: (T, 133) keypoint scores.
        hand: ``'left'`` or ``'right'``.
        fraction: share of candidate frames kept, rounded up (Uni-Sign: 0.1).
        deterministic: take the frames with the largest weights (ties: earlier frame first)
            instead of drawing; Uni-Sign draws at test time too, which makes evaluation noisy.
        rng: the draw's generator; ``None`` uses numpy's global one, as Uni-Sign does, so the
            same global seed and call order (left, then right) repeat its draws.
    """
    hand_scores = np.asarray(scores)[:, HAND_JOINTS[hand]]
    candidates = np.flatnonzero(hand_scores.mean(axis=1) > SCORE_THRESHOLD)
    if len(candidates) == 0:
        return candidates
    tips = hand_scores[candidates][:, list(FINGERTIPS)].min(axis=1)
    weights = tips.max() - tips + 1e-5
    size = int(np.ceil(fraction * len(candidates)))
    if deterministic:
        order = np.lexsort((candidates, -weights))
        return np.sort(candidates[order[:size]])
    draw = np.random if rng is None else rng
    return np.sort(draw.choice(candidates, size=size, replace=False, p=weights / weights.sum()))


def clip_box_side(hands_xy: Sequence[np.ndarray]) -> int:
    """The clip's crop side from each hand's (K, 21, 2) joint pixels of its sampled frames."""
    extent = np.float32(0)
    for xy in hands_xy:
        size = xy.max(axis=1) - xy.min(axis=1)                        # (K, 2)
        extent = max(extent, size.max())
    return max(int(extent * np.float32(BOX_SCALE) / 2) * 2, 0)


def hand_boxes(xy: np.ndarray, side: int) -> np.ndarray:
    """(K, 4) int ``x0, y0, x1, y1``: squares of ``side`` centred on each joint box, truncated
    towards zero."""
    centre = (xy.max(axis=1) + xy.min(axis=1)) / 2
    return np.concatenate([centre - side / 2, centre + side / 2], axis=1).astype(np.int16)


def _resize(patch: np.ndarray) -> np.ndarray:
    try:
        from PIL import Image
    except ImportError:
        return cv2.resize(patch, (CROP_SIZE, CROP_SIZE), interpolation=cv2.INTER_CUBIC)
    return np.asarray(Image.fromarray(patch).resize((CROP_SIZE, CROP_SIZE), Image.BICUBIC))


def cut_crop(frame: np.ndarray, box: np.ndarray, side: int) -> np.ndarray:
    """(3, 112, 112) float32, ImageNet-normalised, from an RGB uint8 frame."""
    x0, y0, x1, y1 = (int(v) for v in box)
    patch = frame[y0:y1, x0:x1]
    patch = np.pad(patch, ((0, max(0, side - patch.shape[0])), (0, max(0, side - patch.shape[1])),
                           (0, 0)))
    pixels = _resize(np.ascontiguousarray(patch)).astype(np.float32) / np.float32(255)
    return ((pixels - IMAGENET_MEAN) / IMAGENET_STD).transpose(2, 0, 1)


def placeholder(hand: str) -> dict[str, np.ndarray]:
    """What a hand without crops gets: index -1, one zero crop, zero priors."""
    return {f'{hand}_sampled_indices': np.array([-1]),
            f'{hand}_hands': np.zeros((1, 3, CROP_SIZE, CROP_SIZE), np.float32),
            f'{hand}_skeletons_norm': np.zeros((1, 21, 2), np.float32)}


def unisign_hand_crops(frames, keypoints: np.ndarray, left_indices: np.ndarray,
                       right_indices: np.ndarray) -> dict[str, np.ndarray]:
    """Uni-Sign's crops of both hands at the given frames.

    Args:
        frames: ``frames[t]`` is frame t as RGB uint8 (H, W, 3), for every sampled t (an array
            of the whole clip, or a dict of just those frames).
        keypoints: (T, 133, 2+) joint pixels (x, y first).
        left_indices / right_indices: sorted frame indices of each hand's crops (may be empty).

    Returns:
        ``{hand}_sampled_indices`` (K,), ``{hand}_hands`` (K, 3, 112, 112) float32 and
        ``{hand}_skeletons_norm`` (K, 21, 2) float32 for ``hand`` in left, right.
    """
    chosen = {'left': np.asarray(left_indices, np.int64),
              'right': np.asarray(right_indices, np.int64)}
    xy = {hand: np.asarray(keypoints)[indices][:, HAND_JOINTS[hand], :2].astype(np.float32)
          for hand, indices in chosen.items() if len(indices)}
    side = clip_box_side(list(xy.values())) if xy else 0
    if side == 0:
        return {**placeholder('left'), **placeholder('right')}
    out = {}
    for hand, indices in chosen.items():
        if hand not in xy:
            out.update(placeholder(hand))
            continue
        boxes = hand_boxes(xy[hand], side)
        out[f'{hand}_sampled_indices'] = indices
        out[f'{hand}_hands'] = np.stack([cut_crop(np.asarray(frames[t]), box, side)
                                         for t, box in zip(indices, boxes)])
        priors = (xy[hand].astype(np.float64) - boxes[:, None, :2]) / side
        out[f'{hand}_skeletons_norm'] = np.clip(priors, 0, 1).astype(np.float32)
    return out


@TRANSFORMS.register_module()
class UniSignHandCrops:
    """Uni-Sign's score-aware frame choice and crops, from decoded frames.

    Needs ``results['pose']`` (T, 133, 3) pixels with scores and ``results['frames']``
    (``DecodeClipFrames``) RGB uint8, one per row of the keypoints: ``pose[frame_rows]`` when
    ``SampleFrames`` chose rows, as Uni-Sign cuts crops from its sampled frames. Adds
    ``results['unisign_rgb']``, the dict of ``unisign_hand_crops``, and drops the frames.

    Args:
        fraction: share of each hand's candidate frames that get a crop.
        deterministic: choose the frames by weight instead of drawing them (evaluation). Uni-Sign
            draws them at random at test time too, so its own scores vary from run to run.
    """

    def __init__(self, fraction: float = 0.1, deterministic: bool = False):
        if not 0 < fraction <= 1:
            raise ValueError(f'fraction must be in (0, 1], got {fraction}')
        self.fraction, self.deterministic = fraction, deterministic

    def __call__(self, results: dict) -> dict:
        pose = results['pose']
        if 'frame_rows' in results:
            pose = pose[results['frame_rows']]
        left, right = (sample_hand_frames(pose[..., 2], hand, self.fraction, self.deterministic)
                       for hand in ('left', 'right'))
        results['unisign_rgb'] = unisign_hand_crops(results.pop('frames'), pose, left, right)
        return results
