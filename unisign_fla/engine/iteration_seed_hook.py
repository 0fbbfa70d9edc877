"""Random draws of training iteration ``i`` that depend on ``(seed, rank, i)`` only.

Dropout, and any other randomness of the forward pass, draws from the global generators of the
training process. Their state after ``k`` iterations depends on everything that ran before:
validation (its data loader draws a seed), data loading in the main process, a rebuilt data
loader after a resume. Saving that state in checkpoints would still miss what happens between
the save and the next iteration. Seeding every generator at the start of each iteration from
the run's seed, the process's rank and the iteration makes a resumed run draw exactly what the
uninterrupted one drew, on any number of processes, and keeps validation from shifting training.
(The data side is seeded per clip: datasets/sample_randomness.py.)
"""
import random

import numpy as np
import torch
from mmengine.hooks import Hook

from unisign_fla.registry import HOOKS


@HOOKS.register_module()
class IterationSeedHook(Hook):
    priority = 'VERY_HIGH'

    def before_train_iter(self, runner, batch_idx: int, data_batch=None) -> None:
        seeds = np.random.SeedSequence((runner.seed, runner.rank, runner.iter)).generate_state(2)
        random.seed(int(seeds[0]))
        np.random.seed(int(seeds[0]))
        torch.manual_seed(int(seeds[1]))   # the CPU generator and every GPU's
