"""The head options Uni-Sign's model needs: no adapter (its tokens already have the LM's width)
and the tokenizer's EOS after the prompt; the defaults stay as they were."""
import pytest
import torch
from torch import nn

from unisign_fla.models.heads import LanguageModelHead
from unisign_fla.models.heads.text_sequences import tokenize_texts

PROMPT = 'Translate sign language video to English: '


def test_without_adapter_the_tokens_enter_the_lm_as_they_are(lm_dirs):
    head = LanguageModelHead(32, lm_dirs['t5'], adapter=None, prompt=PROMPT)
    assert isinstance(head.adapter, nn.Identity)
    visual, mask = torch.randn(1, 5, 32), torch.ones(1, 5, dtype=torch.bool)
    embeds, embeds_mask = head.encoder_inputs(visual, mask)
    assert torch.equal(embeds[0, -5:], visual[0]) and bool(embeds_mask.all())
    with pytest.raises(ValueError, match=r"adapter=None: expected 'mlp', or None when the "
                                         r"visual tokens have the LM's width \(16 != 32\)"):
        LanguageModelHead(16, lm_dirs['t5'], adapter=None)
    assert isinstance(LanguageModelHead(16, lm_dirs['t5']).adapter, nn.Sequential)


def test_prompt_eos_appends_the_tokenizer_eos(lm_dirs):
    visual, mask = torch.randn(1, 3, 16), torch.ones(1, 3, dtype=torch.bool)
    plain = LanguageModelHead(16, lm_dirs['t5'], prompt=PROMPT)
    with_eos = LanguageModelHead(16, lm_dirs['t5'], prompt=PROMPT, prompt_eos=True)
    prompt_length = len(tokenize_texts(plain.tokenizer, [PROMPT])[0])
    assert plain.encoder_inputs(visual, mask)[0].shape[1] == prompt_length + 3
    embeds = with_eos.encoder_inputs(visual, mask)[0]
    eos = with_eos.lm.get_input_embeddings()(torch.tensor(with_eos.ids['eos']))
    assert embeds.shape[1] == prompt_length + 4
    assert torch.equal(embeds[0, prompt_length], eos)
