"""Hand crops for the RGB branch, cut once at extraction so that training never decodes videos.

Only frames that score-aware sampling may pick get a crop: those whose mean hand score exceeds the
threshold (docs/encoder.md). Each box is a square centred on the hand's confident joints with side
``scale`` x the larger extent (Uni-Sign uses 1.2). Boxes are computed for all frames at once;
only the cut-and-resize is per crop. Where a box leaves the image the crop is padded black: edge
replication or wrapping would invent hand pixels.
"""

import cv2
import numpy as np

from unisign_fla.keypoints import HAND_SCORE_THRESHOLD, HANDS, LEFT_HAND, RIGHT_HAND
from unisign_fla.structures.hand_crops import SampleCrops, make_hand_crops

HAND_INDICES = dict(zip(HANDS, (np.array(LEFT_HAND), np.array(RIGHT_HAND))))


def hand_boxes(pose: np.ndarray, hand_indices: np.ndarray, width: int, height: int,
               threshold: float = HAND_SCORE_THRESHOLD, scale: float = 1.2, min_side: int = 16
               ) -> tuple[np.ndarray, np.ndarray]:
    """Rows and integer square boxes ``(x0, y0, x1, y1)`` (end exclusive) of one hand.

    A row is kept when the hand's mean score exceeds ``threshold`` and its box overlaps the image.
    The side is capped at twice the image's longer side, so one wild joint cannot make a crop of
    gigabytes.
    """
    hand = np.asarray(pose, np.float32)[:, hand_indices]           # (T, 21, 3)
    x, y, score = hand[..., 0], hand[..., 1], hand[..., 2]
    valid = (score > threshold) & np.isfinite(x) & np.isfinite(y)
    keep = (np.nan_to_num(score).mean(axis=1) > threshold) & valid.any(axis=1)
    rows = np.flatnonzero(keep)
    valid, x, y = valid[rows], x[rows], y[rows]
    x0 = np.where(valid, x, np.inf).min(axis=1)
    x1 = np.where(valid, x, -np.inf).max(axis=1)
    y0 = np.where(valid, y, np.inf).min(axis=1)
    y1 = np.where(valid, y, -np.inf).max(axis=1)
    side = np.clip(scale * np.maximum(x1 - x0, y1 - y0), min_side, 2 * max(width, height))
    side = np.ceil(side).astype(np.int64)
    left = np.round((x0 + x1) / 2 - side / 2).astype(np.int64)
    top = np.round((y0 + y1) / 2 - side / 2).astype(np.int64)
    boxes = np.stack([left, top, left + side, top + side], axis=1)
    inside = (boxes[:, 2] > 0) & (boxes[:, 3] > 0) & (boxes[:, 0] < width) & (boxes[:, 1] < height)
    return rows[inside], boxes[inside]


def cut_crop(frame: np.ndarray, box, crop_size: int) -> np.ndarray:
    """The square ``box`` of ``frame`` resized to ``crop_size``, black outside the image."""
    x0, y0, x1, y1 = (int(v) for v in box)
    height, width = frame.shape[:2]
    ix0, iy0, ix1, iy1 = max(x0, 0), max(y0, 0), min(x1, width), min(y1, height)
    if (ix0, iy0, ix1, iy1) == (x0, y0, x1, y1):
        patch = frame[y0:y1, x0:x1]
    else:
        patch = np.zeros((y1 - y0, x1 - x0, 3), np.uint8)
        patch[iy0 - y0:iy1 - y0, ix0 - x0:ix1 - x0] = frame[iy0:iy1, ix0:ix1]
    # Area averaging only where bilinear would alias (>= 2x shrink); at smaller factors it is
    # four times slower in OpenCV for no visible gain.
    strong_shrink = x1 - x0 >= 2 * crop_size
    return cv2.resize(patch, (crop_size, crop_size),
                      interpolation=cv2.INTER_AREA if strong_shrink else cv2.INTER_LINEAR)


def extract_hand_crops(frames: np.ndarray, pose: np.ndarray, crop_size: int = 112,
                       threshold: float = HAND_SCORE_THRESHOLD, frames_bgr: bool = False
                       ) -> SampleCrops:
    """Both hands' crops (``structures.HandCrops``: uint8 (K, S, S, 3) RGB, boxes (K, 5) = row,
    x0, y0, x1, y1); ``frames`` (T, H, W, 3) and ``pose`` (T, 133, 3) share their rows. With
    ``frames_bgr`` only the crops are converted, not the whole frames."""
    if len(frames) != len(pose):
        raise ValueError(f'{len(frames)} frames but {len(pose)} pose rows')
    height, width = frames.shape[1:3]
    out = {}
    for hand, indices in HAND_INDICES.items():
        rows, boxes = hand_boxes(pose, indices, width, height, threshold)
        crops = np.empty((len(rows), crop_size, crop_size, 3), np.uint8)
        for k, (row, box) in enumerate(zip(rows, boxes)):
            crops[k] = cut_crop(frames[row], box, crop_size)
        if frames_bgr and len(crops):
            flat = crops.reshape(-1, crop_size, 3)
            cv2.cvtColor(flat, cv2.COLOR_BGR2RGB, dst=flat)
        out[hand] = make_hand_crops(crops, rows, boxes)
    return out
