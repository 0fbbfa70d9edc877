import pytest
import torch

from unisign_fla.models.heads import LightTranslator
from unisign_fla.registry import MODELS

SMALL = dict(d_model=64, num_heads=4, ffn_channels=128, num_encoder_layers=2,
             num_decoder_layers=2, dropout=0.0)


def overfit(head, visual, mask, targets, steps, lr=3e-3):
    optimizer = torch.optim.AdamW(head.parameters(), lr=lr)
    for _ in range(steps):
        loss = head.loss(visual, mask, targets)['loss']
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return loss.item()


def test_overfits_pairs_and_generates_them_exactly(lm_dirs, visual_batch, pairs):
    torch.manual_seed(0)
    head = MODELS.build(dict(type='LightTranslator', in_channels=16,
                             tokenizer_dir=lm_dirs['tokenizer'], label_smoothing=0.1, **SMALL))
    assert isinstance(head, LightTranslator)
    visual, mask = visual_batch
    overfit(head, visual, mask, pairs, steps=60)
    head.eval()
    assert head.predict(visual, mask, num_beams=1) == pairs
    assert head.predict(visual, mask, num_beams=3) == pairs
    assert head.predict(visual, mask, num_beams=3) == pairs  # deterministic
    assert all(len(t.split()) <= 2 for t in head.predict(visual, mask, num_beams=1,
                                                         max_new_tokens=2))


@pytest.mark.parametrize('position', ['sinusoidal', 'learned'])
def test_padding_never_changes_loss_or_prediction(lm_dirs, position, check_padding_invariance):
    torch.manual_seed(0)
    head = LightTranslator(16, lm_dirs['tokenizer'], position=position, **SMALL).eval()
    check_padding_invariance(head, num_beams=2, max_new_tokens=6)
    check_padding_invariance(head, prompts=['Translate:', 'Translate sign language video:'],
                             num_beams=1, max_new_tokens=6)


def test_prompts_change_the_encoding(lm_dirs, visual_batch, pairs):
    torch.manual_seed(0)
    head = LightTranslator(16, lm_dirs['tokenizer'], **SMALL).eval()
    visual, mask = visual_batch
    with_prompt = head.loss(visual, mask, pairs, ['Translate:'] * 4)['loss']
    assert not torch.allclose(with_prompt, head.loss(visual, mask, pairs)['loss'])


def test_bad_arguments(lm_dirs, tmp_path, visual_batch, pairs):
    with pytest.raises(FileNotFoundError, match='not a tokenizer directory'):
        LightTranslator(16, str(tmp_path))
    with pytest.raises(ValueError, match="position='rotary'"):
        LightTranslator(16, lm_dirs['tokenizer'], position='rotary', **SMALL)
    head = LightTranslator(16, lm_dirs['tokenizer'], position='learned', max_positions=4,
                           **SMALL)
    visual, mask = visual_batch
    with pytest.raises(ValueError, match='exceeds max_positions=4'):
        head.loss(visual, mask, pairs)
    with pytest.raises(ValueError, match='targets: expected 4 texts, got 1'):
        head.loss(visual, mask, pairs[:1])


def test_input_token_dropout_blanks_teacher_inputs_in_training_only(lm_dirs, visual_batch,
                                                                    pairs):
    torch.manual_seed(0)
    visual, mask = visual_batch
    plain = LightTranslator(16, lm_dirs['tokenizer'], **SMALL)
    blanked = LightTranslator(16, lm_dirs['tokenizer'], input_token_dropout=1.0, **SMALL)
    blanked.load_state_dict(plain.state_dict())
    for head in (plain, blanked):
        head.eval()
    assert torch.equal(plain.loss(visual, mask, pairs)['loss'],
                       blanked.loss(visual, mask, pairs)['loss'])
    plain.train()
    blanked.train()
    # Every input but BOS is <unk>: the decoder sees no prefix, so the loss changes.
    assert not torch.allclose(plain.loss(visual, mask, pairs)['loss'],
                              blanked.loss(visual, mask, pairs)['loss'])
