"""Random augmentations that depend on where a clip is drawn, not on which worker loads it.

Transforms draw from numpy's global generator. In a data-loader worker that generator is seeded
once, when the worker starts, and then advances with every clip the worker loads: the draws of a
clip depend on the number of workers, on what each worker loaded before, and on when workers were
restarted. A run resumed from a checkpoint starts fresh workers, so its augmentations differ from
those of the uninterrupted run. Here each draw of the sampler carries its own seed key (base
seed, rank, epoch, position in the epoch), and the dataset seeds the global generators with it
for the time of one clip: the same draw gets the same augmentation in any worker, in any run.
"""
import contextlib
import random
from collections.abc import Iterator

import numpy as np
import torch


class SampleDraw(int):
    """A dataset index (usable wherever an ``int`` is) that also carries the seed key of this
    draw, for ``seeded_randomness``."""

    seed_key: tuple[int, ...]

    def __new__(cls, index: int, seed_key: tuple[int, ...]):
        draw = super().__new__(cls, index)
        draw.seed_key = tuple(int(k) for k in seed_key)
        return draw

    def __reduce__(self):   # data-loader workers receive indices pickled
        return SampleDraw, (int(self), self.seed_key)

    def __repr__(self) -> str:
        return f'SampleDraw({int(self)}, seed_key={self.seed_key})'


@contextlib.contextmanager
def seeded_randomness(index: int) -> Iterator[None]:
    """Seed Python's, numpy's and torch's (CPU) global generators from ``index.seed_key`` inside
    the block, and give them back their previous state afterwards, so loading in the main
    process (``num_workers=0``) leaves the training loop's random stream untouched. A plain
    ``int`` index (a sampler without seed keys) changes nothing."""
    seed_key = getattr(index, 'seed_key', None)
    if seed_key is None:
        yield
        return
    python_state, numpy_state = random.getstate(), np.random.get_state()
    torch_state = torch.get_rng_state()
    seeds = np.random.SeedSequence(seed_key).generate_state(2, dtype=np.uint32)
    random.seed(int(seeds[0]))
    np.random.seed(int(seeds[0]))
    # The CPU generator only: torch.manual_seed would also reseed (and here clobber) the GPUs'.
    torch.default_generator.manual_seed(int(seeds[1]))
    try:
        yield
    finally:
        random.setstate(python_state)
        np.random.set_state(numpy_state)
        torch.set_rng_state(torch_state)
