"""ROUGE-L in the two conventions that sign language translation papers mix up.

* ``rouge_l``: what Uni-Sign and GFSLT-VLP report, the ``rouge`` 1.0.1 package's ``rouge-l``
  F-score averaged over sentence pairs. It is *summary-level* ROUGE-L with three quirks that
  move scores by about 1.5 points: each text is cut into "sentences" at every ``.``; the hits
  are the *distinct words* on the LCS of any reference sentence with any hypothesis sentence;
  and the lengths are counts of distinct words too.
* ``rouge_l_lcs_f1``: plain sentence-level LCS F1 over tokens, averaged over sentence pairs.

Both take token strings joined by single spaces (see ``scoring.rouge_tokens``); an empty
hypothesis scores 0.
"""


def _lcs_table(a: list[str], b: list[str]) -> list[list[int]]:
    """``table[i][j]``: LCS length of ``a[:i]`` and ``b[:j]``."""
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i, x in enumerate(a, start=1):
        for j, y in enumerate(b, start=1):
            table[i][j] = (table[i - 1][j - 1] + 1 if x == y
                           else max(table[i - 1][j], table[i][j - 1]))
    return table


def lcs_length(a: list[str], b: list[str]) -> int:
    """Length of the longest common subsequence."""
    return _lcs_table(a, b)[-1][-1]


def _lcs_words(reference: list[str], hypothesis: list[str]) -> set[str]:
    """Distinct words on one LCS, traced back from the end; on ties the trace moves along the
    hypothesis first, which picks the same LCS as the 1.0.1 package."""
    table = _lcs_table(reference, hypothesis)
    hits, i, j = set(), len(reference), len(hypothesis)
    while i > 0 and j > 0:
        if reference[i - 1] == hypothesis[j - 1]:
            hits.add(reference[i - 1])
            i, j = i - 1, j - 1
        elif table[i - 1][j] > table[i][j - 1]:
            i -= 1
        else:
            j -= 1
    return hits


def _split_sentences(text: str) -> list[list[str]]:
    """The package's sentence split: at every '.', keeping pieces that are only whitespace
    (they become one empty word, as in the package)."""
    return [' '.join(piece.split()).split(' ') for piece in text.split('.') if piece]


def rouge_l_summary_f(hypothesis: str, reference: str) -> float:
    """F-score of one pair in the ``rouge`` 1.0.1 convention, in [0, 1]."""
    hyp_sentences, ref_sentences = _split_sentences(hypothesis), _split_sentences(reference)
    if not hyp_sentences:
        return 0.0
    if not ref_sentences:
        raise ValueError('empty reference')
    hits: set[str] = set()
    for ref in ref_sentences:
        for hyp in hyp_sentences:
            hits |= _lcs_words(ref, hyp)
    recall = len(hits) / len({w for s in ref_sentences for w in s})
    precision = len(hits) / len({w for s in hyp_sentences for w in s})
    return 2.0 * precision * recall / (precision + recall + 1e-8)


def rouge_l_f1(hypothesis: str, reference: str) -> float:
    """Sentence-level LCS F1 over space-separated tokens, in [0, 1]."""
    hyp, ref = hypothesis.split(), reference.split()
    if not ref:
        raise ValueError('empty reference')
    if not hyp:
        return 0.0
    lcs = lcs_length(hyp, ref)
    return 2.0 * lcs / (len(hyp) + len(ref))


def corpus_rouge_l(hypotheses: list[str], references: list[str]) -> dict[str, float]:
    """Both conventions averaged over sentence pairs, in percent."""
    if len(hypotheses) != len(references):
        raise ValueError(f'{len(hypotheses)} hypotheses but {len(references)} references')
    if not references:
        raise ValueError('no sentences to score')
    count = len(references)
    return {
        'rouge_l': 100.0 * sum(map(rouge_l_summary_f, hypotheses, references)) / count,
        'rouge_l_lcs_f1': 100.0 * sum(map(rouge_l_f1, hypotheses, references)) / count,
    }
