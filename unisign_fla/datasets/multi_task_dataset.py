"""Several data sets and tasks as one training set, drawn in configured proportions.

FLa-LLM's stage 2 casts every task as translation, so one LM can learn SLT, CSLR and ISLR at once
(each sample carries its own task and language, hence its own prompt). The data sets differ in
size by orders of magnitude (WLASL 14k clips, CSL-News 1M), so plain concatenation would let the
largest drown the rest: ``ratios`` fix each one's share of an epoch instead.

The dataset itself is the concatenation of its members (index ``i`` is a fixed clip, which keeps
it usable by any sampler and by evaluation, where every clip of every member is scored once).
The ratios act through ``draw``: ``LengthGroupedSampler`` asks it for each epoch's indices, in
which member ``j`` fills ``ratios[j] / sum(ratios)`` of ``epoch_size`` positions, cycling through
fresh permutations of its clips when it is drawn more often than it has clips. The draw happens
in the sampler, in the main process, so it changes every epoch also with persistent workers.
"""
from collections.abc import Sequence

import numpy as np
import torch

from unisign_fla.datasets.sample_randomness import seeded_randomness
from unisign_fla.registry import DATASETS


@DATASETS.register_module()
class MultiTaskDataset:
    """Member data sets built from configs (``SignShardDataset``, each with its ``task``).

    Args:
        datasets: member configs.
        ratios: share of each member in a training epoch (positive numbers); ``None``: in
            proportion to the members' sizes.
        epoch_size: positions per training epoch (default: all clips of all members).
        test_mode: passed to every member.
    """

    def __init__(self, datasets: Sequence[dict], ratios: Sequence[float] | None = None,
                 epoch_size: int | None = None, test_mode: bool = False):
        if not datasets:
            raise ValueError('MultiTaskDataset: no member data sets')
        self.members = [DATASETS.build(dict(cfg, test_mode=test_mode)) for cfg in datasets]
        self.sizes = [len(m) for m in self.members]
        ratios = self.sizes if ratios is None else list(ratios)
        if len(ratios) != len(self.members) or any(r <= 0 for r in ratios):
            raise ValueError(f'MultiTaskDataset: ratios {ratios} must be {len(self.sizes)} '
                             f'positive numbers, one per member data set')
        self.offsets = np.cumsum([0] + self.sizes)
        total = epoch_size or int(self.offsets[-1])
        shares = np.asarray(ratios, dtype=float) / sum(ratios)
        counts = np.floor(shares * total).astype(int)
        counts[int(np.argmax(shares))] += total - counts.sum()   # rounding to the largest share
        self.counts = counts.tolist()

    def __len__(self) -> int:
        return int(self.offsets[-1])

    def _locate(self, idx: int) -> tuple[int, int]:
        member = int(np.searchsorted(self.offsets, idx, side='right')) - 1
        return member, idx - int(self.offsets[member])

    def __getitem__(self, idx: int) -> dict:
        member, clip = self._locate(idx)
        with seeded_randomness(idx):
            return self.members[member][clip]

    def get_data_info(self, idx: int) -> dict:
        member, clip = self._locate(idx)
        return self.members[member].get_data_info(clip)

    def frame_counts(self) -> list[int]:
        return [n for member in self.members for n in member.frame_counts()]

    def draw(self, generator: torch.Generator) -> torch.Tensor:
        """One training epoch's indices (shuffled), each member at its ratio."""
        parts = []
        for offset, size, count in zip(self.offsets, self.sizes, self.counts):
            if not count:   # a share below one sample of a small epoch
                continue
            laps = -(-count // size)
            clips = torch.cat([torch.randperm(size, generator=generator) for _ in range(laps)])
            parts.append(clips[:count] + int(offset))
        drawn = torch.cat(parts)
        return drawn[torch.randperm(len(drawn), generator=generator)]

    @property
    def metainfo(self) -> dict:
        return {'members': [dict(task=m.task, clips=size, per_epoch=count)
                            for m, size, count in zip(self.members, self.sizes, self.counts)]}
