"""Stop training at the first non-finite loss, and never save non-finite weights.

A NaN loss (damaged input, a learning rate too high for the data) poisons every weight at the
next optimiser step, and from then on each checkpoint overwrites a good one with garbage while
the run carries on and exits 0. This hook ends the run at the iteration whose loss is not
finite, before the checkpoint hook of that iteration runs, so the last checkpoint on disk is the
last good one; and it refuses to save a checkpoint whose weights are not all finite (a NaN that
reached the weights without showing in the loss).
"""
import torch
from mmengine.hooks import Hook

from unisign_fla.registry import HOOKS


class NonFiniteTrainingError(RuntimeError):
    """A loss or a weight became NaN or infinite."""


@HOOKS.register_module()
class NonFiniteGuardHook(Hook):
    priority = 'NORMAL'   # after_train_iter: before CheckpointHook (VERY_LOW) saves

    def after_train_iter(self, runner, batch_idx: int, data_batch=None, outputs=None) -> None:
        bad = {name: float(torch.as_tensor(value).detach().float().mean())
               for name, value in (outputs or {}).items()
               if isinstance(value, (torch.Tensor, float))
               and not torch.isfinite(torch.as_tensor(value)).all()}
        if bad:
            last = runner.message_hub.get_info('last_ckpt')
            raise NonFiniteTrainingError(
                f'iteration {runner.iter + 1}: non-finite {bad}; training stopped before saving. '
                f'Last good checkpoint: {last or "none saved yet"}. Check the data '
                '(`python -m unisign_fla.formats.shards validate DIR`) or lower the learning rate.')

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        bad = [name for name, value in checkpoint.get('state_dict', {}).items()
               if torch.is_tensor(value) and value.is_floating_point()
               and not torch.isfinite(value).all()]
        if bad:
            raise NonFiniteTrainingError(
                f'iteration {runner.iter + 1}: {len(bad)} weights are not finite '
                f'({", ".join(bad[:5])}...); the checkpoint was not saved.')
