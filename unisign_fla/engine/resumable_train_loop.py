"""An iteration-based training loop that resumes without reloading the batches already trained.

mmengine's ``IterBasedTrainLoop`` resumes at iteration k by drawing k batches from the data
loader and throwing them away: every clip, with its hand crops, is read and augmented again
before the first new step (hours on a large corpus, a good part of a time-limited job on a
small one). When the sampler can start its stream at a given batch (``LengthGroupedSampler``
with ``infinite=True``: its order depends only on its seed), this loop asks it to and draws
nothing. With any other sampler it replays the batches as mmengine does. The batches trained
after the resume point are the same either way.
"""
from mmengine.logging import print_log
from mmengine.runner import IterBasedTrainLoop

from unisign_fla.registry import LOOPS


@LOOPS.register_module()
class ResumableIterBasedTrainLoop(IterBasedTrainLoop):
    """``IterBasedTrainLoop`` (same arguments, same validation schedule) whose resume skips the
    trained batches by index when the train sampler has ``skip_batches``."""

    def run(self):
        self.runner.call_hook('before_train')
        self.runner.call_hook('before_train_epoch')
        if self._iter > 0:
            self._skip_trained_batches()
        while self._iter < self._max_iters and not self.stop_training:
            self.runner.model.train()
            self.run_iter(next(self.dataloader_iterator))
            self._decide_current_val_interval()
            if (self.runner.val_loop is not None and self._iter >= self.val_begin
                    and (self._iter % self.val_interval == 0
                         or self._iter == self._max_iters)):
                self.runner.val_loop.run()
        self.runner.call_hook('after_train_epoch')
        self.runner.call_hook('after_train')
        return self.runner.model

    def _skip_trained_batches(self) -> None:
        sampler = self.dataloader.sampler
        if not getattr(sampler, 'can_skip_batches', False):
            print_log(f'Resumed at iteration {self._iter}: {type(sampler).__name__} cannot '
                      'skip batches, so they are loaded and discarded', logger='current')
            for _ in range(self._iter):
                next(self.dataloader_iterator)
            return
        sampler.skip_batches(self._iter)
        # The iterator made at construction already started on the unskipped stream.
        self.dataloader_iterator = type(self.dataloader_iterator)(self.dataloader)
        print_log(f'Resumed at iteration {self._iter}: the sampler starts at batch '
                  f'{self._iter}, nothing is reloaded', logger='current')
