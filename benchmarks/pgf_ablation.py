"""Does RGB help, and does the gate matter? Pose-only vs PGF vs the reference gate on SynthSign.

    python benchmarks/pgf_ablation.py                          # SLT + ISLR, seeds 0 1 2
    python benchmarks/pgf_ablation.py --tasks islr --seeds 0 1 --islr-iters 300
    python benchmarks/pgf_ablation.py --crop-fraction 0.1 --jobs 6 \
        --cfg-options train_dataloader.num_workers=2          # on a GPU machine

Three variants of the stage-1 model (encoder + Light-T), each trained with the same seed, data,
schedule and number of iterations, then evaluated on the test signers (never seen in training):

- ``pose_only``: the quick-start pose encoder (``configs/synthsign/fla_stage1_synthsign.py``,
  ``islr_synthsign.py``);
- ``pgf``: the same plus the RGB hand branch and our prior-guided fusion with its sigmoid gate
  (``pgf_stage1_synthsign.py``, ``pgf_islr_synthsign.py``);
- ``reference_gate``: as ``pgf`` with the reference code's gate, ``ReLU(tanh(.))`` of a
  zero-initialised layer (``model.encoder.rgb.fusion.gate=reference``).

SynthSign has ten sign pairs that differ only in whether the palm or the back of the hand faces
the camera: identical keypoints, different hand crops (docs/synthsign.md). RGB can only help
there, so the test signers' SLT BLEU-4 and ISLR top-1 measure whether the RGB branch learns.
Reported per variant: the per-seed scores, their mean and spread (max - min over seeds), the
mean PGF gate over the last 50 training iterations, and for ISLR the top-1 on the minimal-pair
clips alone (``islr_pairs_top1``: 50 % is chance). Data are prepared as by
``tools/quickstart.py`` (skipped if present); a run whose ``metrics.json`` exists is reused
(its folder, e.g. ``islr_pgf_crops1_it1000_seed0``, names what it was trained with), and one
that was stopped resumes from its last checkpoint (saved every ``--checkpoint-interval``
iterations), so a long ablation can be spread over several time-limited jobs.
``--crop-fraction`` overrides the share of frames that score-aware sampling gives a crop (the
RGB variants' configs set it); ``--jobs`` trains that many runs at once (a GPU machine has the
cores and memory for several of these small models).
Ends with one JSON line ``{"pose_only": {...}, "pgf": {...}, "reference_gate": {...}}``.
"""
import argparse
import json
import os
import os.path as osp
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
from mmengine.config import Config  # noqa: E402

from unisign_fla.engine import logged_scalars  # noqa: E402
from unisign_fla.recipes import (  # noqa: E402
    LM_STEPS,
    iters_options,
    prepare_synthsign,
    run_tool,
    saved_checkpoint,
)

CONFIGS = {
    'pose_only': {'slt': 'fla_stage1_synthsign.py', 'islr': 'islr_synthsign.py'},
    'pgf': {'slt': 'pgf_stage1_synthsign.py', 'islr': 'pgf_islr_synthsign.py'},
    'reference_gate': {'slt': 'pgf_stage1_synthsign.py', 'islr': 'pgf_islr_synthsign.py'},
}
EXTRA_OPTIONS = {'reference_gate': ['model.encoder.rgb.fusion.gate=reference']}
METRIC = {'slt': ('bleu4', 'slt_bleu4'), 'islr': ('top1_instance', 'islr_top1')}
SHARDS = {'slt': 'shards', 'islr': 'shards_islr'}
TAG = 'pgf_ablation'
GATE_LOG_INTERVAL = 10


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--data-dir', default='data/synthsign')
    parser.add_argument('--work-dir', default='work_dirs/pgf_ablation')
    parser.add_argument('--tasks', nargs='+', default=['slt', 'islr'], choices=['slt', 'islr'])
    parser.add_argument('--variants', nargs='+', default=list(CONFIGS), choices=list(CONFIGS))
    parser.add_argument('--seeds', nargs='+', type=int, default=[0, 1, 2])
    parser.add_argument('--slt-iters', type=int, default=500)
    parser.add_argument('--islr-iters', type=int, default=1000)
    parser.add_argument('--workers', type=int, default=2, help='for generating SynthSign')
    parser.add_argument('--crop-fraction', type=float, default=None,
                        help='score-aware sampling fraction for the RGB variants '
                             '(default: as in their configs)')
    parser.add_argument('--jobs', type=int, default=1, help='runs trained at the same time')
    parser.add_argument('--checkpoint-interval', type=int, default=250,
                        help='iterations between the checkpoints a stopped run resumes from')
    parser.add_argument('--cfg-options', nargs='+', default=[],
                        help='passed to every train and test run (e.g. data loader workers)')
    return parser.parse_args(argv)


def crop_fraction_options(config: str, fraction) -> list:
    """``--cfg-options`` that set ``fraction`` in every ``ScoreAwareCropSampling`` step of the
    config's loaders (found by type, so the options follow the pipelines if they change)."""
    if fraction is None:
        return []
    cfg = Config.fromfile(config)
    return [f'{loader}_dataloader.dataset.pipeline.{i}.fraction={fraction}'
            for loader in ('train', 'val', 'test')
            for i, step in enumerate(cfg[f'{loader}_dataloader']['dataset']['pipeline'])
            if step['type'] == 'ScoreAwareCropSampling']


def checkpoint_options(interval: int) -> list:
    """Save every ``interval`` iterations (and the last), keeping the newest two files: mmengine
    deletes the oldest before it writes the new one, so the one ``last_checkpoint`` names stays
    whole while a run is stopped mid-save."""
    return [f'default_hooks.checkpoint.interval={interval}',
            'default_hooks.checkpoint.max_keep_ckpts=2']


def minimal_pair_top1(predictions_file: str, data_dir: str) -> float:
    """Top-1 (%) over the clips of SynthSign's palm/back minimal pairs: their keypoints are
    identical, so a model that does not use RGB is at chance (50 %) on them."""
    with open(osp.join(data_dir, 'synthsign.json'), encoding='utf-8') as f:
        summary = json.load(f)
    word = {sign['gloss']: sign['word'] for sign in summary['vocabulary']}
    pair_words = {word[gloss] for pair in summary['minimal_pairs'] for gloss in pair}
    with open(predictions_file, encoding='utf-8') as f:
        rows = [row for row in map(json.loads, f) if row['reference'] in pair_words]
    return 100.0 * sum(row['hypothesis'] == row['reference'] for row in rows) / len(rows)


def mean_gate(work_dir: str, iters: int, last: int = 50):
    """Mean PGF gate over the run's last ``last`` iterations (None: pose only). mmengine logs
    the gate's value at every ``GATE_LOG_INTERVAL``-th iteration, not averaged."""
    # A resumed run logs again the iterations after its checkpoint: the later log wins.
    gates = dict(logged_scalars(work_dir, 'pgf_gate'))
    window = [value for iteration, value in gates.items() if iteration > iters - last]
    return statistics.fmean(window) if window else None


def train_and_test(variant: str, task: str, seed: int, iters: int, args, timings: dict) -> dict:
    """One run: tools/train.py then tools/test.py on the test split; returns its figures."""
    with_rgb = variant != 'pose_only'
    crops = f'_crops{args.crop_fraction:g}' if with_rgb and args.crop_fraction is not None else ''
    step = f'{task}_{variant}{crops}_it{iters}_seed{seed}'
    run_dir = osp.join(args.work_dir, step)
    metrics_file = osp.join(run_dir, 'test', 'metrics.json')
    config = osp.join('configs', 'synthsign', CONFIGS[variant][task])
    shards = osp.abspath(osp.join(args.data_dir, SHARDS[task]))
    options = [f'model.head.tokenizer_dir={osp.abspath(osp.join(args.data_dir, "lm"))}',
               f'randomness.seed={seed}', *EXTRA_OPTIONS.get(variant, []), *args.cfg_options]
    if with_rgb:
        options += crop_fraction_options(config, args.crop_fraction)
    options += [f'{loader}_dataloader.dataset.data_root={shards}'
                for loader in ('train', 'val', 'test')]
    if osp.exists(metrics_file):
        print(f'[{TAG}] {step}: reusing {metrics_file}', flush=True)
    else:
        checkpoint = saved_checkpoint(run_dir)
        if checkpoint is None or osp.basename(checkpoint) != f'iter_{iters}.pth':
            resume = ['--resume', osp.abspath(checkpoint)] if checkpoint else []
            run_tool(f'{step}_train', ['tools/train.py', config, '--work-dir', osp.abspath(run_dir),
                                  *resume, '--cfg-options', *options, *iters_options(iters),
                                  *checkpoint_options(args.checkpoint_interval),
                                  f'default_hooks.logger.interval={GATE_LOG_INTERVAL}'],
                osp.join(args.work_dir, 'logs'), timings, TAG)
        final = osp.abspath(osp.join(run_dir, f'iter_{iters}.pth'))
        run_tool(f'{step}_test', ['tools/test.py', config, final, '--work-dir',
                             osp.abspath(run_dir), '--out-dir',
                             osp.abspath(osp.dirname(metrics_file)), '--cfg-options', *options],
            osp.join(args.work_dir, 'logs'), timings, TAG)
    with open(metrics_file) as f:
        metrics = json.load(f)
    result = {'score': metrics[METRIC[task][0]], 'gate': mean_gate(run_dir, iters)}
    if task == 'islr':
        result['pairs'] = minimal_pair_top1(
            osp.join(osp.dirname(metrics_file), 'predictions.jsonl'), args.data_dir)
    return result


def summarise(runs: dict, tasks: list, seeds: list) -> dict:
    """Per variant and task: scores per seed, mean, spread (max - min), final mean gate; for
    ISLR also the minimal-pair top-1."""
    summary = {}
    for variant, by_task in runs.items():
        entry = {}
        for task in tasks:
            name = METRIC[task][1]
            scores = [round(by_task[task][seed]['score'], 2) for seed in seeds]
            gates = [by_task[task][seed]['gate'] for seed in seeds]
            entry[name] = round(statistics.fmean(scores), 2)
            entry[f'{name}_seeds'] = scores
            entry[f'{name}_spread'] = round(max(scores) - min(scores), 2)
            if task == 'islr':
                pairs = [round(by_task[task][seed]['pairs'], 1) for seed in seeds]
                entry['islr_pairs_top1'] = round(statistics.fmean(pairs), 1)
                entry['islr_pairs_top1_seeds'] = pairs
            if None not in gates:
                entry[f'{task}_gate'] = round(statistics.fmean(gates), 4)
        summary[variant] = entry
    return summary


def main(argv=None):
    args = parse_args(argv)
    os.chdir(REPO)
    start, timings = time.time(), {}
    prepare_synthsign(args.data_dir, 'demo', args.workers, LM_STEPS,
                      osp.join(args.work_dir, 'logs'), timings, islr='islr' in args.tasks)
    iters = {'slt': args.slt_iters, 'islr': args.islr_iters}
    plan = [(variant, task, seed) for task in args.tasks for seed in args.seeds
            for variant in args.variants]
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(lambda job: train_and_test(*job, iters[job[1]], args, timings),
                                plan))
    runs = {variant: {task: {} for task in args.tasks} for variant in args.variants}
    for (variant, task, seed), result in zip(plan, results):
        runs[variant][task][seed] = result
    summary = summarise(runs, args.tasks, args.seeds)
    print('\n| variant | ' + ' | '.join(f'{METRIC[t][1]} (mean, spread)' for t in args.tasks)
          + ' |')
    for variant, entry in summary.items():
        cells = [f'{entry[METRIC[t][1]]:.2f} ({entry[METRIC[t][1] + "_spread"]:.2f})'
                 for t in args.tasks]
        print(f'| {variant} | ' + ' | '.join(cells) + ' |')
    summary['wall_s'] = round(time.time() - start, 1)
    summary['iters'] = {task: iters[task] for task in args.tasks}
    summary['seeds'] = args.seeds
    summary['crop_fraction'] = args.crop_fraction
    print(json.dumps(summary))
    return summary


if __name__ == '__main__':
    main()
