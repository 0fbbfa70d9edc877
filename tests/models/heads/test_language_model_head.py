import pytest
import torch

from unisign_fla.models.heads import LanguageModelHead
from unisign_fla.registry import MODELS

LORA = dict(r=4, lora_alpha=8, lora_dropout=0.0)
ARCHS = [('llama', 'causal'), ('t5', 'seq2seq')]


def train(head, visual, mask, targets, steps, lr=3e-3):
    optimizer = torch.optim.AdamW([p for p in head.parameters() if p.requires_grad], lr=lr)
    for _ in range(steps):
        loss = head.loss(visual, mask, targets)['loss']
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def grad_owners(head, visual, mask, targets):
    """Names of parameters that receive a non-zero gradient, split into adapter/lora/base."""
    head.zero_grad()
    head.loss(visual, mask, targets)['loss'].backward()
    groups = dict(adapter=set(), lora=set(), base=set())
    for name, param in head.named_parameters():
        if param.grad is not None and param.grad.abs().sum() > 0:
            key = ('adapter' if name.startswith('adapter.')
                   else 'lora' if 'lora_' in name else 'base')
            groups[key].add(name)
    return groups


@pytest.mark.parametrize('arch, kind', ARCHS)
def test_kind_detection_and_full_fine_tuning(lm_dirs, visual_batch, pairs, arch, kind):
    head = MODELS.build(dict(type='LanguageModelHead', in_channels=16,
                             pretrained_dir=lm_dirs[arch]))
    assert head.kind == kind
    groups = grad_owners(head, *visual_batch, pairs)
    assert groups['adapter'] and groups['base'] and not groups['lora']
    embeddings = head.lm.get_input_embeddings().weight
    assert embeddings.grad is not None and embeddings.grad.abs().sum() > 0


@pytest.mark.parametrize('arch, kind', ARCHS)
def test_lora_trains_adapter_and_lora_only(lm_dirs, visual_batch, pairs, arch, kind):
    head = LanguageModelHead(16, lm_dirs[arch], lora=LORA)
    base = {n: p.clone() for n, p in head.named_parameters() if not p.requires_grad}
    assert base and all('lora_' not in n for n in base)
    groups = grad_owners(head, *visual_batch, pairs)
    assert groups['adapter'] and groups['lora'] and not groups['base']
    train(head, *visual_batch, pairs, steps=2)
    assert all(torch.equal(p, base[n]) for n, p in head.named_parameters() if n in base)


def test_freeze_lm_trains_the_adapter_only(lm_dirs, visual_batch, pairs):
    head = LanguageModelHead(16, lm_dirs['t5'], freeze_lm=True)
    groups = grad_owners(head, *visual_batch, pairs)
    assert groups['adapter'] and not groups['base'] and not groups['lora']


@pytest.mark.parametrize('arch, kind', ARCHS)
def test_learns_pairs_and_generates_them_from_inputs_embeds(lm_dirs, visual_batch, pairs, arch,
                                                            kind):
    torch.manual_seed(0)
    head = LanguageModelHead(16, lm_dirs[arch], label_smoothing=0.0)
    train(head, *visual_batch, pairs, steps=60, lr=1e-2)
    head.eval()
    assert head.predict(*visual_batch, num_beams=1, max_new_tokens=12) == pairs
    assert head.predict(*visual_batch, num_beams=3, max_new_tokens=12) == pairs


@pytest.mark.parametrize('arch, kind', ARCHS)
def test_padding_never_changes_loss_or_prediction(lm_dirs, check_padding_invariance, arch, kind):
    torch.manual_seed(0)
    head = LanguageModelHead(16, lm_dirs[arch], lora=LORA).eval()
    check_padding_invariance(head, num_beams=2, max_new_tokens=5)
    check_padding_invariance(head, prompts=['Translate:', 'Translate sign language video:'],
                             num_beams=1, max_new_tokens=5)


@pytest.mark.parametrize('arch, kind', ARCHS)
def test_state_dict_round_trip_with_lora(lm_dirs, visual_batch, pairs, arch, kind):
    torch.manual_seed(0)
    head = LanguageModelHead(16, lm_dirs[arch], lora=LORA)
    train(head, *visual_batch, pairs, steps=3, lr=1e-2)
    head.eval()
    state = head.state_dict()
    assert any('lora_B' in k and state[k].abs().sum() > 0 for k in state)
    torch.manual_seed(123)
    fresh = LanguageModelHead(16, lm_dirs[arch], lora=LORA).eval()
    assert fresh.predict(*visual_batch, max_new_tokens=6) != head.predict(*visual_batch,
                                                                          max_new_tokens=6) or \
        not torch.allclose(fresh.loss(*visual_batch, pairs)['loss'],
                           head.loss(*visual_batch, pairs)['loss'])
    fresh.load_state_dict(state)
    assert torch.equal(fresh.loss(*visual_batch, pairs)['loss'],
                       head.loss(*visual_batch, pairs)['loss'])
    assert fresh.predict(*visual_batch, max_new_tokens=6) == head.predict(*visual_batch,
                                                                          max_new_tokens=6)


def test_bad_arguments(lm_dirs, tmp_path):
    with pytest.raises(FileNotFoundError, match=r'not a Hugging Face model directory \(expected '
                                                r'config.json'):
        LanguageModelHead(16, str(tmp_path))
    with pytest.raises(ValueError, match="kind='encoder'"):
        LanguageModelHead(16, lm_dirs['t5'], kind='encoder')
    with pytest.raises(ValueError, match='exclusive'):
        LanguageModelHead(16, lm_dirs['t5'], lora=LORA, freeze_lm=True)
