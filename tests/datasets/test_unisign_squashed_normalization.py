"""Uni-Sign's own normalisation: pose pickles read as a user's extraction would read them give
exactly the encoder inputs Uni-Sign's loader gave (reference cases), and the edge cases."""
import json
import os
import pickle

import numpy as np
import pytest
from mmengine.config import Config
from safetensors.numpy import load_file

from tests.models.encoders.unisign_checkpoint import reference_dir
from unisign_fla.datasets.transforms import NormalizeKeypoints
from unisign_fla.datasets.unisign_squashed_normalization import normalize_unisign_squashed
from unisign_fla.extraction.backends import PrecomputedBackend
from unisign_fla.extraction.backends.base import ClipContext
from unisign_fla.keypoints import PART_ORDER, UNISIGN_PARTS
from unisign_fla.registry import TRANSFORMS

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CASES = ('zh_single', 'en_long', 'zh_no_hands')
GOLDEN_PARTS = ('body', 'left', 'right', 'face_all')   # Uni-Sign's names, in PART_ORDER


def imported_pixels(case_dir: str) -> tuple:
    """(pose (T, 133, 3) in pixels, width, height), through ``--backend precomputed``."""
    with open(os.path.join(case_dir, 'pose.pkl'), 'rb') as f:
        width, height = (int(v) for v in pickle.load(f)['w_h'])
    with open(os.path.join(case_dir, 'golden.json')) as f:
        frames = json.load(f)['frames']
    context = ClipContext(case_dir, 'video.mp4', 25.0, width, height, list(range(frames)))
    pose = PrecomputedBackend().estimate(None, {'id': 'c', 'keypoints': 'pose.pkl'}, context)
    return pose, width, height


@pytest.mark.parametrize('case', CASES)
def test_reference_cases_match_unisign(case):
    case_dir = os.path.join(reference_dir(), 'cases', case)
    golden = load_file(os.path.join(case_dir, 'golden.safetensors'))
    pose, width, height = imported_pixels(case_dir)
    ours = normalize_unisign_squashed(pose, width, height)
    start = 0
    for name, golden_name in zip(PART_ORDER, GOLDEN_PARTS):
        count = UNISIGN_PARTS[name].num_joints
        np.testing.assert_allclose(ours[:, start:start + count], golden[f'parts.{golden_name}'],
                                   atol=1e-5, rtol=0)
        start += count


def clip(num_frames=6, seed=0):
    rng = np.random.default_rng(seed)
    pose = np.zeros((num_frames, 133, 3), np.float32)
    pose[..., 0] = rng.uniform(100, 220, (num_frames, 133))
    pose[..., 1] = rng.uniform(50, 200, (num_frames, 133))
    pose[..., 2] = 0.9
    return pose


def test_each_axis_by_its_own_side_and_missing_joints_zero():
    pose = clip()
    pose[2, 91 + 5, 2] = 0.3              # at the threshold: missing
    wide = normalize_unisign_squashed(pose, 640, 240)
    assert wide.dtype == np.float32 and wide.shape == (6, 69, 3)
    assert np.abs(wide).max() <= 1
    assert not wide[2, 9 + 5].any()
    # scaling x and the width together changes nothing: coordinates are x / W
    stretched = pose.copy()
    stretched[..., 0] *= 2
    np.testing.assert_allclose(normalize_unisign_squashed(stretched, 1280, 240), wide, atol=1e-6)


def test_fewer_than_four_body_joints_make_the_clip_zeros():
    pose = clip()
    body = list(UNISIGN_PARTS['body'].indices)
    pose[:, body, 2] = 0.1
    pose[0, body[:3], 2] = 0.9             # three reliable body joints in the whole clip
    assert not normalize_unisign_squashed(pose, 320, 240).any()
    pose[1, body[0], 2] = 0.9              # a fourth one
    assert normalize_unisign_squashed(pose, 320, 240).any()
    with pytest.raises(ValueError, match='both sides must be positive'):
        normalize_unisign_squashed(pose, 0, 240)


def test_transform_reads_the_frame_size_from_meta():
    pose = clip()
    results = NormalizeKeypoints(mode='uni_sign')({'pose': pose,
                                                   'meta': {'width': 640, 'height': 240}})
    np.testing.assert_array_equal(results['keypoints'], normalize_unisign_squashed(pose, 640, 240))
    with pytest.raises(ValueError, match="mode='squashed', expected one of"):
        NormalizeKeypoints(mode='squashed')


def test_long_clips_are_sampled_before_they_are_normalised():
    """Uni-Sign picks a long clip's frames first and normalises only those (its body box comes
    from them): the compatibility pipeline, as configured, does the same."""
    case_dir = os.path.join(reference_dir(), 'cases', 'en_long')
    pose, width, height = imported_pixels(case_dir)
    cfg = Config.fromfile(os.path.join(REPO, 'configs/_base_/datasets/unisign_compat_pipelines.py'))
    steps = [TRANSFORMS.build(dict(step, max_frames=64) if step['type'] == 'SampleFrames' else step)
             for step in cfg.uni_sign_test_pipeline[1:-1]]           # without loading and packing
    results = {'pose': pose, 'meta': {'width': width, 'height': height}}
    for step in steps:
        results = step(results)
    rows = np.linspace(0, len(pose) - 1, 64).round().astype(np.int64)
    np.testing.assert_array_equal(results['frame_rows'], rows)
    np.testing.assert_allclose(results['keypoints'],
                               normalize_unisign_squashed(pose[rows], width, height), atol=1e-7)
    whole_clip_first = normalize_unisign_squashed(pose, width, height)[rows]
    assert np.abs(results['keypoints'] - whole_clip_first).max() > 1e-3
