import pytest
from sacrebleu.metrics import BLEU

from unisign_fla.evaluation.bootstrap import paired_bootstrap


def exact_match(hypotheses, references):
    return 100.0 * sum(h == r for h, r in zip(hypotheses, references)) / len(references)


REFS = [f's{i}' for i in range(100)]


def test_identical_systems_have_zero_delta():
    hyps = [r if i % 2 else 'wrong' for i, r in enumerate(REFS)]
    result = paired_bootstrap(hyps, list(hyps), REFS, exact_match, num_samples=200)
    assert result['delta'] == 0.0 and result['delta_ci95'] == [0.0, 0.0]
    assert result['p_value'] == 1.0 and result['num_samples'] == 200


def test_clearly_better_system_is_significant_and_deterministic():
    hyps_a = [r if i % 2 else 'wrong' for i, r in enumerate(REFS)]      # 50 % right
    hyps_b = [r if i % 10 else 'wrong' for i, r in enumerate(REFS)]     # 90 % right
    result = paired_bootstrap(hyps_a, hyps_b, REFS, exact_match, num_samples=500, seed=3)
    assert result['score_a'] == pytest.approx(50.0) and result['score_b'] == pytest.approx(90.0)
    assert result['delta'] == pytest.approx(40.0)
    low, high = result['delta_ci95']
    assert 0 < low < 40 < high
    assert result['p_value'] < 0.01
    assert paired_bootstrap(hyps_a, hyps_b, REFS, exact_match, num_samples=500, seed=3) == result
    # The worse system as b: the same evidence, seen from the other side.
    reverse = paired_bootstrap(hyps_b, hyps_a, REFS, exact_match, num_samples=500, seed=3)
    assert reverse['delta'] == pytest.approx(-40.0) and reverse['p_value'] < 0.01
    assert reverse['delta_ci95'][1] < 0


def test_works_with_bleu():
    subjects = ['the man', 'a woman', 'my friend', 'the teacher', 'our neighbour']
    verbs = ['bought', 'read', 'found', 'lost', 'sold', 'gave away', 'liked', 'wanted', 'took',
             'forgot']
    refs = [f'{subjects[i % 5]} {verbs[i % 10]} a book yesterday' for i in range(50)]
    hyps_b = [r.replace('yesterday', 'today') if i % 5 == 0 else r for i, r in enumerate(refs)]
    hyps_a = [f'{r.split()[0]} {verbs[(i + 1) % 10]} book' for i, r in enumerate(refs)]
    bleu = BLEU(tokenize='13a')

    def metric(hypotheses, references):
        return bleu.corpus_score(hypotheses, [references]).score

    result = paired_bootstrap(hyps_a, hyps_b, refs, metric, num_samples=200)
    assert result['score_b'] > result['score_a'] and result['delta'] > 0
    assert result['delta_ci95'][0] > 0 and result['p_value'] < 0.05


def test_errors():
    with pytest.raises(ValueError, match='all three must match'):
        paired_bootstrap(['a'], ['a', 'b'], ['a', 'b'], exact_match)
    with pytest.raises(ValueError, match='num_samples must be at least 1'):
        paired_bootstrap(['a'], ['a'], ['a'], exact_match, num_samples=0)
