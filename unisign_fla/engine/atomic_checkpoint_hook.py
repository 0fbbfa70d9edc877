"""Checkpoint rotation that never leaves a run without a complete checkpoint.

mmengine's ``CheckpointHook`` deletes the oldest kept checkpoint first and then writes the new
one in place: with ``max_keep_ckpts=1``, a job killed while saving (a time limit, a pre-emption)
has lost the good checkpoint and holds half of the new one. Here the new checkpoint is written as
``<name>.part``, flushed to disk and renamed, ``last_checkpoint`` is replaced the same way, and
only then are checkpoints beyond ``max_keep_ckpts`` deleted. A ``.part`` file left by a killed run
is removed when the next run starts. Same arguments as ``CheckpointHook``; ``save_best``
checkpoints keep mmengine's own handling.
"""
import glob
import os
import os.path as osp

from mmengine.dist import is_main_process
from mmengine.fileio import LocalBackend
from mmengine.hooks import CheckpointHook

from unisign_fla.registry import HOOKS

PARTIAL_SUFFIX = '.part'


def _replace_durably(source: str, target: str) -> None:
    """Rename a flushed file over ``target``, and flush the folder so the rename survives a power
    cut too."""
    with open(source, 'rb') as f:
        os.fsync(f.fileno())
    os.replace(source, target)
    folder = os.open(osp.dirname(osp.abspath(target)), os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


@HOOKS.register_module()
class AtomicCheckpointHook(CheckpointHook):

    def before_train(self, runner) -> None:
        super().before_train(runner)
        if is_main_process() and isinstance(self.file_backend, LocalBackend):
            leftovers = set(glob.glob(osp.join(glob.escape(self.out_dir), '*' + PARTIAL_SUFFIX)))
            leftovers.update(glob.glob(osp.join(glob.escape(runner.work_dir),
                                                'last_checkpoint' + PARTIAL_SUFFIX)))
            for partial in sorted(leftovers):
                runner.logger.warning(f'removing {partial}, left by an interrupted save')
                os.remove(partial)

    def _save_checkpoint_with_step(self, runner, step, meta):
        if not isinstance(self.file_backend, LocalBackend):   # no rename on object stores
            return super()._save_checkpoint_with_step(runner, step, meta)
        expired = []
        if self.max_keep_ckpts > 0 and not (self.keep_ckpt_ids and
                                            self.keep_ckpt_ids[-1] == step):
            if len(self.keep_ckpt_ids) == self.max_keep_ckpts:
                expired.append(self.keep_ckpt_ids.popleft())
            self.keep_ckpt_ids.append(step)
            runner.message_hub.update_info('keep_ckpt_ids', list(self.keep_ckpt_ids))
        filename = self.filename_tmpl.format(step)
        self.last_ckpt = osp.join(self.out_dir, filename)
        runner.message_hub.update_info('last_ckpt', self.last_ckpt)
        runner.save_checkpoint(self.out_dir, filename + PARTIAL_SUFFIX, self.file_client_args,
                               save_optimizer=self.save_optimizer,
                               save_param_scheduler=self.save_param_scheduler, meta=meta,
                               by_epoch=self.by_epoch, backend_args=self.backend_args,
                               **self.args)
        if not is_main_process():
            return
        _replace_durably(self.last_ckpt + PARTIAL_SUFFIX, self.last_ckpt)
        pointer = osp.join(runner.work_dir, 'last_checkpoint')
        with open(pointer + PARTIAL_SUFFIX, 'w') as f:
            f.write(self.last_ckpt)
        _replace_durably(pointer + PARTIAL_SUFFIX, pointer)
        for old_step in expired:
            old = osp.join(self.out_dir, self.filename_tmpl.format(old_step))
            if osp.isfile(old):
                os.remove(old)
