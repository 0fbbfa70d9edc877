"""Every checkpoint the toolkit or mmengine's Runner opens is read weights-only by our reader,
whatever the environment says."""
import os
import subprocess
import sys

import numpy as np
import pytest
import torch
from mmengine.model import BaseModel
from mmengine.runner import Runner
from mmengine.runner.checkpoint import _load_checkpoint
from torch import nn

from unisign_fla.engine import load_checkpoint_state_dict, use_safe_checkpoint_loading
from unisign_fla.engine.checkpoint import load_checkpoint
from unisign_fla.formats.safe_pickle import UnsafePickleError


class RunsCode:
    """A checkpoint payload that would leave a marker file behind."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return os.system, (f'touch {self.marker}',)


class _Weight(BaseModel):
    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(2))

    def forward(self, inputs, mode='tensor'):
        return inputs


@pytest.fixture
def malicious(tmp_path, monkeypatch):
    """A checkpoint whose pickle runs a command, with torch told to allow unsafe loads."""
    monkeypatch.setenv('TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD', '1')
    path = tmp_path / 'evil.pth'
    torch.save({'state_dict': {'weight': torch.ones(2)}, 'meta': RunsCode(tmp_path / 'PWNED')},
               path)
    return path


def test_why_torch_load_is_not_enough(malicious):
    """torch 2.13: an explicit weights_only=True holds against the variable, but a call that
    leaves it unset, as mmengine's loaders do, runs the payload."""
    with pytest.raises(Exception, match='Weights only load failed'):
        torch.load(malicious, weights_only=True)
    assert not (malicious.parent / 'PWNED').exists()
    with pytest.warns(UserWarning, match='TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD detected'):
        torch.load(malicious)
    assert (malicious.parent / 'PWNED').exists()


def test_our_loader_and_mmengines_refuse_the_payload(malicious):
    use_safe_checkpoint_loading()                 # as importing unisign_fla.engine does
    runner = Runner(model=_Weight(), work_dir=str(malicious.parent / 'work'))
    loads = [lambda: load_checkpoint(str(malicious)),
             lambda: load_checkpoint_state_dict(str(malicious)),        # tools/test.py
             lambda: _load_checkpoint(str(malicious), map_location='cpu'),
             lambda: runner.load_checkpoint(str(malicious)),            # load_from
             lambda: runner.resume(str(malicious))]                     # --resume
    for load in loads:
        with pytest.raises(UnsafePickleError, match=r'evil.pth: refuses to load (posix|os)'
                                                    r'\.system'):
            load()
    assert not (malicious.parent / 'PWNED').exists()


def test_importing_the_engine_is_enough_for_mmengine_loads(malicious):
    """A user script that builds its own Runner from a toolkit config imports unisign_fla.engine
    (the registry imports it for the config's hooks): that alone routes mmengine's loads."""
    script = ('import unisign_fla.engine\n'
              'from mmengine.runner.checkpoint import _load_checkpoint\n'
              f'_load_checkpoint({str(malicious)!r}, map_location="cpu")\n')
    result = subprocess.run([sys.executable, '-c', script], capture_output=True, text=True)
    assert result.returncode != 0 and 'UnsafePickleError' in result.stderr
    assert 'refuses to load' in result.stderr
    assert not (malicious.parent / 'PWNED').exists()


def test_mmengine_reads_numpy_scalars_and_refuses_remote_checkpoints(tmp_path):
    # mmengine's IterTimerHook stores the ETA as a numpy float in every checkpoint it saves.
    path = tmp_path / 'iter_2.pth'
    torch.save({'state_dict': {'encoder.weight': torch.ones(2)},
                'message_hub': {'runtime_info': {'eta': np.float64(0.5)}}}, path)
    use_safe_checkpoint_loading()
    assert torch.equal(load_checkpoint_state_dict(str(path), 'encoder.')['weight'], torch.ones(2))
    checkpoint = _load_checkpoint(str(path), map_location='cpu')
    assert checkpoint['message_hub']['runtime_info']['eta'] == 0.5
    with pytest.raises(ValueError, match='read from local files only; download it'):
        _load_checkpoint('https://example.com/model.pth')
