"""Augmentations seeded by the sampler's draw: the same in any worker and after a resume."""
import pickle
import random

import numpy as np
import torch

from unisign_fla.datasets import LengthGroupedSampler
from unisign_fla.datasets.sample_randomness import SampleDraw, seeded_randomness


class _Clips:
    def __len__(self):
        return 12

    def frame_counts(self):
        return [(i * 5) % 7 + 1 for i in range(12)]


def _draws():
    return np.random.uniform(size=3).tolist(), random.random(), torch.rand(2).tolist()


def test_a_draw_is_an_index_that_survives_pickling():
    draw = SampleDraw(7, (0, 0, 1, 3))
    copy = pickle.loads(pickle.dumps(draw))
    assert copy == 7 and [10, 20, 30, 40, 50, 60, 70, 80][copy] == 80
    assert copy.seed_key == (0, 0, 1, 3)


def test_same_key_same_draws_and_the_outer_state_is_untouched():
    np.random.seed(1)
    random.seed(1)
    torch.manual_seed(1)
    expected_outer = _draws()
    np.random.seed(1)
    random.seed(1)
    torch.manual_seed(1)
    with seeded_randomness(SampleDraw(3, (0, 0, 0, 5))):
        first = _draws()
    with seeded_randomness(SampleDraw(9, (0, 0, 0, 5))):
        again = _draws()
    with seeded_randomness(SampleDraw(3, (0, 0, 0, 6))):
        other = _draws()
    assert first == again != other
    assert _draws() == expected_outer          # loading in the main process changes nothing
    with seeded_randomness(4):                 # a plain index: the global stream goes on
        plain = _draws()
    assert plain != first


def test_sampler_draws_carry_distinct_keys_and_a_skipped_stream_keeps_them():
    sampler = LengthGroupedSampler(_Clips(), batch_size=4, seed=5, infinite=True)
    stream = iter(sampler)
    full = [next(stream) for _ in range(30)]
    assert all(isinstance(d, SampleDraw) for d in full)
    assert len({d.seed_key for d in full}) == 30
    assert full[0].seed_key == (5, 0, 0, 0) and full[12].seed_key == (5, 0, 1, 0)
    sampler.skip_indices(17)
    resumed = iter(sampler)
    tail = [next(resumed) for _ in range(13)]
    assert tail == full[17:] and [d.seed_key for d in tail] == [d.seed_key for d in full[17:]]
