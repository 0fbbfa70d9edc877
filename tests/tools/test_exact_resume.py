"""A run killed with SIGKILL and resumed trains exactly as an uninterrupted one: same losses,
bit for bit, with dropout and augmentation on, and with another number of loader workers."""
import os
import signal
import subprocess
import sys
import time

import pytest

from tests.tools.conftest import REPO, read_losses
from tests.tools.test_train_and_test import _stage1_args, train_tool

MAX_ITERS = 8
RANDOM_PARTS = ['model.encoder.dropout=0.2', 'model.head.dropout=0.2',   # augmentation is on
                'log_processor.window_size=1']                           # in the train pipeline


def _args(data, work_dir, workers):
    return _stage1_args(data, work_dir, MAX_ITERS, checkpoint_interval=2, batch_size=4) + [
        *RANDOM_PARTS, f'train_dataloader.num_workers={workers}']


def _kill_after_first_checkpoint(args, work_dir, timeout=300):
    process = subprocess.Popen([sys.executable, os.path.join(REPO, 'tools', 'train.py'), *args],
                               cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + timeout
    while not (work_dir / 'last_checkpoint').exists():
        assert process.poll() is None and time.time() < deadline, process.stderr.read()[-3000:]
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()


@pytest.mark.slow   # 19 s here; the default suite resumes exactly in test_distributed.py
def test_killed_and_resumed_run_matches_the_uninterrupted_one(tiny_synthsign, tmp_path):
    full_dir, killed_dir = tmp_path / 'full', tmp_path / 'killed'
    train_tool.main(_args(tiny_synthsign, full_dir, workers=0))
    full = dict(read_losses(full_dir))
    assert sorted(full) == list(range(1, MAX_ITERS + 1))

    _kill_after_first_checkpoint(_args(tiny_synthsign, killed_dir, workers=2), killed_dir)
    with open(killed_dir / 'last_checkpoint') as f:
        resumed_at = int(f.read().strip().rsplit('iter_', 1)[1].split('.')[0])
    assert resumed_at < MAX_ITERS, 'the kill came after the end of training'
    train_tool.main(_args(tiny_synthsign, killed_dir, workers=2) + ['--resume'])
    resumed = dict(read_losses(killed_dir))      # a later record of an iteration wins
    after = range(resumed_at + 1, MAX_ITERS + 1)
    assert [resumed[i] for i in after] == [full[i] for i in after]
    assert [resumed[i] for i in range(1, resumed_at + 1)] == \
        [full[i] for i in range(1, resumed_at + 1)]
