"""Stage 2 sharded with FSDP (configs/_base_/strategies/fsdp.py) on two CPU processes (gloo).

Two ranks with one clip each take the optimizer step that one process takes on the same two
clips with ``accumulative_counts=2`` (both average the two clips' gradients): rank 0's loss at
iteration i is the single run's at micro-iteration 2i-1, and the weights after 3 steps match. The
runs start from one saved initial model (the adapter's random initialisation otherwise depends
on what each runner draws first), read clips in file order with the test pipeline (no random
augmentation) and keep the learning rate constant (a schedule would advance per micro-iteration).
The FSDP run also recomputes the LM's activations (``model.head.gradient_checkpointing``), which
must not change a loss either.
"""
import json
import os
import shutil
import subprocess
import sys

import pytest
import torch
from mmengine.config import Config
from torch import nn

from tests.models.heads.lm_families import save_family
from tests.tools.conftest import REPO, data_options, load_tool, schedule_options, tiny_synthsign  # noqa: F401
from unisign_fla.engine import load_run_config, logged_scalars
from unisign_fla.engine.checkpoint import load_checkpoint, load_checkpoint_state_dict
from unisign_fla.engine.sharded_training import (
    TrainableParamsOptimWrapperConstructor,
    prepare_strategy_config,
)
from unisign_fla.registry import MODELS

STAGE1 = os.path.join(REPO, 'configs/synthsign/fla_stage1_synthsign.py')
STAGE2 = os.path.join(REPO, 'configs/synthsign/fla_stage2_synthsign.py')
FSDP = os.path.join(REPO, 'configs/_base_/strategies/fsdp.py')
SAME_BATCHES = """_base_ = {bases!r}
train_dataloader = dict(batch_size=1, sampler=dict(_delete_=True, type='DefaultSampler',
                                                   shuffle=False),
                        dataset=dict(pipeline={{{{_base_.test_pipeline}}}}))
param_scheduler = [dict(type='ConstantLR', factor=1.0, by_epoch=False, begin=0, end=100)]
train_cfg = dict(max_iters={iters}, val_begin=100)
optim_wrapper = dict(optimizer=dict(lr=1e-2), accumulative_counts={accumulate})
default_hooks = dict(logger=dict(interval=1), checkpoint=dict(interval={save_every}))
log_processor = dict(window_size=1)
load_from = {init!r}
"""
GENERATION = ['model.generation.max_new_tokens=6', 'model.generation.num_beams=2']
STEPS = 3


def write_config(path, bases, iters, accumulate, init, save_every=None):
    path.write_text(SAME_BATCHES.format(bases=bases, iters=iters, accumulate=accumulate,
                                        init=str(init), save_every=save_every or iters))
    return str(path)


def train_on_two_processes(config, work_dir, options, *extra, port=29641, extra_options=()):
    command = [sys.executable, '-m', 'torch.distributed.run', '--nproc_per_node', '2',
               '--master_port', str(port), os.path.join(REPO, 'tools/train.py'), config,
               '--launcher', 'pytorch', '--work-dir', str(work_dir), *extra,
               '--cfg-options', *options, 'model.head.gradient_checkpointing=True',
               *extra_options]
    result = subprocess.run(command, cwd=REPO, env=dict(os.environ, OMP_NUM_THREADS='1'),
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


@pytest.fixture(scope='module')
def stage1(tiny_synthsign, tmp_path_factory):
    root = tmp_path_factory.mktemp('fsdp_stage1')
    torch.manual_seed(0)
    llama = save_family('llama', root / 'llama')
    load_tool('train').main([STAGE1, '--work-dir', str(root / 's1'), '--cfg-options',
                             f'model.head.tokenizer_dir={tiny_synthsign / "tokenizer"}',
                             *data_options(tiny_synthsign / 'shards'),
                             *schedule_options(2, batch_size=4)])
    return llama, str(root / 's1' / 'iter_2.pth')


@pytest.fixture(scope='module', params=['lora', 'full'])
def runs(request, stage1, tiny_synthsign, tmp_path_factory):
    """The same 3 optimizer steps, one process (accumulating 2 clips) and FSDP on 2 processes."""
    root = tmp_path_factory.mktemp(f'fsdp_{request.param}')
    llama, encoder = stage1
    options = [f'model.head.pretrained_dir={llama}', f'model.encoder_checkpoint={encoder}',
               *data_options(tiny_synthsign / 'shards'), *GENERATION]
    if request.param == 'lora':
        options.append('model.head.lora.r=4')
    cfg = load_run_config(STAGE2, load_tool('train').parse_args([STAGE2, '--cfg-options',
                                                                 *options]).cfg_options)
    torch.manual_seed(0)
    torch.save({'state_dict': MODELS.build(cfg.model).state_dict()}, root / 'init.pth')
    single = write_config(root / 'single.py', [STAGE2], 2 * STEPS, 2, root / 'init.pth')
    load_tool('train').main([single, '--work-dir', str(root / 'single'),
                             '--cfg-options', *options])
    sharded = write_config(root / 'fsdp.py', [STAGE2, FSDP], STEPS, 1, root / 'init.pth',
                           save_every=1)
    train_on_two_processes(sharded, root / 'fsdp', options)
    return dict(kind=request.param, root=root, options=options, single_cfg=single,
                fsdp_cfg=sharded, single=root / 'single' / f'iter_{2 * STEPS}.pth',
                fsdp=root / 'fsdp' / f'iter_{STEPS}.pth')


@pytest.mark.slow
def test_fsdp_losses_and_weights_equal_one_process(runs):
    for key, micro in (('loss', 1), ('grad_norm', 2)):   # grad norm: at the step
        single = dict(logged_scalars(str(runs['root'] / 'single'), key))
        sharded = dict(logged_scalars(str(runs['root'] / 'fsdp'), key))
        assert sorted(sharded) == list(range(1, STEPS + 1))
        expected = [single[2 * (i - 1) + micro] for i in sorted(sharded)]
        assert [sharded[i] for i in sorted(sharded)] == pytest.approx(expected, rel=1e-4), key
    single = load_checkpoint_state_dict(str(runs['single']))
    sharded = load_checkpoint_state_dict(str(runs['fsdp']))
    assert sorted(single) == sorted(sharded)
    for name, value in single.items():
        torch.testing.assert_close(sharded[name], value, rtol=1e-4, atol=1e-5, msg=name)
    trained = [k for k in single if 'lora_B' in k] if runs['kind'] == 'lora' else \
        ['head.lm.model.layers.0.mlp.up_proj.weight']
    init = load_checkpoint_state_dict(str(runs['root'] / 'init.pth'))
    assert trained and all(not torch.equal(init[k], sharded[k]) for k in trained)


@pytest.mark.slow
def test_fsdp_optimizer_state_holds_only_trained_weights(runs):
    state = load_checkpoint(str(runs['fsdp']))['optimizer']['state']
    assert state and not any(name.startswith('encoder.') for name in state)
    if runs['kind'] == 'lora':
        assert all('lora_' in name or name.startswith('head.adapter.') for name in state)
    else:
        assert 'head.lm.model.layers.1.self_attn.q_proj.weight' in state


@pytest.mark.slow
def test_fsdp_resume_continues_exactly(runs, tmp_path):
    """Resumed from its step-2 checkpoint (weights and AdamW state, gathered on rank 0 and
    sharded again), the FSDP run takes step 3 as the uninterrupted run did."""
    work = tmp_path / 'resumed'
    shutil.copytree(runs['root'] / 'fsdp', work)
    os.remove(work / f'iter_{STEPS}.pth')
    (work / 'last_checkpoint').write_text(str(work / f'iter_{STEPS - 1}.pth'))
    train_on_two_processes(runs['fsdp_cfg'], work, runs['options'], '--resume', port=29642)
    losses = logged_scalars(str(work), 'loss')
    assert [i for i, _ in losses] == [1, 2, 3, 3]
    assert losses[-1][1] == pytest.approx(losses[-2][1], rel=1e-6)
    resumed = load_checkpoint_state_dict(str(work / f'iter_{STEPS}.pth'))
    for name, value in load_checkpoint_state_dict(str(runs['fsdp'])).items():
        torch.testing.assert_close(resumed[name], value, rtol=1e-6, atol=1e-7, msg=name)


@pytest.mark.slow
def test_fsdp_bf16_mixed_precision_trains_and_saves_fp32(runs, tmp_path):
    """bf16 compute (as the GPU configs set it) on fp32 shards: the losses of the fp32 run to
    bf16 precision, validation generates on both ranks, and the checkpoint is fp32."""
    precision = [f'strategy.model_wrapper.mixed_precision.{key}={dtype}' for key, dtype in
                 (('param_dtype', 'bfloat16'), ('reduce_dtype', 'float32'),
                  ('buffer_dtype', 'bfloat16'))]
    train_on_two_processes(runs['fsdp_cfg'], tmp_path, runs['options'], port=29643,
                           extra_options=[*precision, 'train_cfg.val_begin=1'])
    fp32 = [v for _, v in logged_scalars(str(runs['root'] / 'fsdp'), 'loss')]
    bf16 = [v for _, v in logged_scalars(str(tmp_path), 'loss')]
    assert bf16 == pytest.approx(fp32, rel=2e-3) and bf16 != fp32
    assert logged_scalars(str(tmp_path), 'translation/bleu4')
    state = load_checkpoint_state_dict(str(tmp_path / f'iter_{STEPS}.pth'))
    assert {v.dtype for v in state.values() if v.is_floating_point()} == {torch.float32}


@pytest.mark.slow
def test_fsdp_checkpoint_tests_and_infers_on_one_process(runs, tiny_synthsign, tmp_path):
    """tools/test.py loads the FSDP checkpoint strictly (weights-only) and predicts what the
    one-process checkpoint predicts; tools/infer.py translates a video with it."""
    predictions = {}
    for name in ('single', 'fsdp'):
        out = tmp_path / name
        load_tool('test').main([runs[f'{name}_cfg'], str(runs[name]), '--out-dir', str(out),
                                '--work-dir', str(tmp_path / 'w'),
                                '--cfg-options', *runs['options']])
        with open(out / 'predictions.jsonl') as f:
            predictions[name] = [json.loads(line)['hypothesis'] for line in f]
    assert predictions['fsdp'] == predictions['single'] and predictions['fsdp']
    video = sorted((tiny_synthsign / 'videos').iterdir())[0]
    load_tool('infer').main([runs['fsdp_cfg'], str(video), '--checkpoint', str(runs['fsdp']),
                             '--language', 'en', '--json', '--out', str(tmp_path / 'o.jsonl'),
                             '--keypoints', str(tiny_synthsign / 'keypoints'),
                             '--cfg-options', *runs['options']])
    rows = [json.loads(line) for line in (tmp_path / 'o.jsonl').read_text().splitlines()]
    assert [row['video'] for row in rows] == [str(video)] and 'text' in rows[0]


def test_deepspeed_without_the_package_names_the_install():
    cfg = Config(dict(strategy=dict(type='DeepSpeedStrategy'), launcher='pytorch',
                      optim_wrapper=dict(type='DeepSpeedOptimWrapper')))
    with pytest.raises(SystemExit, match='pip install deepspeed'):
        prepare_strategy_config(cfg)


@pytest.mark.parametrize('wrapper', ['OptimWrapper', 'AmpOptimWrapper'])
def test_fsdp_optimizer_settings_and_launch(wrapper):
    """The optimizer is made FSDP-aware (AMP's bf16 becomes FSDP mixed precision); a run
    without torchrun is told how to launch."""
    cfg = Config(dict(strategy=dict(type='FSDPStrategy'), launcher='none',
                      optim_wrapper=dict(type=wrapper, dtype='bfloat16',
                                         optimizer=dict(type='AdamW'))))
    if wrapper == 'OptimWrapper':
        cfg.optim_wrapper.pop('dtype')
    with pytest.raises(SystemExit, match='torchrun --nproc_per_node'):
        prepare_strategy_config(cfg)
    assert cfg.optim_wrapper.type == 'ShardedOptimWrapper' and 'dtype' not in cfg.optim_wrapper
    assert cfg.optim_wrapper.constructor == 'TrainableParamsOptimWrapperConstructor'
    assert cfg.custom_hooks == [dict(type='PlainTensorCheckpointHook')]
    precision = cfg.strategy.get('model_wrapper', {}).get('mixed_precision')
    assert precision == (dict(param_dtype='bfloat16', reduce_dtype='float32',
                              buffer_dtype='bfloat16') if wrapper == 'AmpOptimWrapper' else None)


def test_fsdp_refuses_lm_weights_in_another_dtype():
    cfg = Config(dict(strategy=dict(type='FSDPStrategy'), launcher='pytorch',
                      model=dict(head=dict(dtype='bfloat16')),
                      optim_wrapper=dict(type='OptimWrapper', optimizer=dict(type='AdamW'))))
    with pytest.raises(SystemExit, match='model.head.dtype=None'):
        prepare_strategy_config(cfg)


def test_optimizer_gets_only_trainable_parameters():
    model = nn.ModuleDict(dict(encoder=nn.Linear(3, 4), adapter=nn.Linear(4, 4)))
    model['encoder'].requires_grad_(False)
    for paramwise in ({}, dict(custom_keys={'adapter': dict(lr_mult=3.0)})):
        wrapper = TrainableParamsOptimWrapperConstructor(
            dict(type='OptimWrapper', optimizer=dict(type='AdamW', lr=1e-3)),
            paramwise or None)(model)
        params = [p for g in wrapper.optimizer.param_groups for p in g['params']]
        assert {id(p) for p in params} == {id(p) for p in model['adapter'].parameters()}
    model['adapter'].requires_grad_(False)
    with pytest.raises(ValueError, match='no parameter with requires_grad=True'):
        TrainableParamsOptimWrapperConstructor(
            dict(type='OptimWrapper', optimizer=dict(type='AdamW', lr=1e-3)))(model)
