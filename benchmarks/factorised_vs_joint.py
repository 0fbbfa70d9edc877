"""FLa-LLM's central claim on SynthSign: factorised training against the joint baseline.

    python benchmarks/factorised_vs_joint.py                 # seeds 0 1 2
    python benchmarks/factorised_vs_joint.py --stage1-iters 500 --stage2-iters 450   # quick start

FLa-LLM reports, on PHOENIX-2014T test, BLEU-4 23.09 for its factorised recipe against 12.90 for
the same encoder and LM trained together end to end. Here, with the quick start's encoder and
language model (prepared as by ``tools/quickstart.py``):

- factorised: stage 1 (encoder + Light-T, ``fla_stage1_synthsign.py``) for ``--stage1-iters``,
  then stage 2 (that encoder frozen, adapter + LM, ``fla_stage2_synthsign.py``) for
  ``--stage2-iters``;
- joint: encoder + adapter + the same LM from the start (``joint_synthsign.py``, each part at the
  LR of its factorised stage) for ``--stage1-iters`` + ``--stage2-iters``: the same total steps.

Each seed trains both; BLEU-4 on the test signers (never seen in training), greedy decoding.
Reported: per-seed scores, mean and spread (max - min). Whether the gap appears at this scale is
a finding either way. Runs whose metrics exist are reused. Ends with one JSON line.
"""
import argparse
import json
import os
import os.path as osp
import time

from unisign_fla.recipes import LM_STEPS, REPO, prepare_synthsign, seed_summary, train_then_test

TAG = 'factorised_vs_joint'


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--data-dir', default='data/synthsign')
    parser.add_argument('--work-dir', default='work_dirs/factorised_vs_joint')
    parser.add_argument('--seeds', nargs='+', type=int, default=[0, 1, 2])
    parser.add_argument('--stage1-iters', type=int, default=300)
    parser.add_argument('--stage2-iters', type=int, default=300)
    parser.add_argument('--batch-size', type=int, default=32)
    parser.add_argument('--workers', type=int, default=2, help='for generating SynthSign')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    os.chdir(REPO)
    start, timings = time.time(), {}
    prepare_synthsign(args.data_dir, 'demo', args.workers, LM_STEPS,
                      osp.join(args.work_dir, 'logs'), timings)
    shards = osp.abspath(osp.join(args.data_dir, 'shards'))
    lm_dir = osp.abspath(osp.join(args.data_dir, 'lm'))
    data = [f'{loader}_dataloader.dataset.data_root={shards}'
            for loader in ('train', 'val', 'test')]
    batch = [f'train_dataloader.batch_size={args.batch_size}',
             f'train_dataloader.sampler.batch_size={args.batch_size}']
    total = args.stage1_iters + args.stage2_iters
    scores = {'factorised': [], 'joint': []}
    for seed in args.seeds:
        common = [f'randomness.seed={seed}', *data]
        stage1 = f'stage1_it{args.stage1_iters}_seed{seed}'
        train_then_test(stage1, 'configs/synthsign/fla_stage1_synthsign.py',
                        common + [f'model.head.tokenizer_dir={lm_dir}'], args.stage1_iters,
                        args.work_dir, timings, TAG, batch)
        encoder = osp.abspath(osp.join(args.work_dir, stage1, f'iter_{args.stage1_iters}.pth'))
        lm = [f'model.head.pretrained_dir={lm_dir}']
        metrics = train_then_test(
            f'stage2_it{args.stage2_iters}_from_{stage1}',
            'configs/synthsign/fla_stage2_synthsign.py', common + lm, args.stage2_iters,
            args.work_dir, timings, TAG, (*batch, f'model.encoder_checkpoint={encoder}'))
        scores['factorised'].append(round(metrics['bleu4'], 2))
        metrics = train_then_test(f'joint_it{total}_seed{seed}',
                                  'configs/synthsign/joint_synthsign.py', common + lm, total,
                                  args.work_dir, timings, TAG, batch)
        scores['joint'].append(round(metrics['bleu4'], 2))
    summary = {name: seed_summary(values, 'bleu4') for name, values in scores.items()}
    print('\n| recipe | BLEU-4 per seed | mean | spread |')
    print('|---|---|---|---|')
    for name, entry in summary.items():
        print(f'| {name} | {" / ".join(f"{s:.2f}" for s in entry["bleu4_seeds"])} | '
              f'{entry["bleu4"]:.2f} | {entry["bleu4_spread"]:.2f} |')
    summary.update(stage1_iters=args.stage1_iters, stage2_iters=args.stage2_iters,
                   batch_size=args.batch_size, seeds=args.seeds,
                   wall_s=round(time.time() - start, 1))
    print(json.dumps(summary))
    return summary


if __name__ == '__main__':
    main()
