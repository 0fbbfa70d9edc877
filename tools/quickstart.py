"""The whole recipe on the embedded SynthSign data, on a CPU, in one command.

    python tools/quickstart.py

Generates SynthSign, extracts shards (precomputed keypoints + hand crops from the rendered
videos), prepares a small pretrained language model from the training text, trains FLa-LLM
stage 1 (encoder + Light-T) and stage 2 (frozen encoder + adapter + the LM), evaluates on the
test signers (never seen in training), prints sample translations and ends with one JSON line.
Each step runs the user-facing tool; data steps already done are skipped on a re-run.
"""
import argparse
import json
import os.path as osp
import time

import torch

from unisign_fla.recipes import (
    LM_STEPS,
    iters_options,
    last_checkpoint,
    prepare_synthsign,
    run_tool,
)

STAGE1 = 'configs/synthsign/fla_stage1_synthsign.py'
STAGE2 = 'configs/synthsign/fla_stage2_synthsign.py'


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--data-dir', default='data/synthsign', help='SynthSign + shards + LM')
    parser.add_argument('--work-dir', default='work_dirs/quickstart')
    parser.add_argument('--size', default='demo', choices=['tiny', 'small', 'demo'])
    parser.add_argument('--stage1-iters', type=int, default=None,
                        help='override the stage-1 config (default: as in the config)')
    parser.add_argument('--stage2-iters', type=int, default=None)
    parser.add_argument('--lm-steps', type=int, default=LM_STEPS,
                        help='pretraining steps of the stage-2 language model (a fixed count, '
                             'not a time budget, so that runs are reproducible)')
    parser.add_argument('--workers', type=int, default=2)
    parser.add_argument('--samples', type=int, default=5, help='sample translations to print')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    start, timings = time.time(), {}
    data_dir, work_dir = args.data_dir, args.work_dir
    shard_dir, lm_dir = osp.join(data_dir, 'shards'), osp.join(data_dir, 'lm')
    logs = osp.join(work_dir, 'logs')

    prepare_synthsign(data_dir, args.size, args.workers, args.lm_steps, logs, timings)
    data_options = [f'train_dataloader.dataset.data_root={shard_dir}',
                    f'val_dataloader.dataset.data_root={shard_dir}',
                    f'test_dataloader.dataset.data_root={shard_dir}']
    stage1_dir, stage2_dir = osp.join(work_dir, 'stage1'), osp.join(work_dir, 'stage2')
    run_tool('stage1', ['tools/train.py', STAGE1, '--work-dir', stage1_dir, '--cfg-options',
                        f'model.head.tokenizer_dir={lm_dir}', *data_options,
                        *iters_options(args.stage1_iters)], logs, timings)
    run_tool('stage2', ['tools/train.py', STAGE2, '--work-dir', stage2_dir, '--cfg-options',
                        f'model.head.pretrained_dir={lm_dir}',
                        f'model.encoder_checkpoint={last_checkpoint(stage1_dir)}', *data_options,
                        *iters_options(args.stage2_iters)], logs, timings)
    test_dir = osp.join(work_dir, 'test')
    run_tool('test', ['tools/test.py', STAGE2, last_checkpoint(stage2_dir), '--work-dir',
                      stage2_dir, '--out-dir', test_dir, '--cfg-options',
                      f'model.head.pretrained_dir={lm_dir}', *data_options], logs, timings)

    with open(osp.join(test_dir, 'metrics.json')) as f:
        metrics = json.load(f)
    with open(osp.join(test_dir, 'predictions.jsonl')) as f:
        predictions = [json.loads(line) for line in f]
    print(f'\nSynthSign test set (unseen signers), {metrics["num_samples"]} clips: '
          f'BLEU-4 {metrics["bleu4"]:.2f}  [{metrics["signature"]}]')
    for p in predictions[:args.samples]:
        print(f'  ref: {p["reference"]}\n  hyp: {p["hypothesis"]}')
    summary = {'bleu4': round(metrics['bleu4'], 2), 'bleu1': round(metrics['bleu1'], 2),
               'num_test_clips': metrics['num_samples'], 'wall_s': round(time.time() - start, 1),
               'steps_s': timings, 'predictions': osp.join(test_dir, 'predictions.jsonl'),
               # training is bit-reproducible for one thread count (README, "Reproducibility")
               'torch_threads': torch.get_num_threads()}
    print(json.dumps(summary))
    return summary


if __name__ == '__main__':
    main()
