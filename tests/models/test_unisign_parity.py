"""Uni-Sign's pose-only and RGB-pose models, converted and built from
configs/unisign/unisign_pose_slt.py and unisign_rgb_pose_slt.py, give Uni-Sign's own outputs on
the reference cases (batch 1, every frame valid; the RGB-pose model with the reference's crops,
placeholders included): visual tokens, mT5's encoder input, teacher-forced logits and loss,
greedy and beam-4 generations."""
import os

import numpy as np
import pytest
import torch
from mmengine.config import Config

from tests.models.encoders.unisign_checkpoint import (
    CASES,
    converted_checkpoint,
    reference_case,
    reference_dir,
)
from unisign_fla.engine.checkpoint import load_model_weights
from unisign_fla.models.heads.text_sequences import encode_targets, pad_ids, teacher_forcing_inputs
from unisign_fla.registry import MODELS

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# variant -> (recipe, prefix of its outputs in the golden files and golden.json)
VARIANTS = {'pose_only': ('unisign_pose_slt.py', 'pose_only.'),
            'rgb_pose': ('unisign_rgb_pose_slt.py', '')}


@pytest.fixture(scope='module', params=list(VARIANTS))
def variant(request, tmp_path_factory):
    """(prefix, model): the reference checkpoint (Uni-Sign's layout; RGB branch removed for the
    pose-only variant) converted by the converter and loaded strictly into the recipe's model,
    in eval mode."""
    recipe, prefix = VARIANTS[request.param]
    converted = converted_checkpoint(tmp_path_factory.mktemp('unisign'),
                                     rgb=request.param == 'rgb_pose')
    cfg = Config.fromfile(os.path.join(REPO, 'configs', 'unisign', recipe))
    cfg.model.head.pretrained_dir = os.path.join(reference_dir(), 'mt5-tiny')
    built = MODELS.build(cfg.model)
    load_model_weights(built, converted)
    return prefix, built.eval()


@pytest.fixture
def model(variant):
    return variant[1]


@pytest.fixture(params=CASES)
def case(request, variant):
    """(info, golden, inputs, sample) with the variant's golden outputs under plain names."""
    return reference_case(request.param, variant[0])


def assert_relative(ours, reference, tolerance=1e-4):
    """Largest difference within ``tolerance`` of the reference's largest magnitude. Measured,
    both variants, all cases: visual tokens and inputs_embeds <= 7.5e-7, logits <= 7.1e-7, loss
    <= 6e-8 (the RGB branch itself moves the tokens by up to 0.075)."""
    assert ours.shape == reference.shape
    error = (ours - reference).abs().max().item()
    assert error <= tolerance * reference.abs().max().item(), error


@torch.no_grad()
def test_visual_tokens_and_encoder_input(model, case, single_thread):
    info, golden, inputs, sample = case
    visual, visual_mask = model(inputs, [sample], mode='tensor')
    assert_relative(visual[0], golden['visual_tokens'])
    embeds, mask = model.head.encoder_inputs(visual, visual_mask, [model.prompt_for(sample)])
    prompt_length = len(info['prompt_ids'])
    assert embeds.shape[1] == len(golden['attention_mask']) and bool(mask.all())
    # golden inputs_embeds is the RGB-pose model's: its prompt part is the pose-only model's too
    assert_relative(embeds[0, :prompt_length], golden['inputs_embeds'][:prompt_length])
    assert torch.equal(embeds[0, prompt_length:], visual[0])
    if model.encoder.rgb_fusion is not None:
        assert_relative(embeds[0], golden['inputs_embeds'])


@torch.no_grad()
def test_logits_and_loss(model, case, single_thread):
    info, golden, inputs, sample = case
    head = model.head
    labels = pad_ids(encode_targets(head.tokenizer, [info['target']], head.max_target_length))
    assert labels[0].tolist() == golden['labels'].tolist()
    visual, visual_mask = model(inputs, [sample], mode='tensor')
    embeds, mask = head.encoder_inputs(visual, visual_mask, [model.prompt_for(sample)])
    decoder_inputs = teacher_forcing_inputs(labels, [head.default_decoder_start], head.ids['pad'])
    logits = head.lm(inputs_embeds=embeds, attention_mask=mask.long(),
                     decoder_input_ids=decoder_inputs).logits
    assert_relative(logits[0], golden['logits'])
    loss = model(inputs, [sample], mode='loss')['loss']
    np.testing.assert_allclose(loss.item(), golden['loss'].item(), rtol=1e-4)


@torch.no_grad()
@pytest.mark.parametrize('num_beams', [1, 4])
def test_generations(model, case, num_beams, single_thread):
    info, golden, inputs, sample = case
    visual, visual_mask = model(inputs, [sample], mode='tensor')
    embeds, mask = model.head.encoder_inputs(visual, visual_mask, [model.prompt_for(sample)])
    ids = model.head.lm.generate(inputs_embeds=embeds, attention_mask=mask.long(),
                                 max_new_tokens=20, num_beams=num_beams, do_sample=False,
                                 decoder_start_token_id=[model.head.default_decoder_start])
    key = 'greedy_ids' if num_beams == 1 else 'beam4_ids'
    assert ids[0].tolist() == golden[key].tolist()
    # the model's own prediction path decodes the same text
    model.generation.update(max_new_tokens=20, num_beams=num_beams)
    text_key = 'greedy_text' if num_beams == 1 else 'beam4_text'
    assert model(inputs, [sample], mode='predict')[0]['prediction'] == info[text_key]
