import numpy as np
import pytest
import torch
from mmengine.registry import init_default_scope

from unisign_fla.datasets import (
    LoadShardSample,
    NormalizeKeypoints,
    PackSignInputs,
    SampleFrames,
    SignShardDataset,
    sign_collate,
)

RECORDS = [dict(id=f'clip{i}', language='en', text=f'sentence {i}', gloss=['A', f'G{i}'],
                signer='s1') for i in range(5)]
RECORDS[4] = dict(id='clip4', language='en', label='hello', signer='s1')   # ISLR-only clip


def _pipeline(random=False, with_crops=False, max_frames=256):
    return [LoadShardSample(with_crops=with_crops), NormalizeKeypoints(),
            SampleFrames(max_frames=max_frames, random=random), PackSignInputs()]


def test_targets_per_task_and_skipping(shard_set):
    index = shard_set('train', RECORDS)
    slt = SignShardDataset(str(index), task='slt', pipeline=_pipeline())
    assert len(slt) == 4                                   # the ISLR-only clip has no sentence
    assert slt[1]['data_samples']['target'] == 'sentence 1'
    cslr = SignShardDataset(str(index), task='cslr', pipeline=_pipeline())
    assert cslr[2]['data_samples']['target'] == 'A G2'
    islr = SignShardDataset(str(index), task='islr', pipeline=_pipeline())
    assert len(islr) == 1 and islr[0]['data_samples']['target'] == 'hello'


def test_sample_is_normalised_and_deterministic_in_eval(shard_set):
    index = shard_set('test', RECORDS, frames=20)
    dataset = SignShardDataset(str(index), pipeline=_pipeline(max_frames=8), test_mode=True)
    a, b = dataset[0], dataset[0]
    assert a['inputs']['keypoints'].shape == (8, 69, 3)
    assert torch.equal(a['inputs']['keypoints'], b['inputs']['keypoints'])
    assert a['inputs']['keypoints'][..., :2].abs().max() <= 2.0


def test_training_sampling_is_random_and_sorted(shard_set):
    index = shard_set('train', RECORDS, frames=40)
    dataset = SignShardDataset(str(index), pipeline=[
        LoadShardSample(), NormalizeKeypoints(), SampleFrames(max_frames=10, random=True)])
    np.random.seed(0)
    rows = [dataset[0]['frame_rows'] for _ in range(3)]
    assert all(np.all(np.diff(r) > 0) for r in rows)
    assert not all(np.array_equal(rows[0], r) for r in rows[1:])


def test_collate_pads_masks_and_flattens_crops(shard_set):
    index = shard_set('train', RECORDS, frames=10)
    dataset = SignShardDataset(str(index), pipeline=_pipeline(with_crops=True, max_frames=6),
                               test_mode=True)
    batch = sign_collate([dataset[0], dataset[1]])
    inputs = batch['inputs']
    assert inputs['keypoints'].shape == (2, 6, 69, 3)
    assert inputs['mask'].all()
    # Frames 0, 2, ..., 8 had left-hand crops; 6 evenly spaced frames of 10 keep some of them,
    # renumbered to the sampled timeline.
    assert inputs['crops'].dtype == torch.uint8 and inputs['crops'].shape[1:] == (16, 16, 3)
    assert len(inputs['crops']) == len(inputs['crop_index']) == len(inputs['crop_boxes'])
    assert inputs['crop_index'][:, 1].max() < 6 and set(inputs['crop_index'][:, 2].tolist()) == {0}
    assert [s['id'] for s in batch['data_samples']] == ['clip0', 'clip1']


def test_variable_lengths_are_padded_with_a_mask(shard_set):
    index = shard_set('train', RECORDS, frames=10)
    dataset = SignShardDataset(str(index), pipeline=_pipeline(max_frames=7), test_mode=True)
    short = dataset[0]
    short['inputs']['keypoints'] = short['inputs']['keypoints'][:3]
    batch = sign_collate([short, dataset[1]])
    assert batch['inputs']['mask'].sum(1).tolist() == [3, 7]
    assert not batch['inputs']['keypoints'][0, 3:].any()


def test_missing_index_and_unknown_task_are_clear_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match='nothere.index.json'):
        SignShardDataset(str(tmp_path / 'nothere.index.json'), pipeline=[])
    with pytest.raises(ValueError, match='task must be one of'):
        SignShardDataset(str(tmp_path / 'x.json'), task='asr', pipeline=[])


def test_pipeline_builds_from_config_registry(shard_set):
    init_default_scope('unisign_fla')
    index = shard_set('train', RECORDS)
    dataset = SignShardDataset(str(index), pipeline=[
        dict(type='LoadShardSample'), dict(type='NormalizeKeypoints'),
        dict(type='RandomKeypointAffine'), dict(type='SampleFrames', random=True),
        dict(type='PackSignInputs')])
    assert dataset[0]['inputs']['keypoints'].shape == (12, 69, 3)
