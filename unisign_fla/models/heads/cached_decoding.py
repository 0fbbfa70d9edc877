"""Light-T's decoder one token at a time, with a key/value cache.

``nn.TransformerDecoder`` has no incremental mode, so generation used to re-run the decoder on
the whole prefix at every step (quadratic in the output length). This runs the same pre-norm
layers, with the same weights, on the newest token only: each layer keeps the keys and values of
the tokens before it, and the memory's cross-attention keys and values are projected once. Beam
search reorders the caches with the surviving beams (``reorder``).
"""
import math

import torch
import torch.nn.functional as F
from torch import Tensor, nn


def _heads(x: Tensor, num_heads: int) -> Tensor:
    """(M, T, D) -> (M, H, T, D / H)."""
    m, t, d = x.shape
    return x.view(m, t, num_heads, d // num_heads).transpose(1, 2)


def _attend(query: Tensor, keys: Tensor, values: Tensor, attention: nn.MultiheadAttention,
            key_mask: Tensor | None = None) -> Tensor:
    """Scaled dot-product attention of one query step through ``attention``'s projections."""
    scores = query @ keys.transpose(-1, -2) / math.sqrt(query.shape[-1])
    if key_mask is not None:
        scores = scores.masked_fill(~key_mask[:, None, None, :], float('-inf'))
    mixed = scores.softmax(dim=-1) @ values                       # (M, H, 1, dh)
    mixed = mixed.transpose(1, 2).flatten(2)                       # (M, 1, D)
    return attention.out_proj(mixed)


class CachedDecoder:
    """Next-token log-probabilities of a ``LightTranslator`` (in eval mode) for one new token
    per row, given the encoder ``memory`` (M, S, D) and its validity mask (M, S)."""

    def __init__(self, translator, memory: Tensor, memory_mask: Tensor):
        self.translator = translator
        self.layers = list(translator.decoder.layers)
        self.memory_mask = memory_mask
        self.cross = []
        for layer in self.layers:
            attention = layer.multihead_attn
            d = attention.embed_dim
            k, v = F.linear(memory, attention.in_proj_weight[d:],
                            attention.in_proj_bias[d:]).chunk(2, dim=-1)
            self.cross.append((_heads(k, attention.num_heads), _heads(v, attention.num_heads)))
        self.past: list[tuple[Tensor, Tensor] | None] = [None] * len(self.layers)
        self.length = 0

    def reorder(self, rows: Tensor) -> None:
        """Keep the caches of ``rows`` (the beams that survived, in their new order)."""
        self.past = [(k[rows], v[rows]) for k, v in self.past]

    @torch.no_grad()
    def __call__(self, prefix: Tensor) -> Tensor:
        """Log-probabilities (M, V) after ``prefix`` (M, t); only its last token is new."""
        if prefix.shape[1] != self.length + 1:
            raise ValueError(f'expected a prefix of {self.length + 1} tokens, got '
                             f'{prefix.shape[1]}')
        translator = self.translator
        x = translator.target_positions(translator._embed_tokens(prefix[:, -1:]), self.length)
        for i, layer in enumerate(self.layers):
            attention = layer.self_attn
            q, k, v = F.linear(layer.norm1(x), attention.in_proj_weight,
                               attention.in_proj_bias).chunk(3, dim=-1)
            q, k, v = (_heads(t, attention.num_heads) for t in (q, k, v))
            if self.past[i] is not None:
                k = torch.cat([self.past[i][0], k], dim=2)
                v = torch.cat([self.past[i][1], v], dim=2)
            self.past[i] = (k, v)
            x = x + _attend(q, k, v, attention)
            cross = layer.multihead_attn
            d = cross.embed_dim
            q = _heads(F.linear(layer.norm2(x), cross.in_proj_weight[:d],
                                cross.in_proj_bias[:d]), cross.num_heads)
            x = x + _attend(q, *self.cross[i], cross, self.memory_mask)
            x = x + layer.linear2(layer.activation(layer.linear1(layer.norm3(x))))
        self.length += 1
        hidden = translator.decoder.norm(x[:, -1])
        return (hidden @ translator.token_embedding.weight.t()).log_softmax(dim=-1)


def full_prefix_step(translator, memory: Tensor, memory_mask: Tensor):
    """The step generation used before the cache: the whole decoder on the whole prefix (and
    the output layer on every position). Kept as the reference that the cache is tested and
    timed against (tests/models/heads/test_cached_decoding.py, benchmarks/decode.py)."""
    def step(prefix: Tensor) -> Tensor:
        return translator.decode(memory, memory_mask, prefix)[:, -1].log_softmax(dim=-1)
    return step
