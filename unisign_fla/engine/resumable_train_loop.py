"""An iteration-based training loop that resumes without reloading the batches already trained.

mmengine's ``IterBasedTrainLoop`` resumes at iteration k by drawing k batches from the data
loader and throwing them away: every clip, with its hand crops, is read and augmented again
before the first new step (hours on a large corpus, a good part of a time-limited job on a
small one). When the train sampler can start its stream at a given index
(``LengthGroupedSampler`` with ``infinite=True``: its order depends only on its seed), this loop
asks it to start after the k batches; with any other sampler it replays them as mmengine does.

What stays the same: the clips and their order after the resume point, given the same
``randomness.seed`` (mmengine builds the sampler before it restores the checkpoint's seed), their
random augmentations (seeded per draw, datasets/sample_randomness.py) and the training step's own
random draws (seeded per iteration, iteration_seed_hook.py): the losses match an uninterrupted
run exactly. As with mmengine, the first few batches the data loader prefetched when it was built
are loaded and discarded.
"""
from mmengine.logging import print_log
from mmengine.runner import IterBasedTrainLoop

from unisign_fla.registry import LOOPS


@LOOPS.register_module()
class ResumableIterBasedTrainLoop(IterBasedTrainLoop):
    """``IterBasedTrainLoop`` (same arguments, same validation schedule) whose resume skips the
    trained batches by index when the train sampler has ``skip_indices``."""

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
        if not getattr(sampler, 'can_skip_indices', False):
            print_log(f'Resumed at iteration {self._iter}: {type(sampler).__name__} cannot '
                      'skip indices, so the trained batches are loaded and discarded',
                      logger='current')
            for _ in range(self._iter):
                next(self.dataloader_iterator)
            return
        # Each rank's batches are consecutive runs of the loader's batch size in its stream.
        sampler.skip_indices(self._iter * self.dataloader.batch_size)
        # The iterator made at construction already started on the unskipped stream.
        self.dataloader_iterator = type(self.dataloader_iterator)(self.dataloader)
        print_log(f'Resumed at iteration {self._iter}: the sampler skipped the trained batches '
                  'without loading them', logger='current')
