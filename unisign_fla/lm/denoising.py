"""BART-style text infilling: the denoising objective used to pretrain seq2seq LMs here.

Spans with Poisson-distributed lengths are each replaced by a single ``<mask>`` token, so the
decoder must recover both the content and the length of what was removed. Unlike T5's sentinel
scheme the target is the whole original sentence, which is also what stage 2 asks the decoder
to produce (a full sentence), so pretraining and fine-tuning share one output format.
"""
import numpy as np


def mask_spans(ids: list[int], mask_id: int, rng: np.random.Generator, ratio: float = 0.3,
               mean_span: float = 3.0) -> list[int]:
    """Return ``ids`` with about ``ratio`` of its tokens removed in spans, one ``mask_id`` per span.

    At least one token is masked in any non-empty sequence, so every example carries signal.
    """
    if not ids:
        return []
    budget = max(1, round(ratio * len(ids)))
    masked = np.zeros(len(ids), dtype=bool)
    while masked.sum() < budget:
        span = int(min(max(rng.poisson(mean_span), 1), budget - masked.sum()))
        start = int(rng.integers(0, len(ids) - span + 1))
        masked[start:start + span] = True
    corrupted = []
    for token, is_masked in zip(ids, masked):
        if not is_masked:
            corrupted.append(token)
        elif not corrupted or corrupted[-1] != mask_id:
            corrupted.append(mask_id)
    return corrupted
