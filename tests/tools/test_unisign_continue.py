"""Building on a converted Uni-Sign checkpoint with the toolkit's recipes (the reference
checkpoint, pose-only, standing in for Uni-Sign's CSL-News stage-1 file):

- configs/unisign/unisign_pose_lora_slt_csl-daily.py: its mT5 wrapped with LoRA is initialised
  from the checkpoint's plain weights, so before training it gives Uni-Sign's own loss and
  translations; training changes LoRA's weights only (encoder frozen, BatchNorm statistics too);
- configs/fla_llm/fla_stage2_mbart_csl-daily_unisign-pose.py: FLa-LLM stage 2 over the
  converted encoder, frozen, with a (tiny) mBART.

Both train through tools/train.py on shards of the reference cases, and their checkpoints
evaluate with tools/test.py."""
import json
import os

import numpy as np
import pytest
import torch
from mmengine.config import Config

from tests.models.encoders.unisign_checkpoint import (
    converted_checkpoint,
    reference_case,
    reference_dir,
)
from tests.models.heads.lm_families import save_family
from tests.tools.conftest import REPO, load_tool, read_losses
from tests.tools.unisign_files import extract_reference_shards
from unisign_fla.engine.checkpoint import load_checkpoint_state_dict
from unisign_fla.models.lora_names import plain_name
from unisign_fla.registry import MODELS

LORA_RECIPE = os.path.join(REPO, 'configs', 'unisign', 'unisign_pose_lora_slt_csl-daily.py')
STAGE2_RECIPE = os.path.join(REPO, 'configs', 'fla_llm',
                             'fla_stage2_mbart_csl-daily_unisign-pose.py')


@pytest.fixture(scope='module')
def files(tmp_path_factory):
    """(shards of the reference cases, the converted pose-only checkpoint)."""
    root = tmp_path_factory.mktemp('unisign_continue')
    return extract_reference_shards(root), converted_checkpoint(root, rgb=False)


def data_options(shards):
    """Train, validate and test on the two Chinese cases, one clip per batch: 2 iterations."""
    options = ['train_cfg.max_epochs=1', 'train_dataloader.sampler.batch_size=1',
               'default_hooks.logger.interval=1', 'optim_wrapper.accumulative_counts=1',
               'model.generation.max_new_tokens=8', 'model.generation.num_beams=1']
    for loader in ('train', 'val', 'test'):
        options += [f'{loader}_dataloader.dataset.data_root={shards}',
                    f'{loader}_dataloader.dataset.ann_file=unisign_zh-test.index.json',
                    f'{loader}_dataloader.batch_size=1', f'{loader}_dataloader.num_workers=0',
                    f'{loader}_dataloader.persistent_workers=False']
    return options


def train_then_test(recipe, options, work_dir):
    """tools/train.py, then tools/test.py on its last checkpoint: (weights, predictions)."""
    load_tool('train').main([recipe, '--work-dir', str(work_dir), '--cfg-options', *options])
    losses = [loss for _, loss in read_losses(work_dir)]
    assert len(losses) == 2 and np.isfinite(losses).all(), losses
    checkpoint = (work_dir / 'last_checkpoint').read_text().strip()
    load_tool('test').main([recipe, checkpoint, '--work-dir', str(work_dir / 'test'),
                            '--out-dir', str(work_dir / 'out'), '--cfg-options', *options])
    with open(work_dir / 'out' / 'predictions.jsonl', encoding='utf-8') as f:
        predictions = [json.loads(line) for line in f]
    return load_checkpoint_state_dict(checkpoint), predictions


def assert_encoder_unchanged(state, converted):
    encoder = {k: v for k, v in converted.items() if k.startswith('encoder.')}
    assert encoder and all(torch.equal(state[k], v) for k, v in encoder.items())


@torch.no_grad()
def test_lora_model_starts_as_the_converted_checkpoint(files, single_thread):
    cfg = Config.fromfile(LORA_RECIPE)
    cfg.model.head.pretrained_dir = os.path.join(reference_dir(), 'mt5-tiny')
    cfg.model.init_checkpoint = files[1]
    cfg.model.generation = dict(max_new_tokens=20, num_beams=1)
    model = MODELS.build(cfg.model).eval()
    assert any('lora_A' in name for name, _ in model.named_parameters())
    for name in ('zh_single', 'en_long'):
        info, golden, inputs, sample = reference_case(name, 'pose_only.')
        loss = model(inputs, [sample], mode='loss')['loss']
        np.testing.assert_allclose(loss.item(), golden['loss'].item(), rtol=1e-4)
        assert model(inputs, [sample], mode='predict')[0]['prediction'] == info['greedy_text']


def test_lora_fine_tuning_from_the_converted_checkpoint(files, tmp_path, single_thread):
    shards, converted_path = files
    options = data_options(shards) + [
        f'model.head.pretrained_dir={os.path.join(reference_dir(), "mt5-tiny")}',
        f'model.init_checkpoint={converted_path}']
    state, predictions = train_then_test(LORA_RECIPE, options, tmp_path / 'work')
    converted = load_checkpoint_state_dict(converted_path)
    assert_encoder_unchanged(state, converted)
    lora_b = [v for k, v in state.items() if 'lora_B' in k]
    assert lora_b and any(v.abs().sum() > 0 for v in lora_b)   # zero at initialisation
    frozen = {plain_name(k): v for k, v in state.items() if k.startswith('head.lm.')
              and plain_name(k) != k and plain_name(k) is not None}
    assert frozen and all(torch.equal(v, converted[k]) for k, v in frozen.items())
    assert sorted(p['id'] for p in predictions) == ['zh_no_hands', 'zh_single']


def test_fla_stage2_over_the_converted_encoder(files, tmp_path, single_thread):
    shards, converted_path = files
    torch.manual_seed(0)
    mbart = save_family('mbart', tmp_path / 'mbart')
    options = data_options(shards) + [f'model.head.pretrained_dir={mbart}',
                                      f'model.encoder_checkpoint={converted_path}']
    state, predictions = train_then_test(STAGE2_RECIPE, options, tmp_path / 'work')
    assert_encoder_unchanged(state, load_checkpoint_state_dict(converted_path))
    assert any(k.startswith('head.adapter.') for k in state)
    assert sorted(p['id'] for p in predictions) == ['zh_no_hands', 'zh_single']
