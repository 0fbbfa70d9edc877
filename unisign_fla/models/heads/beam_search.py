"""Deterministic greedy and beam search over a callable that maps prefixes (M, t) to next-token
log-probabilities (M, V).

A stateful step (Light-T's ``CachedDecoder``, which keeps each row's keys and values) needs to
know which rows survive a beam step: ``beam_search`` passes them to ``reorder`` before the next
call. Ties break by token id (``topk`` on CPU is deterministic), so the same inputs always give
the same text.
"""
from collections.abc import Callable

import torch
from torch import Tensor

StepFn = Callable[[Tensor], Tensor]


@torch.no_grad()
def greedy_search(step: StepFn, start_ids: list[int], eos_id: int, max_new_tokens: int,
                  device: torch.device | None = None) -> list[list[int]]:
    """Argmax decoding from each sample's start token; returns the generated ids of each
    sample without the start token and EOS."""
    batch_size = len(start_ids)
    tokens = torch.tensor(start_ids, dtype=torch.long, device=device)[:, None]
    finished = torch.zeros(batch_size, dtype=torch.bool, device=device)
    for _ in range(max_new_tokens):
        next_ids = step(tokens).argmax(dim=-1)
        next_ids = next_ids.masked_fill(finished, eos_id)
        tokens = torch.cat([tokens, next_ids[:, None]], dim=1)
        finished |= next_ids == eos_id
        if bool(finished.all()):
            break
    return [_strip(row, eos_id) for row in tokens[:, 1:].tolist()]


def _strip(ids: list[int], eos_id: int) -> list[int]:
    return ids[:ids.index(eos_id)] if eos_id in ids else ids


@torch.no_grad()
def beam_search(step: StepFn, start_ids: list[int], num_beams: int, eos_id: int,
                max_new_tokens: int, length_penalty: float = 1.0,
                device: torch.device | None = None,
                reorder: Callable[[Tensor], None] | None = None) -> list[list[int]]:
    """Beam search over ``num_beams`` hypotheses per sample (``step`` sees B * num_beams rows,
    sample-major, so the caller repeats its encoder memory with ``repeat_interleave``).

    A finished hypothesis scores ``sum log p / length ** length_penalty`` (length counts EOS).
    A sample stops once it has ``num_beams`` finished hypotheses and its best running beam,
    normalised at the current length, cannot beat the worst of them (Hugging Face's heuristic).
    Returns the best hypothesis of each sample, without its start token and EOS.
    """
    beams, batch_size = num_beams, len(start_ids)
    tokens = torch.tensor(start_ids, dtype=torch.long, device=device).repeat_interleave(beams)
    tokens = tokens[:, None]
    scores = torch.full((batch_size, beams), float('-inf'), device=device)
    scores[:, 0] = 0.0  # identical initial beams: expand only the first
    finished: list[list[tuple[float, list[int]]]] = [[] for _ in range(batch_size)]
    done = [False] * batch_size
    for length in range(1, max_new_tokens + 1):
        log_probs = step(tokens).float()
        vocab = log_probs.shape[-1]
        candidates = (scores[:, :, None] + log_probs.view(batch_size, beams, vocab))
        top_scores, top_ids = candidates.view(batch_size, -1).topk(2 * beams, dim=1)
        next_rows, next_tokens = [], []
        for b in range(batch_size):
            row_scores, chosen = [], []
            if not done[b]:
                for rank, (score, flat) in enumerate(zip(top_scores[b].tolist(),
                                                         top_ids[b].tolist())):
                    if score == float('-inf') or len(chosen) == beams:
                        break
                    beam, token = divmod(flat, vocab)
                    if token != eos_id:
                        chosen.append((beam, token))
                        row_scores.append(score)
                    elif rank < beams:
                        prefix = tokens[b * beams + beam, 1:].tolist()
                        _add_hypothesis(finished[b], score / length ** length_penalty, prefix,
                                        beams)
                best_running = row_scores[0] / length ** length_penalty if row_scores else None
                done[b] = best_running is None or (
                    len(finished[b]) == beams and finished[b][-1][0] >= best_running)
            # Dead or finished samples keep placeholder beams with -inf scores.
            chosen += [(0, eos_id)] * (beams - len(chosen))
            row_scores += [float('-inf')] * (beams - len(row_scores))
            next_rows += [b * beams + beam for beam, _ in chosen]
            next_tokens += [token for _, token in chosen]
            scores[b] = torch.tensor(row_scores, device=device)
        if all(done):
            break
        rows = torch.tensor(next_rows, device=device)
        if reorder is not None:
            reorder(rows)
        tokens = torch.cat([tokens[rows], torch.tensor(next_tokens, device=device)[:, None]],
                           dim=1)
    else:
        for b in range(batch_size):
            if not done[b]:
                for beam in range(beams):
                    if scores[b, beam] > float('-inf'):
                        _add_hypothesis(finished[b],
                                        float(scores[b, beam]) / max_new_tokens ** length_penalty,
                                        tokens[b * beams + beam, 1:].tolist(), beams)
    return [hyps[0][1] if hyps else [] for hyps in finished]


def _add_hypothesis(hyps: list[tuple[float, list[int]]], score: float, ids: list[int],
                    keep: int) -> None:
    """Insert into the best-first list ``hyps`` and keep the ``keep`` best (stable for ties)."""
    hyps.append((score, ids))
    hyps.sort(key=lambda h: -h[0])
    del hyps[keep:]
