"""Uni-Sign keypoint normalisation, with the aspect ratio kept.

Shards store pixels (docs/formats.md); normalisation happens here so that it can change without
re-extracting. Uni-Sign divides x by W and y by H separately, which squashes the signer whenever
the video is not square; we map a *square* body box to [-1, 1] instead (docs/formats.md).
"""
import numpy as np

from unisign_fla.keypoints import JOINT_SCORE_THRESHOLD, PART_ORDER, UNISIGN_PARTS

UNISIGN_INDICES = np.concatenate([np.asarray(UNISIGN_PARTS[p].indices) for p in PART_ORDER])


def normalize_unisign(pose: np.ndarray,
                      score_threshold: float = JOINT_SCORE_THRESHOLD) -> np.ndarray:
    """Normalise a clip of COCO-WholeBody keypoints for the part encoder.

    Args:
        pose: (T, 133, 3) x, y in source pixels and a score.
        score_threshold: joints scoring at or below it are treated as missing.

    Returns:
        (T, 69, 3) float32 in the part order of ``PART_ORDER``: body joints in the square body box
        mapped to [-1, 1]; hand joints relative to their wrist and face joints relative to the nose
        tip, divided by the same half-side; missing joints are all zero (coordinates and score).
    """
    if pose.ndim != 3 or pose.shape[1:] != (133, 3):
        raise ValueError(f'expected keypoints of shape (T, 133, 3), got {pose.shape}')
    points = pose[:, UNISIGN_INDICES].astype(np.float32)          # (T, 69, 3)
    xy, score = points[..., :2], points[..., 2]
    valid = score > score_threshold

    body = slice(0, UNISIGN_PARTS['body'].num_joints)
    body_valid = valid[:, body]
    if body_valid.any():
        body_xy = xy[:, body][body_valid]
    elif valid.any():   # no reliable body joint anywhere: fall back to whatever was seen
        body_xy = xy[valid]
    else:
        return np.zeros_like(points)
    low, high = body_xy.min(axis=0), body_xy.max(axis=0)
    centre = (low + high) / 2
    half_side = max(float((high - low).max()) / 2, 1e-3)

    out = np.empty_like(points)
    out[..., 2] = score
    out[:, body, :2] = (xy[:, body] - centre) / half_side
    start = UNISIGN_PARTS['body'].num_joints
    for name in PART_ORDER[1:]:
        part = UNISIGN_PARTS[name]
        part_slice = slice(start, start + part.num_joints)
        root = xy[:, start + part.root][:, None]                 # (T, 1, 2)
        out[:, part_slice, :2] = (xy[:, part_slice] - root) / half_side
        # A part whose root is missing has no reference point: treat the whole frame as missing.
        valid[:, part_slice] &= valid[:, start + part.root][:, None]
        start += part.num_joints
    out[~valid] = 0.0
    return out
