"""Random bytes over one training clip's poses: the clip is skipped and named, never trained on;
over the allowed share, the run stops with a clear error instead of saving a poisoned model."""
import shutil

import numpy as np
import pytest
import torch

from tests.tools.conftest import data_options, schedule_options
from tests.tools.test_train_and_test import STAGE1, train_tool
from unisign_fla.engine import TooManyBadSamplesError
from unisign_fla.engine.checkpoint import load_checkpoint
from unisign_fla.formats.shard_index import load_split_index


def _damaged_copy(tiny_synthsign, tmp_path):
    """The shards, with the pose data (not the .npy header) of one training clip overwritten."""
    shards = tmp_path / 'shards'
    shutil.copytree(tiny_synthsign / 'shards', shards)
    sample = load_split_index(str(shards / 'synthsign-train.index.json'))[3]
    offset, size = sample.members['pose.npy'][:2]
    with open(sample.shard, 'r+b') as f:
        f.seek(offset + 128)
        f.write(np.random.default_rng(0).integers(0, 256, size - 128, np.uint8).tobytes())
    return shards, sample.id


def _train(tiny_synthsign, shards, work_dir, max_share):
    train_tool.main([STAGE1, '--work-dir', str(work_dir), '--cfg-options',
                     f'model.head.tokenizer_dir={tiny_synthsign / "tokenizer"}',
                     *data_options(shards), *schedule_options(6, batch_size=8),
                     f'custom_hooks.3.max_share={max_share}'])


def test_a_damaged_clip_is_skipped_and_named(tiny_synthsign, tmp_path, caplog):
    shards, bad_id = _damaged_copy(tiny_synthsign, tmp_path)
    _train(tiny_synthsign, shards, tmp_path / 'run', max_share=0.1)   # 1 of 16 clips
    log = '\n'.join(open(p).read() for p in (tmp_path / 'run').glob('*/*.log'))
    assert f"skipped clip '{bad_id}'" in log and 'does not match the index' in log
    state = load_checkpoint(str(tmp_path / 'run' / 'iter_6.pth'))['state_dict']
    assert all(torch.isfinite(v).all() for v in state.values() if v.is_floating_point())


def test_more_bad_clips_than_allowed_stop_the_run(tiny_synthsign, tmp_path):
    shards, bad_id = _damaged_copy(tiny_synthsign, tmp_path)
    with pytest.raises(TooManyBadSamplesError, match=f"1 clips .*{bad_id}.*validate"):
        _train(tiny_synthsign, shards, tmp_path / 'run', max_share=0.01)
    assert not list((tmp_path / 'run').glob('*.pth'))
