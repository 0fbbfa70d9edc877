import pytest

from unisign_fla.evaluation.wer import word_error_rate


def counts(result):
    return result['substitutions'], result['deletions'], result['insertions']


def test_pure_substitution():
    result = word_error_rate(['A X C D'], ['A B C D'])
    assert counts(result) == (1, 0, 0)
    assert result['wer'] == pytest.approx(25.0) and result['sub_rate'] == pytest.approx(25.0)


def test_pure_deletion_and_insertion():
    result = word_error_rate(['A C'], ['A B C'])
    assert counts(result) == (0, 1, 0) and result['del_rate'] == pytest.approx(100 / 3)
    result = word_error_rate(['A B X C'], ['A B C'])
    assert counts(result) == (0, 0, 1) and result['ins_rate'] == pytest.approx(100 / 3)


def test_mixed_edits_summed_over_the_corpus():
    # Sentence 1: 'X' inserted, 'C' deleted. Sentence 2: 'E' -> 'Y', 'F' deleted.
    result = word_error_rate(['X A B', 'D Y'], ['A B C', 'D E F'])
    assert counts(result) == (1, 2, 1)
    assert result['reference_words'] == 6
    assert result['wer'] == pytest.approx(100 * 4 / 6)
    assert result['wer'] == pytest.approx(
        result['sub_rate'] + result['del_rate'] + result['ins_rate'])


def test_ties_prefer_substitution():
    # 'B C' vs 'A B': two substitutions or a deletion of A plus an insertion of C, both cost 2.
    assert counts(word_error_rate(['B C'], ['A B'])) == (2, 0, 0)


def test_empty_hypothesis_is_all_deletions_without_overflow():
    result = word_error_rate(['', 'A'], [' '.join(['W'] * 1000), 'A'])
    assert counts(result) == (0, 1000, 0)
    assert result['wer'] == pytest.approx(1000 / 1001 * 100)
    result = word_error_rate([''], [' '.join(['W'] * 1000)])
    assert result['wer'] == pytest.approx(100.0) and result['deletions'] == 1000


def test_long_all_substituted_sequence_without_overflow():
    reference = ' '.join(f'R{i}' for i in range(600))
    hypothesis = ' '.join(f'H{i}' for i in range(600))
    result = word_error_rate([hypothesis], [reference])
    assert counts(result) == (600, 0, 0) and result['wer'] == pytest.approx(100.0)


def test_identical_corpus_scores_zero():
    refs = ['A B C', 'D E', 'F']
    result = word_error_rate(list(refs), refs)
    assert result['wer'] == 0.0 and counts(result) == (0, 0, 0)


def test_errors():
    with pytest.raises(ValueError, match='1 hypotheses but 2 references'):
        word_error_rate(['A'], ['A', 'B'])
    with pytest.raises(ValueError, match='no words'):
        word_error_rate(['A', ''], ['', '  '])
    with pytest.raises(ValueError, match='no words'):
        word_error_rate([], [])
