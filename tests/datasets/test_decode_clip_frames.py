"""Uni-Sign's crop path from a shard sample: DecodeClipFrames -> UniSignHandCrops ->
PackSignInputs -> sign_collate, on a reference case's video."""
import os

import numpy as np
import pytest
import torch

from tests.conftest import shared_data_dir
from tests.datasets.test_unisign_hand_crops import load_case
from unisign_fla.datasets import DecodeClipFrames, PackSignInputs, UniSignHandCrops, sign_collate
from unisign_fla.extraction.video_reader import VideoReadError


def results_of(name, rows=None):
    frames, pixels, scores, _ = load_case(name)
    pose = np.concatenate([pixels, scores[..., None]], axis=-1)
    results = {'pose': pose, 'keypoints': np.zeros((len(pose), 69, 3), np.float32),
               'meta': {'id': name, 'video': os.path.join(name, 'video.mp4'),
                        'frame_indices': list(range(len(pose)))}}
    if rows is not None:
        results.update(frame_rows=rows, keypoints=results['keypoints'][rows])
    return results, frames


def test_frames_follow_the_sampled_rows():
    root = os.path.join(shared_data_dir(), 'unisign_reference', 'cases')
    rows = np.array([0, 3, 7, 20])
    results, frames = results_of('zh_single', rows)
    out = DecodeClipFrames(root)(results)
    np.testing.assert_array_equal(out['frames'], frames[rows])
    results['meta']['frame_indices'] = list(range(30, 30 + len(frames)))
    with pytest.raises(VideoReadError, match='needs frames up to 50, the video has 39'):
        DecodeClipFrames(root)(results)


def test_crops_pack_and_collate_per_hand():
    pytest.importorskip('PIL')
    root = os.path.join(shared_data_dir(), 'unisign_reference', 'cases')
    pipeline = (DecodeClipFrames(root), UniSignHandCrops(deterministic=True), PackSignInputs())
    samples = []
    for name in ('zh_single', 'zh_no_hands'):
        results = results_of(name)[0]
        for transform in pipeline:
            results = transform(results)
        samples.append(results)
    first = samples[0]['inputs']['unisign_rgb']
    assert (first['left_sampled_indices'] >= 0).all() and len(first['left_hands'])
    inputs = sign_collate(samples)['inputs']
    for hand in ('left', 'right'):
        crops = len(samples[0]['inputs']['unisign_rgb'][f'{hand}_sampled_indices'])
        assert inputs[f'{hand}_batch_index'].tolist() == [0] * crops + [1]   # + a placeholder
        assert inputs[f'{hand}_sampled_indices'][-1] == -1
        assert inputs[f'{hand}_hands'].shape == (crops + 1, 3, 112, 112)
        assert inputs[f'{hand}_skeletons_norm'].dtype == torch.float32
