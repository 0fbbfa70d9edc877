"""Uni-Sign's crops against the crops its own code cut from the reference cases' videos."""
import os
import sys

import cv2
import numpy as np
import pytest
from safetensors.numpy import load_file

from tests.conftest import shared_data_dir
from unisign_fla.datasets.unisign_hand_crops import (
    IMAGENET_MEAN,
    IMAGENET_STD,
    UniSignHandCrops,
    cut_crop,
    sample_hand_frames,
    unisign_hand_crops,
)
from unisign_fla.formats.safe_pickle import load_restricted_pickle

# The numpy seeds the reference draws used (found by trying small seeds; the draw order is
# left hand, then right hand, as in Uni-Sign).
DRAW_SEEDS = {'zh_single': 0, 'en_long': 1}
CASES = ('zh_single', 'en_long', 'zh_no_hands')


def load_case(name):
    folder = os.path.join(shared_data_dir(), 'unisign_reference', 'cases', name)
    pose = load_restricted_pickle(os.path.join(folder, 'pose.pkl'), allow_arrays=True)
    capture = cv2.VideoCapture(os.path.join(folder, 'video.mp4'))
    frames = []
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        frames.append(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
    frames = np.stack(frames)
    height, width = frames.shape[1:3]
    pixels = np.stack([k[0] for k in pose['keypoints']]) * np.array([width, height], np.float32)
    scores = np.stack([s[0] for s in pose['scores']])
    golden = load_file(os.path.join(folder, 'golden.safetensors'))
    return frames, pixels, scores, golden


def crops_at_reference_indices(name):
    frames, pixels, _, golden = load_case(name)
    left, right = (golden[f'rgb.{hand}_sampled_indices'] for hand in ('left', 'right'))
    return unisign_hand_crops(frames, pixels, left[left >= 0], right[right >= 0]), golden


@pytest.mark.parametrize('name', CASES)
def test_crops_and_priors_match_the_reference(name):
    pytest.importorskip('PIL')
    out, golden = crops_at_reference_indices(name)
    for hand in ('left', 'right'):
        np.testing.assert_array_equal(out[f'{hand}_sampled_indices'],
                                      golden[f'rgb.{hand}_sampled_indices'])
        # Measured: identical (Pillow's bicubic, as Uni-Sign resizes; OpenCV decodes the same
        # pixels as decord did).
        np.testing.assert_allclose(out[f'{hand}_hands'], golden[f'rgb.{hand}_hands'], atol=1e-6)
        np.testing.assert_allclose(out[f'{hand}_skeletons_norm'],
                                   golden[f'rgb.{hand}_skeletons_norm'], atol=1e-5)


@pytest.mark.parametrize('name', ('zh_single', 'en_long'))
def test_opencv_bicubic_without_pillow_is_close(name, monkeypatch):
    monkeypatch.setitem(sys.modules, 'PIL', None)
    out, golden = crops_at_reference_indices(name)
    for hand in ('left', 'right'):
        diff = np.abs(out[f'{hand}_hands'] - golden[f'rgb.{hand}_hands'])
        # Measured on the two cases: mean 0.0042-0.0084, max 0.175 (normalised units).
        assert diff.mean() < 0.01 and diff.max() < 0.25


@pytest.mark.parametrize('name', ('zh_single', 'en_long'))
def test_score_aware_draw_repeats_the_reference(name):
    _, _, scores, golden = load_case(name)
    rng = np.random.RandomState(DRAW_SEEDS[name])
    for hand in ('left', 'right'):
        np.testing.assert_array_equal(sample_hand_frames(scores, hand, rng=rng),
                                      golden[f'rgb.{hand}_sampled_indices'])


def test_no_hands_case_gets_placeholders():
    frames, pixels, scores, golden = load_case('zh_no_hands')
    for hand in ('left', 'right'):
        assert len(sample_hand_frames(scores, hand)) == 0
    out = UniSignHandCrops()({'frames': frames, 'pose': np.dstack([pixels, scores])})
    for hand in ('left', 'right'):
        np.testing.assert_array_equal(out['unisign_rgb'][f'{hand}_sampled_indices'], [-1])
        np.testing.assert_array_equal(out['unisign_rgb'][f'{hand}_hands'],
                                      golden[f'rgb.{hand}_hands'])
        assert out['unisign_rgb'][f'{hand}_skeletons_norm'].shape == (1, 21, 2)


def test_deterministic_choice_takes_the_least_sure_fingertips():
    scores = np.full((12, 133), 0.9, np.float32)
    scores[[1, 2], 91:112] = 0.1                         # not candidates (mean <= 0.3)
    scores[5, 95], scores[8, 111], scores[9, 99] = 0.2, 0.4, 0.4
    # 10 candidates -> ceil(1.0) = 1 frame; with fraction 0.3, 3: the lowest tip first, then
    # the tie 8 / 9 and the 0.9s in frame order.
    np.testing.assert_array_equal(sample_hand_frames(scores, 'left', deterministic=True), [5])
    np.testing.assert_array_equal(
        sample_hand_frames(scores, 'left', fraction=0.3, deterministic=True), [5, 8, 9])
    np.testing.assert_array_equal(
        sample_hand_frames(scores, 'left', fraction=0.4, deterministic=True), [0, 5, 8, 9])


def test_negative_box_start_counts_from_the_far_edge():
    frame = np.full((10, 10, 3), 200, np.uint8)
    # x0 = -2 is column 8 in numpy slicing, past x1 = 4: an empty cut, so an all-black crop.
    crop = cut_crop(frame, np.array([-2, 0, 4, 6]), 6)
    np.testing.assert_allclose(crop, np.broadcast_to((-IMAGENET_MEAN / IMAGENET_STD)[:, None, None],
                                                     (3, 112, 112)), atol=1e-6)
    assert crop.shape == (3, 112, 112) and crop.dtype == np.float32
