"""Paired bootstrap resampling (Koehn, 2004) to tell whether one system really beats another.

A difference of a BLEU point on a test set of a few hundred sentences can be noise. Resampling
the test sentences with replacement, and scoring both systems on the same resample, gives a
confidence interval for the difference and the fraction of resamples that contradict it.
"""
from collections.abc import Callable

import numpy as np

Metric = Callable[[list[str], list[str]], float]


def paired_bootstrap(hyps_a: list[str], hyps_b: list[str], references: list[str],
                     metric: Metric, num_samples: int = 1000, seed: int = 0) -> dict:
    """Compare two systems on the same references with a corpus-level metric.

    Args:
        hyps_a: outputs of the baseline system, one per reference.
        hyps_b: outputs of the compared system, one per reference.
        references: ground truth, aligned with both hypothesis lists.
        metric: corpus-level score ``metric(hypotheses, references)``, higher is better
            (e.g. ``lambda h, r: BLEU().corpus_score(h, [r]).score``).
        num_samples: number of resamples of the sentence indices.
        seed: seed of the numpy generator, so the result is reproducible.

    Returns:
        ``score_a``, ``score_b`` and ``delta`` (b - a) on the full set; ``delta_ci95``, the 2.5th
        and 97.5th percentiles of the resampled deltas; ``p_value``, the fraction of resamples
        whose delta does not have the sign of the full-set delta (``delta <= 0`` when b wins,
        ``delta >= 0`` otherwise); and ``num_samples``.
    """
    if not len(hyps_a) == len(hyps_b) == len(references):
        raise ValueError(f'{len(hyps_a)} hypotheses for system a, {len(hyps_b)} for system b '
                         f'and {len(references)} references; all three must match')
    if not references:
        raise ValueError('no sentences to resample')
    if num_samples < 1:
        raise ValueError(f'num_samples must be at least 1, got {num_samples}')
    score_a = float(metric(hyps_a, references))
    score_b = float(metric(hyps_b, references))
    delta = score_b - score_a

    rng = np.random.default_rng(seed)
    size = len(references)
    deltas = np.empty(num_samples)
    for k in range(num_samples):
        indices = rng.integers(0, size, size)
        refs = [references[i] for i in indices]
        deltas[k] = (metric([hyps_b[i] for i in indices], refs)
                     - metric([hyps_a[i] for i in indices], refs))

    contradicting = deltas <= 0 if delta > 0 else deltas >= 0
    low, high = np.percentile(deltas, [2.5, 97.5])
    return {
        'score_a': score_a,
        'score_b': score_b,
        'delta': delta,
        'delta_ci95': [float(low), float(high)],
        'p_value': float(np.mean(contradicting)),
        'num_samples': num_samples,
    }
