"""Top-k accuracy for isolated sign recognition cast as translation (one word per clip).

A generated label counts as correct when it equals the reference after light normalisation, so
``"Book."`` matches ``"book"``. Benchmarks such as WLASL and MSASL report both the per-instance
mean and the per-class mean; the two differ when classes are imbalanced, so both are returned.
"""
import unicodedata
from collections import defaultdict

import numpy as np

# Sentence-final punctuation a generator may append to a single-word answer. Full-width '！'
# and '？' become ASCII under NFKC; the ideographic full stop does not.
TRAILING_PUNCTUATION = '.!?。'


def normalize_label(label: str) -> str:
    """NFKC, casefold, collapse whitespace and drop trailing sentence punctuation."""
    label = ' '.join(unicodedata.normalize('NFKC', label).casefold().split())
    return label.rstrip(TRAILING_PUNCTUATION).rstrip()


def _percent(hits: list[bool], classes: list[str]) -> tuple[float, float]:
    """Per-instance and per-class mean of ``hits`` in percent."""
    per_class = defaultdict(list)
    for hit, cls in zip(hits, classes):
        per_class[cls].append(hit)
    class_means = [np.mean(class_hits) for class_hits in per_class.values()]
    return 100.0 * float(np.mean(hits)), 100.0 * float(np.mean(class_means))


def isolated_accuracy(predictions: list[str] | list[list[str]],
                      references: list[str]) -> dict:
    """Top-1 (and top-5) accuracy in percent, per instance and per class.

    Args:
        predictions: per sample either one label or a ranked list of labels (best first).
        references: the ground-truth label of each sample; its normalised form is its class.

    Returns:
        ``top1_instance`` and ``top1_class``; ``top5_instance`` and ``top5_class`` as well when
        every prediction is a ranked list (a list shorter than five counts what it has).
    """
    if len(predictions) != len(references):
        raise ValueError(f'{len(predictions)} predictions but {len(references)} references')
    if not references:
        raise ValueError('no samples to score')
    classes = [normalize_label(reference) for reference in references]
    for index, cls in enumerate(classes):
        if not cls:
            raise ValueError(f'reference {index} is empty after normalisation: '
                             f'{references[index]!r}')
    ranked = [[p] if isinstance(p, str) else list(p) for p in predictions]
    ranked = [[normalize_label(label) for label in labels] for labels in ranked]
    top1 = [labels[:1] == [cls] for labels, cls in zip(ranked, classes)]
    scores = dict(zip(('top1_instance', 'top1_class'), _percent(top1, classes)))
    if all(not isinstance(p, str) for p in predictions):
        top5 = [cls in labels[:5] for labels, cls in zip(ranked, classes)]
        scores.update(zip(('top5_instance', 'top5_class'), _percent(top5, classes)))
    return scores
