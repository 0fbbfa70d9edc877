"""One model for three tasks against three single-task models, on SynthSign.

    python benchmarks/multitask.py                      # 500 iterations per task
    python benchmarks/multitask.py --iters 1000 --batch-size 32     # on a GPU machine

FLa-LLM casts every task as translation, so one model can learn them all. Here the stage-1 model
(encoder + Light-T) is trained

- three times, on one task each: SLT (``fla_stage1_synthsign.py``: sentences), CSLR
  (``cslr_synthsign.py``: the same clips' glosses), ISLR (``islr_synthsign.py``: single signs),
  ``--iters`` iterations each;
- once on the three together (``multitask_synthsign.py``: each sample with its task prompt, an
  equal share of every epoch each), for 3 x ``--iters`` iterations: the same total steps.

All four use one tokenizer trained on the training sentences, glosses and class words, the same
batch size and seed, and are tested on the test signers (never seen in training): BLEU-4 for
SLT, WER for CSLR, top-1 per instance for ISLR. For CSLR the table also gives the WER of the best
constant output (the training gloss sequence with the lowest test WER): a model must beat it to
have read the video. Data are prepared as by ``tools/quickstart.py`` (skipped if present); runs
whose metrics exist are reused. Ends with one JSON line.
"""
import argparse
import json
import os
import os.path as osp
import time

from unisign_fla.evaluation import word_error_rate
from unisign_fla.recipes import (
    LM_STEPS,
    REPO,
    manifest_rows,
    prepare_synthsign,
    task_tokenizer,
    train_then_test,
)

TAG = 'multitask'
SINGLE = {'slt': 'fla_stage1_synthsign.py', 'cslr': 'cslr_synthsign.py',
          'islr': 'islr_synthsign.py'}
SHARDS = {'slt': 'shards', 'cslr': 'shards', 'islr': 'shards_islr'}
METRIC = {'slt': 'bleu4', 'cslr': 'wer', 'islr': 'top1_instance'}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--data-dir', default='data/synthsign')
    parser.add_argument('--work-dir', default='work_dirs/multitask')
    parser.add_argument('--iters', type=int, default=500, help='per task (x3 for the joint model)')
    parser.add_argument('--batch-size', type=int, default=32)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--workers', type=int, default=2, help='for generating SynthSign')
    return parser.parse_args(argv)


def best_constant_wer(data_dir: str) -> float:
    """WER (%) on the test clips of the best single output, over every training gloss sequence."""
    references = [' '.join(r['gloss']) for r in manifest_rows(data_dir, 'test')]
    candidates = {' '.join(r['gloss']) for r in manifest_rows(data_dir, 'train')}
    return min(word_error_rate([c] * len(references), references)['wer'] for c in candidates)


def loader_options(batch_size: int) -> list:
    return [f'train_dataloader.batch_size={batch_size}',
            f'train_dataloader.sampler.batch_size={batch_size}']


def main(argv=None):
    args = parse_args(argv)
    os.chdir(REPO)
    start, timings = time.time(), {}
    prepare_synthsign(args.data_dir, 'demo', args.workers, LM_STEPS,
                      osp.join(args.work_dir, 'logs'), timings, islr=True)
    common = [f'model.head.tokenizer_dir={task_tokenizer(args.data_dir)}',
              f'randomness.seed={args.seed}']
    scores = {}
    for task, config in SINGLE.items():
        shards = osp.abspath(osp.join(args.data_dir, SHARDS[task]))
        options = common + [f'{loader}_dataloader.dataset.data_root={shards}'
                            for loader in ('train', 'val', 'test')]
        metrics = train_then_test(f'single_{task}_it{args.iters}_seed{args.seed}',
                                  f'configs/synthsign/{config}', options, args.iters,
                                  args.work_dir, timings, TAG, loader_options(args.batch_size))
        scores[task] = {'single': round(metrics[METRIC[task]], 2)}
    member_roots = [osp.abspath(osp.join(args.data_dir, SHARDS[task])) for task in SINGLE]
    options = common + [f'{loader}_dataloader.dataset.datasets.{i}.data_root={root}'
                        for loader in ('train', 'val', 'test')
                        for i, root in enumerate(member_roots)]
    metrics = train_then_test(f'multi_it{3 * args.iters}_seed{args.seed}',
                              'configs/synthsign/multitask_synthsign.py', options,
                              3 * args.iters, args.work_dir, timings, TAG,
                              loader_options(args.batch_size))
    for task in SINGLE:
        scores[task]['multi'] = round(metrics['sets'][f'synthsign/{task}'][METRIC[task]], 2)
    constant = round(best_constant_wer(args.data_dir), 2)
    print('\n| task (test metric) | single-task model | one model, three tasks |')
    print('|---|---|---|')
    for task, entry in scores.items():
        print(f'| {task} ({METRIC[task]}) | {entry["single"]:.2f} | {entry["multi"]:.2f} |')
    print(f'CSLR WER of the best constant output: {constant:.2f}')
    summary = {f'{task}_{METRIC[task]}': entry for task, entry in scores.items()}
    summary.update(cslr_constant_wer=constant, iters_per_task=args.iters,
                   batch_size=args.batch_size, seed=args.seed,
                   wall_s=round(time.time() - start, 1))
    print(json.dumps(summary))
    return summary


if __name__ == '__main__':
    main()
