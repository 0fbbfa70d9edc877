"""Uni-Sign's own keypoint normalisation, for its checkpoints (``UniSignPoseEncoder``).

Our ``normalize_unisign`` keeps the signer's aspect ratio; Uni-Sign's checkpoints were trained
on x / W and y / H (each axis divided by its own side), so running them needs exactly that input
(docs/encoder.md, "Uni-Sign's architecture"). Shards hold pixels and the frame size in their
meta, which is all this needs.
"""
import numpy as np

from unisign_fla.datasets.normalization import UNISIGN_INDICES
from unisign_fla.keypoints import PART_ORDER, UNISIGN_PARTS

MIN_BODY_JOINTS = 4   # fewer reliable body joints over the clip: the whole clip becomes zeros


def normalize_unisign_squashed(pose: np.ndarray, width: float, height: float,
                               score_threshold: float = 0.3) -> np.ndarray:
    """Normalise a clip as Uni-Sign's data loader does.

    Args:
        pose: (T, 133, 3) x, y in pixels of a ``width`` x ``height`` frame, and a score.
        score_threshold: joints scoring at or below it become (0, 0, 0).

    Returns:
        (T, 69, 3) float32 in ``PART_ORDER``: body joints in the clip's square body box (from the
        x / W, y / H coordinates) mapped to [-1, 1]; hands relative to their wrist and the face
        to the nose tip, divided by the box's full side; every channel clipped to [-1, 1].
    """
    if pose.ndim != 3 or pose.shape[1:] != (133, 3):
        raise ValueError(f'expected keypoints of shape (T, 133, 3), got {pose.shape}')
    if width <= 0 or height <= 0:
        raise ValueError(f'frame size {width}x{height}: both sides must be positive')
    points = pose[:, UNISIGN_INDICES].astype(np.float32)
    xy = points[..., :2] / np.float32([width, height])
    score = points[..., 2:]
    body = slice(0, UNISIGN_PARTS['body'].num_joints)
    seen = xy[:, body][score[:, body, 0] > score_threshold]
    if len(seen) < MIN_BODY_JOINTS:
        return np.zeros_like(points)
    low, high = seen.min(axis=0), seen.max(axis=0)
    side = (high - low).max()
    if side == 0:
        return np.zeros_like(points)
    corner = (low + high - side) / 2

    out = np.empty_like(points)
    out[:, body, :2] = ((xy[:, body] - corner) / side - 0.5) * 2
    start = body.stop
    for name in PART_ORDER[1:]:
        part = UNISIGN_PARTS[name]
        part_slice = slice(start, start + part.num_joints)
        out[:, part_slice, :2] = (xy[:, part_slice] - xy[:, start + part.root, None]) / side
        start += part.num_joints
    out[..., 2:] = score
    out = np.clip(out, -1, 1)
    out[out[..., 2] <= score_threshold] = 0.0
    return out
