import itertools

from unisign_fla.synthsign.vocabulary import (
    MIN_MANUAL_DISTANCE,
    MINIMAL_PAIRS,
    build_vocabulary,
    manual_distance,
)


def test_vocabulary_is_large_unique_and_deterministic():
    signs = build_vocabulary()
    assert len(signs) >= 100
    assert len({s.gloss for s in signs}) == len(signs)
    assert len({s.word for s in signs}) == len(signs)
    assert [s.to_json() for s in signs] == [s.to_json() for s in build_vocabulary()]


def test_signs_are_distinct_except_minimal_pairs():
    signs = build_vocabulary()
    pairs = {frozenset(p) for p in MINIMAL_PAIRS}
    for a, b in itertools.combinations(signs, 2):
        if frozenset((a.gloss, b.gloss)) in pairs:
            continue
        assert manual_distance(a.params, b.params) >= MIN_MANUAL_DISTANCE, (a.gloss, b.gloss)


def test_minimal_pairs_differ_only_in_facing():
    by_gloss = {s.gloss: s.params for s in build_vocabulary()}
    assert len(MINIMAL_PAIRS) >= 8
    for a, b in MINIMAL_PAIRS:
        pa, pb = by_gloss[a], by_gloss[b]
        assert manual_distance(pa, pb) == 0 and pa.face == pb.face
        assert {pa.facing, pb.facing} == {'palm', 'back'}


def test_parameters_cover_the_phonology():
    signs = build_vocabulary()
    assert len({s.params.handshape for s in signs}) >= 10
    assert len({s.params.location for s in signs}) >= 8
    assert {s.params.hands for s in signs} == {'one', 'symmetric', 'base'}
    assert sum(s.params.face != 'none' for s in signs) >= 10
