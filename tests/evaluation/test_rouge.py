import pytest

from unisign_fla.evaluation import corpus_rouge_l, rouge_l_f1, rouge_l_summary_f, rouge_tokens
from unisign_fla.evaluation.rouge import lcs_length


def test_lcs_length():
    assert lcs_length('a b c d'.split(), 'a c d e'.split()) == 3
    assert lcs_length([], ['a']) == 0


def test_plain_lcs_f1():
    # LCS 'a c d' = 3 of 4 and 4 tokens: F1 = 2 * 3 / 8.
    assert rouge_l_f1('a b c d', 'a c d e') == pytest.approx(0.75)
    assert rouge_l_f1('', 'a b') == 0.0


def test_paper_convention_counts_distinct_words():
    # Reference 'a a b' has 2 distinct words; the LCS 'a a b' has 2 distinct words too: F = 1,
    # while plain LCS F1 with hypothesis 'a a b c' is 2 * 3 / 7.
    assert rouge_l_summary_f('a a b c', 'a a b') == pytest.approx(2 * (2 / 3) / (2 / 3 + 1),
                                                                  abs=1e-7)
    assert rouge_l_f1('a a b c', 'a a b') == pytest.approx(6 / 7)


def test_paper_convention_splits_sentences_at_periods():
    # 'b a . c' -> sentences ['b a', 'c']; the union of LCS words with the reference 'a c' over
    # both hypothesis sentences is {a, c}, although no single sequence has 'a' before 'c'.
    assert rouge_l_summary_f('b a . c', 'a c') == pytest.approx(2 * 1 * (2 / 3) / (5 / 3),
                                                                abs=1e-7)
    assert rouge_l_f1('b a . c', 'a c') < rouge_l_summary_f('b a . c', 'a c')


def test_paper_convention_follows_the_reference_tie_break():
    # Two LCSs of length 1 ('x' or 'y'); the package's trace takes 'y' (moves along the
    # hypothesis on ties), which a second reference sentence containing 'y' then re-uses.
    assert rouge_l_summary_f('y x', 'x y . y') == pytest.approx(2 * 0.5 * 0.5 / 1.0, abs=1e-7)


def test_chinese_tokens_are_nfkc_characters():
    assert rouge_tokens('他 今年４岁 。', 'zh') == '他 今 年 4 岁 。'
    assert rouge_tokens(' The  man. ', 'en') == 'The man.'


def test_corpus_average_and_errors():
    scores = corpus_rouge_l(['a b', ''], ['a b', 'c'])
    assert scores == {'rouge_l': pytest.approx(50.0, abs=1e-5), 'rouge_l_lcs_f1': 50.0}
    with pytest.raises(ValueError, match='1 hypotheses but 2 references'):
        corpus_rouge_l(['a'], ['a', 'b'])
    with pytest.raises(ValueError, match='empty reference'):
        corpus_rouge_l(['a'], [' '])
