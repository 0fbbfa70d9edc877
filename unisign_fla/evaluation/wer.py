"""Word error rate over whitespace-split glosses, as reported for continuous sign recognition.

The alignment keeps Python integers so long sequences cannot overflow (Uni-Sign's reference
code keeps its table in ``uint8``, which wraps around past 255 edits), and it breaks ties
between alignments of equal cost by a fixed rule, so the substitution / deletion / insertion
split is reproducible.
"""

# (substitutions, deletions, insertions) of the best alignment of two prefixes.
Counts = tuple[int, int, int]


def align_counts(hypothesis: list[str], reference: list[str]) -> Counts:
    """Edit counts ``(S, D, I)`` of a minimum-cost Levenshtein alignment of two token lists.

    Every edit costs 1. When several steps into a cell of the table reach the same minimum cost,
    the first in this order is taken: diagonal (match or substitution), then deletion (a
    reference word missing from the hypothesis), then insertion (an extra hypothesis word). The
    returned counts are those of the path these choices trace back from the last cell, so
    ``'B C'`` against ``'A B'`` gives two substitutions rather than a deletion and an insertion.
    """
    # previous[j]: counts aligning reference[:i - 1] with hypothesis[:j].
    previous: list[Counts] = [(0, 0, j) for j in range(len(hypothesis) + 1)]
    for i, ref_word in enumerate(reference, start=1):
        current: list[Counts] = [(0, i, 0)]
        for j, hyp_word in enumerate(hypothesis, start=1):
            s, d, n = previous[j - 1]
            best = (s + (ref_word != hyp_word), d, n)
            s, d, n = previous[j]
            deletion = (s, d + 1, n)
            if sum(deletion) < sum(best):
                best = deletion
            s, d, n = current[j - 1]
            insertion = (s, d, n + 1)
            if sum(insertion) < sum(best):
                best = insertion
            current.append(best)
        previous = current
    return previous[-1]


def word_error_rate(hypotheses: list[str], references: list[str]) -> dict:
    """Corpus WER in percent: edits summed over sentences, divided by all reference words.

    Args:
        hypotheses: one recognised gloss sequence per sentence; an empty line is all deletions.
        references: the ground-truth gloss sequences, aligned with ``hypotheses``.

    Returns:
        ``wer``, ``sub_rate``, ``del_rate``, ``ins_rate`` (percent of the reference words) and
        the counts ``substitutions``, ``deletions``, ``insertions``, ``reference_words``.
    """
    if len(hypotheses) != len(references):
        raise ValueError(f'{len(hypotheses)} hypotheses but {len(references)} references')
    subs = dels = ins = num_ref = 0
    for hypothesis, reference in zip(hypotheses, references):
        ref_words = reference.split()
        s, d, n = align_counts(hypothesis.split(), ref_words)
        subs, dels, ins, num_ref = subs + s, dels + d, ins + n, num_ref + len(ref_words)
    if num_ref == 0:
        raise ValueError('the references contain no words, so WER (edits per reference word) '
                         'is undefined')
    return {
        'wer': 100.0 * (subs + dels + ins) / num_ref,
        'substitutions': subs,
        'deletions': dels,
        'insertions': ins,
        'reference_words': num_ref,
        'sub_rate': 100.0 * subs / num_ref,
        'del_rate': 100.0 * dels / num_ref,
        'ins_rate': 100.0 * ins / num_ref,
    }
