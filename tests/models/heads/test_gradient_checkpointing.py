"""``LanguageModelHead(gradient_checkpointing=True)``: activations recomputed in the backward
pass, the same loss and gradients as without (decoder-only and seq2seq, full and LoRA)."""
import pytest
import torch

from tests.models.heads.lm_families import save_family
from unisign_fla.models.heads import LanguageModelHead

TARGETS = ['the cat sat on the mat.', 'we like green tea.', 'a dog runs in the park.',
           'they read a book today.']


@pytest.fixture(scope='module')
def lm_folders(tmp_path_factory):
    root = tmp_path_factory.mktemp('checkpointing')
    torch.manual_seed(0)
    return {family: save_family(family, root / family) for family in ('llama', 'mbart')}


def loss_and_grads(folder, lora, checkpointing, visual, mask):
    torch.manual_seed(0)   # the same adapter and LoRA initialisation with and without
    head = LanguageModelHead(16, folder, lora=lora, label_smoothing=0.1,
                             gradient_checkpointing=checkpointing).train()
    loss = head.loss(visual, mask, TARGETS, languages=['en'] * len(TARGETS))['loss']
    loss.backward()
    return head, loss.item(), {n: p.grad for n, p in head.named_parameters() if p.requires_grad}


@pytest.mark.parametrize('family', ['llama', 'mbart'])
@pytest.mark.parametrize('lora', [None, dict(r=4, target_modules=['q_proj', 'v_proj'])],
                         ids=['full', 'lora'])
def test_checkpointing_keeps_loss_and_gradients(lm_folders, visual_batch, family, lora):
    visual, mask = visual_batch
    _, loss, grads = loss_and_grads(lm_folders[family], lora, False, visual, mask)
    head, checkpointed_loss, checkpointed_grads = loss_and_grads(lm_folders[family], lora,
                                                                 True, visual, mask)
    base = head.lm.get_base_model() if lora else head.lm
    assert getattr(base, 'is_activation_checkpointing', None) or base.is_gradient_checkpointing
    assert checkpointed_loss == pytest.approx(loss, rel=1e-6)
    assert sorted(checkpointed_grads) == sorted(grads)
    assert all(g is not None for g in grads.values())
    for name, grad in grads.items():
        torch.testing.assert_close(checkpointed_grads[name], grad, rtol=1e-5, atol=1e-7,
                                   msg=name)
    if lora:   # the frozen LM stays frozen
        assert not any('lora_' not in n and n.startswith('lm.') for n in grads)
