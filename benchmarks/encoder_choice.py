"""Which encoder should a user pick? Ours against Uni-Sign's, trained alike on SynthSign.

    python benchmarks/encoder_choice.py                        # 300 iterations, SLT seeds 0 1,
                                                               # ISLR seed 0 (2-core CPU size)
    python benchmarks/encoder_choice.py --slt-iters 2000 --islr-iters 1000 \\
        --slt-seeds 0 1 2 --islr-seeds 0 1 2                    # full size, on a GPU machine

Both encoders are trained with the same Light-T head, SynthSign data, augmentation, schedule
(AdamW 1e-3, cosine to 0 at the last iteration), batch size and seeds, at the quick start's
widths (32 -> 32, 32, two temporal blocks of kernel 5, 256-wide tokens):

- ``ours``: ``PoseEncoder`` (``fla_stage1_synthsign.py`` for SLT, ``islr_synthsign.py`` for
  ISLR), our normalisation, stride-2 tokens;
- ``unisign``: ``UniSignPoseEncoder`` (``unisign_stage1_synthsign.py``,
  ``unisign_islr_synthsign.py``), Uni-Sign's normalisation (``mode='uni_sign'``), one token per
  frame; the Light-T input projection is its adapter.

Tested on the test signers (never seen in training), greedy decoding: BLEU-4 for SLT, top-1
per instance for ISLR. ISLR uses the tokenizer of ``benchmarks/multitask.py`` (sentences,
glosses and class words). Also reported: each encoder's parameters at these widths and the
training wall time per iteration (noisy on a shared machine; ``benchmarks/encoder.py`` times
the encoders alone at the reference sizes). Runs whose metrics exist are reused. Ends with one
JSON line. On a CPU shared with other jobs, run it with ``OMP_NUM_THREADS=1``: torch's default
threads made training steps 5x slower here (BENCHMARKS.md).
"""
import argparse
import json
import os
import os.path as osp
import statistics
import time

from mmengine.config import Config

from unisign_fla.recipes import (
    LM_STEPS,
    REPO,
    prepare_synthsign,
    seed_summary,
    task_tokenizer,
    train_then_test,
)

TAG = 'encoder_choice'
CONFIGS = {'ours': {'slt': 'fla_stage1_synthsign.py', 'islr': 'islr_synthsign.py'},
           'unisign': {'slt': 'unisign_stage1_synthsign.py', 'islr': 'unisign_islr_synthsign.py'}}
SHARDS = {'slt': 'shards', 'islr': 'shards_islr'}
METRIC = {'slt': 'bleu4', 'islr': 'top1_instance'}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--data-dir', default='data/synthsign')
    parser.add_argument('--work-dir', default='work_dirs/encoder_choice')
    parser.add_argument('--slt-iters', type=int, default=300)
    parser.add_argument('--islr-iters', type=int, default=300)
    parser.add_argument('--slt-seeds', nargs='*', type=int, default=[0, 1])
    parser.add_argument('--islr-seeds', nargs='*', type=int, default=[0])
    parser.add_argument('--batch-size', type=int, default=32)
    parser.add_argument('--workers', type=int, default=2, help='for generating SynthSign')
    return parser.parse_args(argv)


def encoder_parameters(config: str) -> int:
    """Parameters of the encoder that ``config`` builds (the heads are the same)."""
    import unisign_fla.models  # noqa: F401 (registers the encoders)
    from unisign_fla.registry import MODELS
    encoder = MODELS.build(Config.fromfile(config).model.encoder)
    return sum(p.numel() for p in encoder.parameters())


def main(argv=None):
    args = parse_args(argv)
    os.chdir(REPO)
    start, timings = time.time(), {}
    seeds = {'slt': args.slt_seeds, 'islr': args.islr_seeds}
    iters = {'slt': args.slt_iters, 'islr': args.islr_iters}
    prepare_synthsign(args.data_dir, 'demo', args.workers, LM_STEPS,
                      osp.join(args.work_dir, 'logs'), timings, islr=bool(args.islr_seeds))
    tokenizer = {'slt': osp.abspath(osp.join(args.data_dir, 'lm')),
                 'islr': task_tokenizer(args.data_dir) if args.islr_seeds else None}
    batch = [f'train_dataloader.batch_size={args.batch_size}',
             f'train_dataloader.sampler.batch_size={args.batch_size}']
    summary = {name: dict(params=encoder_parameters(f'configs/synthsign/{configs["slt"]}'))
               for name, configs in CONFIGS.items()}
    # Seed by seed, both encoders in turn: a run cut short still leaves paired results.
    for task in ('slt', 'islr'):
        shards = osp.abspath(osp.join(args.data_dir, SHARDS[task]))
        options = [f'model.head.tokenizer_dir={tokenizer[task]}',
                   *[f'{loader}_dataloader.dataset.data_root={shards}'
                     for loader in ('train', 'val', 'test')]]
        # The cosine ends, and the only checkpoint is written, at the last iteration.
        schedule = [f'param_scheduler.1.end={iters[task]}',
                    f'default_hooks.checkpoint.interval={iters[task]}',
                    'default_hooks.logger.interval=20']
        scores = {name: [] for name in CONFIGS}
        seconds = {name: [] for name in CONFIGS}
        for seed in seeds[task]:
            for name, configs in CONFIGS.items():
                run = f'{name}_{task}_it{iters[task]}_seed{seed}'
                metrics = train_then_test(
                    run, f'configs/synthsign/{configs[task]}',
                    [f'randomness.seed={seed}', *options], iters[task], args.work_dir,
                    timings, TAG, (*batch, *schedule))
                scores[name].append(round(metrics[METRIC[task]], 2))
                if f'{run}_train' in timings:   # not for reused runs
                    seconds[name].append(timings[f'{run}_train'] / iters[task])
        for name in CONFIGS:
            if scores[name]:
                summary[name][f'{task}_{METRIC[task]}'] = seed_summary(scores[name])
            if seconds[name]:
                summary[name][f'{task}_train_s_per_iter'] = round(
                    statistics.fmean(seconds[name]), 3)
    print('\n| encoder | parameters | SLT BLEU-4 per seed | mean | ISLR top-1 per seed | mean |')
    print('|---|---|---|---|---|---|')
    for name, entry in summary.items():
        cells = [f'{entry["params"]:,}']
        for key in ('slt_bleu4', 'islr_top1_instance'):
            scores = entry.get(key, dict(seeds=[], mean=float('nan')))
            cells += [' / '.join(f'{s:.2f}' for s in scores['seeds']), f'{scores["mean"]:.2f}']
        print(f'| {name} | {" | ".join(cells)} |')
    summary.update(slt_iters=args.slt_iters, islr_iters=args.islr_iters,
                   slt_seeds=args.slt_seeds, islr_seeds=args.islr_seeds,
                   batch_size=args.batch_size, wall_s=round(time.time() - start, 1))
    print(json.dumps(summary))
    return summary


if __name__ == '__main__':
    main()
