"""Uni-Sign's pose-only model, converted and built from configs/unisign/unisign_pose_slt.py,
gives Uni-Sign's own outputs on the reference cases (batch 1, every frame valid): visual
tokens, mT5's encoder input, teacher-forced logits and loss, greedy and beam-4 generations."""
import json
import os

import numpy as np
import pytest
import torch
from mmengine.config import Config
from safetensors.numpy import load_file

from tests.models.encoders.unisign_checkpoint import reference_dir, unisign_state_dict
from unisign_fla.engine.checkpoint import load_model_weights
from unisign_fla.models.heads.text_sequences import (encode_targets, pad_ids,
                                                     teacher_forcing_inputs)
from unisign_fla.models.unisign_conversion import RGB_PREFIXES, convert_unisign_checkpoint
from unisign_fla.registry import MODELS

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CASES = ('zh_single', 'en_long', 'zh_no_hands')
GOLDEN_PARTS = ('body', 'left', 'right', 'face_all')
LANGUAGES = {'Chinese': 'zh', 'English': 'en'}


@pytest.fixture(scope='module')
def model(tmp_path_factory):
    """The pose-only reference checkpoint (Uni-Sign's layout, RGB branch removed) converted by
    the converter and loaded strictly into the recipe's model, in eval mode."""
    folder = tmp_path_factory.mktemp('unisign')
    pose_only = {k: v for k, v in unisign_state_dict().items() if not k.startswith(RGB_PREFIXES)}
    torch.save({'model': pose_only}, folder / 'unisign_pose.pth')
    convert_unisign_checkpoint(str(folder / 'unisign_pose.pth'), str(folder / 'converted.pth'))
    cfg = Config.fromfile(os.path.join(REPO, 'configs', 'unisign', 'unisign_pose_slt.py'))
    cfg.model.head.pretrained_dir = os.path.join(reference_dir(), 'mt5-tiny')
    built = MODELS.build(cfg.model)
    load_model_weights(built, str(folder / 'converted.pth'))
    return built.eval()


@pytest.fixture(params=CASES)
def case(request):
    folder = os.path.join(reference_dir(), 'cases', request.param)
    with open(os.path.join(folder, 'golden.json'), encoding='utf-8') as f:
        info = json.load(f)
    golden = {k: torch.from_numpy(v)
              for k, v in load_file(os.path.join(folder, 'golden.safetensors')).items()}
    keypoints = torch.cat([golden[f'parts.{p}'] for p in GOLDEN_PARTS], dim=1)[None]
    language = next(code for name, code in LANGUAGES.items() if name in info['prompt'])
    sample = dict(task='slt', language=language, target=info['target'])
    inputs = dict(keypoints=keypoints, mask=torch.ones(keypoints.shape[:2], dtype=torch.bool))
    return info, golden, inputs, sample


def assert_relative(ours, reference, tolerance=1e-4):
    """Largest difference within ``tolerance`` of the reference's largest magnitude."""
    assert ours.shape == reference.shape
    error = (ours - reference).abs().max().item()
    assert error <= tolerance * reference.abs().max().item(), error


@torch.no_grad()
def test_visual_tokens_and_encoder_input(model, case, single_thread):
    info, golden, inputs, sample = case
    visual, visual_mask = model(inputs, [sample], mode='tensor')
    assert_relative(visual[0], golden['pose_only.visual_tokens'])
    embeds, mask = model.head.encoder_inputs(visual, visual_mask, [model.prompt_for(sample)])
    prompt_length = len(info['prompt_ids'])
    assert embeds.shape[1] == len(golden['attention_mask']) and bool(mask.all())
    # golden inputs_embeds is the RGB-pose model's: its prompt part is the pose-only model's too
    assert_relative(embeds[0, :prompt_length], golden['inputs_embeds'][:prompt_length])
    assert torch.equal(embeds[0, prompt_length:], visual[0])


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
    assert_relative(logits[0], golden['pose_only.logits'])
    loss = model(inputs, [sample], mode='loss')['loss']
    np.testing.assert_allclose(loss.item(), golden['pose_only.loss'].item(), rtol=1e-4)


@torch.no_grad()
@pytest.mark.parametrize('num_beams', [1, 4])
def test_generations(model, case, num_beams, single_thread):
    info, golden, inputs, sample = case
    visual, visual_mask = model(inputs, [sample], mode='tensor')
    embeds, mask = model.head.encoder_inputs(visual, visual_mask, [model.prompt_for(sample)])
    ids = model.head.lm.generate(inputs_embeds=embeds, attention_mask=mask.long(),
                                 max_new_tokens=20, num_beams=num_beams, do_sample=False,
                                 decoder_start_token_id=[model.head.default_decoder_start])
    key = 'pose_only.greedy_ids' if num_beams == 1 else 'pose_only.beam4_ids'
    assert ids[0].tolist() == golden[key].tolist()
    # the model's own prediction path decodes the same text
    model.generation.update(max_new_tokens=20, num_beams=num_beams)
    text_key = 'greedy_text' if num_beams == 1 else 'beam4_text'
    assert model(inputs, [sample], mode='predict')[0]['prediction'] == \
        info['pose_only'][text_key]
