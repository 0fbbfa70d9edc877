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
import os
import os.path as osp
import subprocess
import sys
import time

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
STAGE1 = 'configs/synthsign/fla_stage1_synthsign.py'
STAGE2 = 'configs/synthsign/fla_stage2_synthsign.py'
SPLITS = ('train', 'dev', 'test')
# Chosen by stage 2's dev BLEU-4 on the demo set, same stage-1 checkpoint (LM steps 300 / 450 /
# 600 / 750: 49.8 / 56.0 / 51.8 / 44.6).
LM_STEPS = 450


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


def run(step: str, command: list, log_dir: str, timings: dict, tag: str = 'quickstart') -> None:
    """Run one tool as a subprocess, its output in ``log_dir/step.log``; fail loudly."""
    os.makedirs(log_dir, exist_ok=True)
    log_path = osp.join(log_dir, f'{step}.log')
    print(f'[{tag}] {step}: {" ".join(command)}', flush=True)
    start = time.time()
    with open(log_path, 'w') as log:
        result = subprocess.run([sys.executable] + command, cwd=REPO, stdout=log,
                                stderr=subprocess.STDOUT)
    timings[step] = round(time.time() - start, 1)
    if result.returncode != 0:
        with open(log_path) as log:
            tail = log.read()[-3000:]
        raise SystemExit(f'[{tag}] {step} failed (exit {result.returncode}); '
                         f'end of {log_path}:\n{tail}')
    print(f'[{tag}] {step} done in {timings[step]} s', flush=True)


def prepare_data(data_dir: str, size: str, workers: int, lm_steps: int, log_dir: str,
                 timings: dict, islr: bool = False) -> None:
    """SynthSign, its shards (``shards/``; the ISLR clips in ``shards_islr/`` if ``islr``) and
    the language model (``lm/``) under ``data_dir``; each step is skipped if already done."""
    if not osp.exists(osp.join(data_dir, 'synthsign.json')):
        run('generate', ['data_prep/synthsign.py', '--out', data_dir, '--size', size,
                         '--workers', str(workers)], log_dir, timings)
    manifests = [(split, split, 'shards') for split in SPLITS]
    if islr:
        manifests += [(f'islr_{split}', split, 'shards_islr') for split in SPLITS]
    for manifest, split, folder in manifests:
        shard_dir = osp.join(data_dir, folder)
        if not osp.exists(osp.join(shard_dir, f'synthsign-{split}.index.json')):
            run(f'extract_{manifest}', [
                'tools/extract_pose.py', '--manifest',
                osp.join(data_dir, 'manifests', f'{manifest}.jsonl'), '--video-root', data_dir,
                '--out', shard_dir, '--backend', 'precomputed', '--crop-size', '64'],
                log_dir, timings)
    lm_dir = osp.join(data_dir, 'lm')
    if not osp.exists(osp.join(lm_dir, 'config.json')):
        run('prepare_lm', ['tools/prepare_lm.py', '--text', osp.join(data_dir, 'manifests',
                                                                      'train.jsonl'),
                           '--out', lm_dir, '--arch', 'llama', '--max-steps', str(lm_steps),
                           '--max-seconds', '0'],
            log_dir, timings)


def iters_options(max_iters):
    if max_iters is None:
        return []
    return ['train_cfg.max_iters=%d' % max_iters, 'train_cfg.val_interval=%d' % max_iters,
            'default_hooks.checkpoint.interval=%d' % max_iters,
            'param_scheduler.1.end=%d' % max_iters]


def saved_checkpoint(work_dir: str):
    """The checkpoint a run's ``last_checkpoint`` names, looked up in ``work_dir`` (so a work dir
    that moved still resumes), or None if there is none or it is gone."""
    pointer = osp.join(work_dir, 'last_checkpoint')
    if not osp.exists(pointer):
        return None
    with open(pointer) as f:
        name = osp.basename(f.read().strip())
    checkpoint = osp.join(work_dir, name)
    return checkpoint if name and osp.isfile(checkpoint) else None


def last_checkpoint(work_dir: str) -> str:
    """The checkpoint a finished run saved last."""
    checkpoint = saved_checkpoint(work_dir)
    if checkpoint is None:
        raise SystemExit(f'[quickstart] no checkpoint named by {work_dir}/last_checkpoint')
    return checkpoint


def main(argv=None):
    args = parse_args(argv)
    start, timings = time.time(), {}
    data_dir, work_dir = args.data_dir, args.work_dir
    shard_dir, lm_dir = osp.join(data_dir, 'shards'), osp.join(data_dir, 'lm')
    logs = osp.join(work_dir, 'logs')

    prepare_data(data_dir, args.size, args.workers, args.lm_steps, logs, timings)
    data_options = [f'train_dataloader.dataset.data_root={shard_dir}',
                    f'val_dataloader.dataset.data_root={shard_dir}',
                    f'test_dataloader.dataset.data_root={shard_dir}']
    stage1_dir, stage2_dir = osp.join(work_dir, 'stage1'), osp.join(work_dir, 'stage2')
    run('stage1', ['tools/train.py', STAGE1, '--work-dir', stage1_dir, '--cfg-options',
                   f'model.head.tokenizer_dir={lm_dir}', *data_options,
                   *iters_options(args.stage1_iters)], logs, timings)
    run('stage2', ['tools/train.py', STAGE2, '--work-dir', stage2_dir, '--cfg-options',
                   f'model.head.pretrained_dir={lm_dir}',
                   f'model.encoder_checkpoint={last_checkpoint(stage1_dir)}', *data_options,
                   *iters_options(args.stage2_iters)], logs, timings)
    test_dir = osp.join(work_dir, 'test')
    run('test', ['tools/test.py', STAGE2, last_checkpoint(stage2_dir), '--work-dir', stage2_dir,
                 '--out-dir', test_dir, '--cfg-options', f'model.head.pretrained_dir={lm_dir}',
                 *data_options],
        logs, timings)

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
               'steps_s': timings, 'predictions': osp.join(test_dir, 'predictions.jsonl')}
    print(json.dumps(summary))
    return summary


if __name__ == '__main__':
    main()
