import numpy as np

from unisign_fla.lm import mask_spans

MASK = 99


def test_masks_about_the_ratio_in_spans_and_keeps_the_rest_in_order():
    rng = np.random.default_rng(0)
    ids = list(range(40))
    for _ in range(20):
        corrupted = mask_spans(ids, MASK, rng, ratio=0.3)
        kept = [t for t in corrupted if t != MASK]
        assert kept == sorted(kept) and set(kept) < set(ids)
        assert 12 <= len(ids) - len(kept) <= 18
        # One mask per span: never two masks in a row.
        assert all(not (a == b == MASK) for a, b in zip(corrupted, corrupted[1:]))
        assert MASK in corrupted


def test_short_and_empty_sequences():
    rng = np.random.default_rng(0)
    assert mask_spans([], MASK, rng) == []
    assert mask_spans([5], MASK, rng) == [MASK]
    assert MASK in mask_spans([1, 2], MASK, rng)


def test_deterministic_for_a_seed():
    ids = list(range(30))
    first = mask_spans(ids, MASK, np.random.default_rng(3))
    assert first == mask_spans(ids, MASK, np.random.default_rng(3))
