"""Batches of clips with similar lengths, in random order.

Clip lengths vary by 2-3x within a data set; a random batch is padded to its longest clip, so a
third or more of the encoder's work is spent on padding. Grouping similar lengths removes most of
it while batches stay random: indices are shuffled, cut into pools of ``pool_batches`` batches,
sorted by length inside each pool, cut into batches, and the batches shuffled. An epoch is
rounded up to whole batches (with ``round_up``, and always when ``infinite``), repeating a few of
its clips: the dataloader cuts the index stream into batches by count, so one short group
anywhere would shift every later batch across two length groups (at 1,003 clips in batches of
32 the padding share went from 1.7 % to 18.6 %). Without ``round_up`` the one short batch ends
the epoch (single process only: with several, every rank must run the same number of batches).

Iteration-based schedules should set ``infinite=True``: the sampler then runs epoch after epoch
itself, so mmengine's loop never restarts the dataloader (it sleeps 2 s at every restart, which
on a small data set costs more than the training steps). Such a stream depends only on the seed,
so ``skip_indices`` can start it anywhere: a resumed run
(``unisign_fla.engine.ResumableIterBasedTrainLoop``) continues with the clips it would have had,
without loading the ones it already trained on.

Each index comes as a ``SampleDraw`` whose seed key (seed, rank, epoch, position in the epoch)
seeds the clip's random augmentations (see ``sample_randomness.py``), so they too are the same in
a resumed run, with any number of workers.
"""
import itertools
from collections.abc import Iterator

import torch
from mmengine.dataset import DefaultSampler

from unisign_fla.datasets.sample_randomness import SampleDraw
from unisign_fla.registry import DATA_SAMPLERS


@DATA_SAMPLERS.register_module()
class LengthGroupedSampler(DefaultSampler):
    """Like mmengine's ``DefaultSampler`` (seeded per epoch, split across ranks) but grouping
    similar lengths. ``batch_size`` must equal the dataloader's (per process) batch size; the
    dataset must provide ``frame_counts()``. With ``infinite`` it never ends: epoch ``e`` (from
    ``set_epoch``) is followed by ``e + 1``, ``e + 2``..., each reshuffled."""

    def __init__(self, dataset, batch_size: int, pool_batches: int = 50, seed=None,
                 round_up: bool = True, infinite: bool = False):
        super().__init__(dataset, shuffle=True, seed=seed, round_up=round_up)
        if not hasattr(dataset, 'frame_counts'):
            raise TypeError(f'{type(dataset).__name__} has no frame_counts(): '
                            'LengthGroupedSampler needs clip lengths')
        self.lengths = torch.tensor(dataset.frame_counts())
        self.batch_size, self.pool_batches = batch_size, pool_batches
        self.infinite = infinite
        self.skipped_indices = 0
        # A MultiTaskDataset draws each epoch's clips at its members' ratios.
        self.draw = getattr(dataset, 'draw', None)
        epoch_length = sum(dataset.counts) if self.draw else len(self.lengths)
        global_batch = batch_size * self.world_size
        if round_up or infinite or self.world_size > 1:   # every rank: the same batch count
            self.total_size = -(-epoch_length // global_batch) * global_batch
        else:
            self.total_size = epoch_length
        self.num_samples = self.total_size // self.world_size

    @property
    def can_skip_indices(self) -> bool:
        return self.infinite

    def skip_indices(self, count: int) -> None:
        """Start this rank's (infinite) stream after its first ``count`` indices."""
        if not self.infinite:
            raise ValueError('only an infinite LengthGroupedSampler can skip indices')
        self.skipped_indices = count

    def __iter__(self) -> Iterator[SampleDraw]:
        if not self.infinite:
            return self._epoch_draws(self.epoch)
        stream = itertools.chain.from_iterable(
            self._epoch_draws(epoch) for epoch in itertools.count(self.epoch))
        return itertools.islice(stream, self.skipped_indices, None)

    def _epoch_draws(self, epoch: int) -> Iterator[SampleDraw]:
        for position, index in enumerate(self._epoch_indices(epoch)):
            yield SampleDraw(index, (self.seed, self.rank, epoch, position))

    def _epoch_indices(self, epoch: int) -> list[int]:
        generator = torch.Generator()
        generator.manual_seed(self.seed + epoch)
        indices = (self.draw(generator) if self.draw
                   else torch.randperm(len(self.lengths), generator=generator))
        if len(indices) < self.total_size:
            indices = indices.repeat(self.total_size // len(indices) + 1)[:self.total_size]
        global_batch = self.batch_size * self.world_size
        pool = global_batch * self.pool_batches
        batches = []
        for start in range(0, len(indices), pool):
            chunk = indices[start:start + pool]
            chunk = chunk[torch.argsort(self.lengths[chunk], descending=True, stable=True)]
            batches += list(chunk.split(global_batch))
        full = len(batches) - int(len(batches[-1]) < global_batch) if batches else 0
        order = torch.randperm(full, generator=generator).tolist() + list(range(full,
                                                                              len(batches)))
        # Every rank takes every world_size-th clip of each global batch: equal lengths per step.
        mine = [batches[b][self.rank::self.world_size] for b in order]
        return torch.cat(mine).tolist() if mine else []
