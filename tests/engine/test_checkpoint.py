"""Checkpoints with numpy scalars load with weights_only=True, through our loader and mmengine's."""
import numpy as np
import torch

from unisign_fla.engine import allow_mmengine_checkpoint_types, load_checkpoint_state_dict


def test_our_loader_leaves_the_runner_able_to_load_numpy_scalars(tmp_path):
    # mmengine's IterTimerHook stores the ETA as a numpy float in every checkpoint it saves.
    path = tmp_path / 'iter_2.pth'
    torch.save({'state_dict': {'encoder.weight': torch.ones(2)},
                'message_hub': {'runtime_info': {'eta': np.float64(0.0)}}}, path)
    allow_mmengine_checkpoint_types()                 # as tools/test.py does before the Runner
    # Building a stage-2 model loads the stage-1 encoder through our loader...
    assert torch.equal(load_checkpoint_state_dict(str(path), 'encoder.')['weight'], torch.ones(2))
    # ...after which the Runner's own torch.load must still admit the numpy scalar.
    checkpoint = torch.load(path, weights_only=True)
    assert checkpoint['message_hub']['runtime_info']['eta'] == 0.0
