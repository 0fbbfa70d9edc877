import numpy as np
import pytest

from unisign_fla.datasets.normalization import normalize_unisign
from unisign_fla.keypoints import INDEX


def _clip(width_scale=1.0, frames=4):
    rng = np.random.default_rng(0)
    pose = np.zeros((frames, 133, 3), np.float32)
    pose[..., 0] = rng.uniform(100, 300, (frames, 133)) * width_scale
    pose[..., 1] = rng.uniform(50, 250, (frames, 133))
    pose[..., 2] = 0.9
    return pose


def test_body_in_unit_box_and_aspect_ratio_kept():
    pose = _clip()
    out = normalize_unisign(pose)
    assert out.shape == (4, 69, 3) and out.dtype == np.float32
    body = out[:, :9, :2]
    assert body.min() >= -1 - 1e-6 and body.max() <= 1 + 1e-6
    # Stretching x by 2 must not squash y: a square box keeps the aspect ratio (unlike Uni-Sign).
    wide = normalize_unisign(_clip(width_scale=2.0))
    xy, wide_xy = out[:, :9, :2], wide[:, :9, :2]
    ratio_before = np.ptp(xy[..., 0]) / np.ptp(xy[..., 1])
    ratio_after = np.ptp(wide_xy[..., 0]) / np.ptp(wide_xy[..., 1])
    assert ratio_after == pytest.approx(2 * ratio_before, rel=1e-4)


def test_hands_relative_to_wrist_face_relative_to_nose_tip():
    out = normalize_unisign(_clip())
    assert np.allclose(out[:, 9, :2], 0)     # left-hand wrist is its own origin
    assert np.allclose(out[:, 30, :2], 0)    # right-hand wrist
    assert np.allclose(out[:, 68, :2], 0)    # face root: nose tip, last


def test_low_score_joints_are_zeroed():
    pose = _clip()
    pose[:, INDEX['left_elbow'], 2] = 0.2
    pose[1, 91, 2] = 0.1           # left wrist missing in frame 1 -> whole left hand missing
    out = normalize_unisign(pose)
    assert np.all(out[:, 5] == 0)  # body-local index of left_elbow
    assert np.all(out[1, 9:30] == 0)
    assert np.any(out[0, 10:30] != 0)


def test_no_valid_joint_gives_zeros_and_bad_shape_raises():
    pose = _clip()
    pose[..., 2] = 0.0
    assert not normalize_unisign(pose).any()
    with pytest.raises(ValueError, match=r'\(T, 133, 3\)'):
        normalize_unisign(np.zeros((3, 69, 3)))
