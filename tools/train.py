"""Train a model from a config with mmengine's Runner (or FlexibleRunner, for a ``strategy``).

    python tools/train.py configs/synthsign/fla_stage1_synthsign.py --work-dir work_dirs/s1
    python tools/train.py CONFIG --vis tensorboard        # also log to TensorBoard (or wandb)
    torchrun --nproc_per_node 2 tools/train.py CONFIG --launcher pytorch     # CPU (gloo) or GPU

A config that sets ``strategy`` (a dict, e.g. ``_base_ = [..., '../_base_/strategies/fsdp.py']``)
is trained by mmengine's ``FlexibleRunner`` with that strategy: FSDP shards the parameters,
gradients and optimizer state across the processes (docs/large_models.md)::

    torchrun --nproc_per_node 8 tools/train.py \
        configs/fla_llm/fla_stage2_qwen2.5-7b_fsdp_csl-daily.py --launcher pytorch
"""
import argparse
import importlib.util
import os

import torch
from mmengine.config import Config, DictAction
from mmengine.runner import FlexibleRunner, Runner

from unisign_fla.engine import load_run_config, prepare_cpu_distributed, prepare_strategy_config

# --vis name -> (mmengine's backend, the package it needs, how to install it)
DASHBOARDS = {'tensorboard': ('TensorboardVisBackend', 'tensorboard',
                              'pip install -c constraints.txt -e ".[tensorboard]"'),
              'wandb': ('WandbVisBackend', 'wandb', 'pip install wandb')}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Train a unisign_fla model')
    parser.add_argument('config', help='config file (mmengine Python config)')
    parser.add_argument('--work-dir', help='where logs and checkpoints go '
                        '(default: work_dirs/<config name>)')
    parser.add_argument('--resume', nargs='?', const='auto', default=None,
                        help='resume from a checkpoint path, or with no value from the latest '
                        'checkpoint in the work dir')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default={},
                        help='override config keys, e.g. train_cfg.max_iters=10')
    parser.add_argument('--launcher', choices=['none', 'pytorch', 'slurm', 'mpi'],
                        default='none', help='job launcher (pytorch under torchrun)')
    parser.add_argument('--vis', nargs='+', choices=sorted(DASHBOARDS), default=[],
                        help='also log the scalars (loss, learning rate, PGF gate, dev metrics) '
                        'to these dashboards')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args(argv)
    for name in args.vis:
        backend, package, install = DASHBOARDS[name]
        if importlib.util.find_spec(package) is None:
            parser.error(f'--vis {name} needs the {package} package: {install}')
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def build_config(args) -> Config:
    cfg = load_run_config(args.config, args.cfg_options, args.launcher, args.work_dir)
    if cfg.optim_wrapper.get('type') == 'AmpOptimWrapper' and not torch.cuda.is_available():
        # GPU recipes train in bf16; mmengine's AMP wrapper refuses CPUs, so run them in fp32.
        print('No GPU: AmpOptimWrapper replaced by OptimWrapper (fp32).')
        cfg.optim_wrapper.type = 'OptimWrapper'
        for key in ('dtype', 'loss_scale'):
            cfg.optim_wrapper.pop(key, None)
    if args.vis:
        cfg.setdefault('visualizer', dict(type='Visualizer', vis_backends=[]))
        cfg.visualizer.vis_backends += [dict(type=DASHBOARDS[name][0]) for name in args.vis]
    if args.resume == 'auto':
        cfg.resume, cfg.load_from = True, None
    elif args.resume:
        cfg.resume, cfg.load_from = True, args.resume
    return cfg


def main(argv=None):
    args = parse_args(argv)
    cfg = build_config(args)
    if cfg.get('strategy') is not None:
        prepare_strategy_config(cfg)
        runner = FlexibleRunner.from_cfg(cfg)
    else:
        prepare_cpu_distributed(cfg)
        runner = Runner.from_cfg(cfg)
    runner.train()


if __name__ == '__main__':
    main()
