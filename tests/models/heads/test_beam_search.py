import torch

from unisign_fla.models.heads.beam_search import beam_search, greedy_search

BOS, EOS, A, B = 0, 1, 2, 3


def trap_step(prefixes: torch.Tensor) -> torch.Tensor:
    """A tiny "model" where greedy is wrong: A looks best first but every continuation of A is
    poor, while B leads to a certain EOS."""
    rows = []
    for prefix in prefixes.tolist():
        probs = {(BOS,): {A: 0.5, B: 0.4, EOS: 0.1},
                 (BOS, A): {A: 0.3, B: 0.3, EOS: 0.4},
                 (BOS, B): {EOS: 1.0}}.get(tuple(prefix), {EOS: 1.0})
        row = torch.full((4,), 1e-9)
        for token, p in probs.items():
            row[token] = p
        rows.append(row.log())
    return torch.stack(rows)


def test_greedy_takes_the_locally_best_token():
    assert greedy_search(trap_step, [BOS] * 2, EOS, max_new_tokens=5) == [[A], [A]]


def test_beam_search_finds_the_better_sequence_and_is_deterministic():
    # P(A EOS) = 0.2 < P(B EOS) = 0.4; without length normalisation beam search prefers B.
    out = beam_search(trap_step, [BOS] * 3, num_beams=2, eos_id=EOS, max_new_tokens=5,
                      length_penalty=0.0)
    assert out == [[B], [B], [B]]
    assert out == beam_search(trap_step, [BOS] * 3, num_beams=2, eos_id=EOS,
                              max_new_tokens=5, length_penalty=0.0)


def test_max_new_tokens_caps_unfinished_hypotheses():
    def never_ends(prefixes):
        logits = torch.zeros(prefixes.shape[0], 4)
        logits[:, A] = 5.0
        return logits.log_softmax(-1)

    assert greedy_search(never_ends, [BOS], EOS, max_new_tokens=3) == [[A, A, A]]
    assert beam_search(never_ends, [BOS], 3, EOS, max_new_tokens=3) == [[A, A, A]]
