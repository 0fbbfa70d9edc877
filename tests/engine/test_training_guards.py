"""Checkpoint rotation that keeps a complete checkpoint, and a stop at the first non-finite loss."""
import os

import pytest
import torch
from mmengine.runner import Runner

from tests.engine.scale_model import ScaleModel
from unisign_fla.engine import NonFiniteTrainingError, use_safe_checkpoint_loading
from unisign_fla.engine.checkpoint import load_checkpoint


class _Data:
    def __len__(self):
        return 8

    def frame_counts(self):
        return [1] * 8

    def __getitem__(self, index):
        return {'inputs': torch.tensor([index + 1.0])}




def _runner(work_dir, max_iters, lr=0.01, checkpoint=None, resume=False):
    return Runner(
        model=ScaleModel(), work_dir=str(work_dir), default_scope='unisign_fla',
        train_dataloader=dict(dataset=_Data(), batch_size=2, num_workers=0,
                              collate_fn=dict(type='default_collate'),
                              sampler=dict(type='LengthGroupedSampler', batch_size=2,
                                           infinite=True, seed=0)),
        train_cfg=dict(type='ResumableIterBasedTrainLoop', max_iters=max_iters),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=lr)),
        default_hooks=dict(checkpoint=checkpoint or dict(
            type='AtomicCheckpointHook', interval=1, by_epoch=False, max_keep_ckpts=1)),
        custom_hooks=[dict(type='WeightsOnlyCheckpointHook'), dict(type='NonFiniteGuardHook')],
        randomness=dict(seed=0), resume=resume)


def _crash_on_save(monkeypatch, at_filename):
    """Make the save of ``at_filename`` die halfway, as a killed job would: half the bytes
    written."""
    from mmengine.runner import runner as runner_module
    real_save = runner_module.save_checkpoint

    def save(checkpoint, filename, **kwargs):
        if os.path.basename(filename).startswith(at_filename):
            with open(filename, 'wb') as f:
                f.write(b'PK\x03\x04 half a checkpoint')
            raise KeyboardInterrupt('killed while saving')
        return real_save(checkpoint, filename, **kwargs)
    monkeypatch.setattr(runner_module, 'save_checkpoint', save)


@pytest.mark.parametrize('hook_type', ['AtomicCheckpointHook', 'CheckpointHook'])
def test_kill_while_saving_keeps_the_last_complete_checkpoint(tmp_path, monkeypatch, hook_type):
    use_safe_checkpoint_loading()
    _crash_on_save(monkeypatch, 'iter_3.pth')
    checkpoint = dict(type=hook_type, interval=1, by_epoch=False, max_keep_ckpts=1)
    with pytest.raises(KeyboardInterrupt):
        _runner(tmp_path, 5, checkpoint=checkpoint).train()
    survivors = sorted(os.listdir(tmp_path))
    if hook_type == 'CheckpointHook':     # mmengine's: iter_2 deleted before iter_3 was written
        assert 'iter_2.pth' not in survivors
        return
    assert 'iter_2.pth' in survivors and 'iter_3.pth' not in survivors
    assert load_checkpoint(str(tmp_path / 'iter_2.pth'))['meta']['iter'] == 2
    with open(tmp_path / 'last_checkpoint') as f:
        assert f.read().endswith('iter_2.pth')
    monkeypatch.undo()
    use_safe_checkpoint_loading()
    _runner(tmp_path, 5, resume=True).train()     # resumes from iter_2, cleans the .part
    files = os.listdir(tmp_path)
    assert 'iter_5.pth' in files and 'iter_2.pth' not in files
    assert not [f for f in files if f.endswith('.part')]


def test_non_finite_loss_stops_before_a_poisoned_checkpoint(tmp_path):
    use_safe_checkpoint_loading()
    # SGD at lr 10 on (w x - 3)^2 diverges: |w| grows ~100x per step until it overflows.
    with pytest.raises(NonFiniteTrainingError, match=r'iteration \d+: non-finite .*loss.*'
                                                     r'Last good checkpoint: .*iter_\d+\.pth'):
        _runner(tmp_path, 100, lr=10.0).train()
    saved = [f for f in os.listdir(tmp_path) if f.endswith('.pth')]
    assert saved
    for name in saved:
        state = load_checkpoint(str(tmp_path / name))['state_dict']
        assert all(torch.isfinite(v).all() for v in state.values())


def test_non_finite_weights_are_never_saved(tmp_path):
    from unisign_fla.engine import NonFiniteGuardHook
    checkpoint = {'state_dict': {'encoder.w': torch.tensor([1.0, float('nan')]),
                                 'steps': torch.tensor([3])}}
    runner = type('R', (), {'iter': 6})()
    with pytest.raises(NonFiniteTrainingError, match=r'iteration 7: 1 weights .*encoder\.w'):
        NonFiniteGuardHook().before_save_checkpoint(runner, checkpoint)
