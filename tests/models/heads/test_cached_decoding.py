"""Light-T's cached decoding equals re-running the whole decoder on the prefix: the same
next-token log-probabilities at every step (to float rounding) and the same generated texts,
greedy and beam, for both position encodings."""
import pytest
import torch

from unisign_fla.models.heads import LightTranslator
from unisign_fla.models.heads.beam_search import beam_search, greedy_search
from unisign_fla.models.heads.cached_decoding import CachedDecoder, full_prefix_step
from unisign_fla.models.heads.text_sequences import decode_texts

SMALL = dict(d_model=64, num_heads=4, ffn_channels=128, num_encoder_layers=2,
             num_decoder_layers=3, dropout=0.0)


def full_prefix_texts(head, visual, mask, num_beams, max_new_tokens):
    """The decoding before the cache: the whole decoder on the whole prefix at every step."""
    memory, memory_mask = head.encode(visual, visual_mask=mask)
    step = full_prefix_step(head, memory.repeat_interleave(num_beams, dim=0),
                            memory_mask.repeat_interleave(num_beams, dim=0))
    common = dict(start_ids=head._decoder_starts(None, visual.shape[0]), eos_id=head.ids['eos'],
                  max_new_tokens=max_new_tokens)
    ids = (beam_search(step, num_beams=num_beams, length_penalty=head.length_penalty, **common)
           if num_beams > 1 else greedy_search(step, **common))
    return decode_texts(head.tokenizer, ids)


@pytest.mark.parametrize('position', ['sinusoidal', 'learned'])
@torch.no_grad()
def test_each_step_matches_the_full_decoder(lm_dirs, position):
    torch.manual_seed(0)
    head = LightTranslator(16, lm_dirs['tokenizer'], position=position, **SMALL).eval()
    visual, mask = torch.randn(3, 9, 16), torch.ones(3, 9, dtype=torch.bool)
    mask[1, 5:] = False
    memory, memory_mask = head.encode(visual, mask)
    cached = CachedDecoder(head, memory, memory_mask)
    prefix = torch.randint(0, len(head.tokenizer), (3, 1))
    reference = full_prefix_step(head, memory, memory_mask)
    for _ in range(7):
        torch.testing.assert_close(cached(prefix), reference(prefix), atol=1e-5, rtol=1e-5)
        prefix = torch.cat([prefix, torch.randint(0, len(head.tokenizer), (3, 1))], dim=1)


@torch.no_grad()
def test_reorder_follows_the_surviving_beams(lm_dirs):
    """Three beams of one clip (beam search repeats its memory per beam); after a step rows
    2, 2, 0 survive, in that order."""
    torch.manual_seed(0)
    head = LightTranslator(16, lm_dirs['tokenizer'], **SMALL).eval()
    memory, memory_mask = head.encode(torch.randn(1, 9, 16), torch.ones(1, 9, dtype=torch.bool))
    memory, memory_mask = memory.expand(3, -1, -1), memory_mask.expand(3, -1)
    cached = CachedDecoder(head, memory, memory_mask)
    prefix = torch.tensor([[0], [0], [0]])
    for new in ([4], [9], [13]), ([7], [8], [2]):
        cached(prefix)
        prefix = torch.cat([prefix, torch.tensor(new)], dim=1)
    cached(prefix)   # the step whose scores chose the survivors
    rows = torch.tensor([2, 2, 0])
    cached.reorder(rows)
    prefix = torch.cat([prefix[rows], torch.tensor([[5], [6], [7]])], dim=1)
    full = full_prefix_step(head, memory, memory_mask)(prefix)
    torch.testing.assert_close(cached(prefix), full, atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize('num_beams', [1, 4])
def test_generations_equal_the_full_prefix_decoding(lm_dirs, num_beams):
    torch.manual_seed(1)
    head = LightTranslator(16, lm_dirs['tokenizer'], **SMALL).eval()
    visual, mask = torch.randn(4, 11, 16), torch.ones(4, 11, dtype=torch.bool)
    mask[2, 6:] = False
    expected = full_prefix_texts(head, visual, mask, num_beams, max_new_tokens=12)
    assert head.predict(visual, mask, num_beams=num_beams, max_new_tokens=12) == expected
    assert any(expected)
