"""A clip that fails to load: skipped and counted in training, an error in evaluation."""
import types

import numpy as np
import pytest

from unisign_fla.datasets import SignShardDataset, sign_collate
from unisign_fla.datasets.transforms import LoadShardSample, NormalizeKeypoints, PackSignInputs
from unisign_fla.engine import BadSampleHook, TooManyBadSamplesError
from unisign_fla.formats.shard_index import ShardFormatError, load_split_index

RECORDS = [dict(id=f'clip{i}', language='en', text=f'sentence {i}') for i in range(4)]
PIPELINE = [LoadShardSample(), NormalizeKeypoints(), PackSignInputs()]


def _corrupt_pose(index_path, sample_id):
    """Overwrite a sample's whole pose.npy member (header included) with random bytes."""
    sample = next(s for s in load_split_index(str(index_path)) if s.id == sample_id)
    offset, size = sample.members['pose.npy'][:2]
    with open(sample.shard, 'r+b') as f:
        f.seek(offset)
        f.write(np.random.default_rng(0).integers(0, 256, size, dtype=np.uint8).tobytes())


@pytest.fixture
def damaged_split(shard_set):
    index = shard_set('train', RECORDS)
    _corrupt_pose(index, 'clip2')
    return index


def test_training_set_replaces_a_bad_clip_and_collate_lists_it(damaged_split):
    dataset = SignShardDataset(str(damaged_split), pipeline=PIPELINE)
    assert dataset.bad_samples == 'skip'
    batch = sign_collate([dataset[i] for i in range(4)])
    # clip2 is replaced by the next clip: the batch keeps its size.
    assert [s['id'] for s in batch['data_samples']] == ['clip0', 'clip1', 'clip3', 'clip3']
    assert len(batch['inputs']['keypoints']) == 4
    [record] = batch['skipped']
    assert record['id'] == 'clip2' and 'ShardFormatError' in record['reason']
    alone = sign_collate([dataset[2]])        # a batch of one bad clip still trains
    assert [s['id'] for s in alone['data_samples']] == ['clip3']
    assert [r['id'] for r in alone['skipped']] == ['clip2']


def test_evaluation_set_fails_naming_shard_and_clip(damaged_split):
    dataset = SignShardDataset(str(damaged_split), pipeline=PIPELINE, test_mode=True)
    assert dataset.bad_samples == 'fail'
    with pytest.raises(ShardFormatError, match=r"synthsign-train-000000\.tar.*clip2"):
        dataset[2]
    with pytest.raises(ValueError, match='bad_samples'):
        SignShardDataset(str(damaged_split), pipeline=PIPELINE, bad_samples='ignore')


def test_a_stretch_of_bad_clips_is_a_clear_error(shard_set):
    index = shard_set('train', RECORDS)
    for record in RECORDS:
        _corrupt_pose(index, record['id'])
    dataset = SignShardDataset(str(index), pipeline=PIPELINE)
    with pytest.raises(ValueError, match=r'16 consecutive clips failed to load.*clip'):
        dataset[0]


def _runner(dataset_size, world_size=1):
    logged = []
    return types.SimpleNamespace(
        train_dataloader=types.SimpleNamespace(dataset=range(dataset_size)),
        world_size=world_size, logger=types.SimpleNamespace(warning=logged.append)), logged


def _batch(*ids):
    return {'inputs': {}, 'skipped': [{'id': i, 'reason': f'bad {i}'} for i in ids]}


def test_hook_removes_skipped_logs_each_clip_once_and_stops_over_the_share():
    runner, logged = _runner(dataset_size=300)
    hook = BadSampleHook(max_share=0.01)            # 3 clips of 300
    for ids in (('a',), ('a', 'b'), ('c',)):
        batch = _batch(*ids)
        hook.before_train_iter(runner, 0, batch)
        assert 'skipped' not in batch                 # the model never sees it
    assert len(logged) == 3 and "'b'" in logged[1]
    with pytest.raises(TooManyBadSamplesError, match=r"4 clips .* 'd': bad d"):
        hook.before_train_iter(runner, 0, _batch('d'))


def test_hook_refuses_incomplete_evaluation_batches():
    runner, _ = _runner(10)
    with pytest.raises(RuntimeError, match='validation set'):
        BadSampleHook().before_val_iter(runner, 0, _batch('x'))
