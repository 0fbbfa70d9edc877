"""The steps the quick start and the SynthSign benchmarks share: running a tool of this
repository as a subprocess, preparing SynthSign (data, shards, language model), overriding a
config's iterations, finding a run's checkpoint, and one train-then-test run with its reuse and
resumption. They run the repository's ``tools/`` and ``data_prep/`` scripts, so they need a
checkout (an editable install), as the quick start does.
"""
import json
import os
import os.path as osp
import statistics
import subprocess
import sys
import time

from unisign_fla.lm import train_tokenizer

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
SYNTHSIGN_SPLITS = ('train', 'dev', 'test')
# Chosen by stage 2's dev BLEU-4 on the demo set, same stage-1 checkpoint (LM steps 300 / 450 /
# 600 / 750: 49.8 / 56.0 / 51.8 / 44.6).
LM_STEPS = 450


def run_tool(step: str, command: list, log_dir: str, timings: dict,
             tag: str = 'quickstart') -> None:
    """Run one script of the repository (``command[0]``, a path from its root) as a subprocess,
    its output in ``log_dir/step.log``; fail loudly."""
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


def prepare_synthsign(data_dir: str, size: str, workers: int, lm_steps: int, log_dir: str,
                 timings: dict, islr: bool = False) -> None:
    """SynthSign, its shards (``shards/``; the ISLR clips in ``shards_islr/`` if ``islr``) and
    the language model (``lm/``) under ``data_dir``; each step is skipped if already done."""
    if not osp.exists(osp.join(data_dir, 'synthsign.json')):
        run_tool('generate', ['data_prep/synthsign.py', '--out', data_dir, '--size', size,
                         '--workers', str(workers)], log_dir, timings)
    manifests = [(split, split, 'shards') for split in SYNTHSIGN_SPLITS]
    if islr:
        manifests += [(f'islr_{split}', split, 'shards_islr') for split in SYNTHSIGN_SPLITS]
    for manifest, split, folder in manifests:
        shard_dir = osp.join(data_dir, folder)
        if not osp.exists(osp.join(shard_dir, f'synthsign-{split}.index.json')):
            run_tool(f'extract_{manifest}', [
                'tools/extract_pose.py', '--manifest',
                osp.join(data_dir, 'manifests', f'{manifest}.jsonl'), '--video-root', data_dir,
                '--out', shard_dir, '--backend', 'precomputed', '--crop-size', '64'],
                log_dir, timings)
    lm_dir = osp.join(data_dir, 'lm')
    if not osp.exists(osp.join(lm_dir, 'config.json')):
        run_tool('prepare_lm', ['tools/prepare_lm.py', '--text', osp.join(data_dir, 'manifests',
                                                                      'train.jsonl'),
                           '--out', lm_dir, '--arch', 'llama', '--max-steps', str(lm_steps),
                           '--max-seconds', '0'],
            log_dir, timings)


def manifest_rows(data_dir: str, name: str) -> list[dict]:
    with open(osp.join(data_dir, 'manifests', f'{name}.jsonl'), encoding='utf-8') as f:
        return [json.loads(line) for line in f]


def task_tokenizer(data_dir: str) -> str:
    """A tokenizer for all three targets: training sentences, gloss sequences, class words."""
    folder = osp.join(data_dir, 'tokenizer_tasks')
    if not osp.exists(osp.join(folder, 'tokenizer.json')):
        rows = manifest_rows(data_dir, 'train') + manifest_rows(data_dir, 'islr_train')
        texts = [r['text'] for r in rows if r.get('text')]
        texts += [' '.join(r['gloss']) for r in rows if r.get('gloss')]
        texts += [r['label'] for r in rows if r.get('label')]
        train_tokenizer(texts, folder, vocab_size=2000)
    return osp.abspath(folder)


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
        raise SystemExit(f'no checkpoint named by {work_dir}/last_checkpoint')
    return checkpoint


def train_then_test(name: str, config: str, options: list, iters: int, work_dir: str,
                    timings: dict, tag: str, train_options: tuple = ()) -> dict:
    """tools/train.py ``config`` for ``iters`` iterations, then tools/test.py on the test split
    with the final checkpoint; returns the test ``metrics.json``. ``options`` go to both,
    ``train_options`` to training only."""
    run_dir = osp.abspath(osp.join(work_dir, name))
    metrics_file = osp.join(run_dir, 'test', 'metrics.json')
    logs = osp.join(work_dir, 'logs')
    final = osp.join(run_dir, f'iter_{iters}.pth')
    if osp.exists(metrics_file):
        print(f'[{tag}] {name}: reusing {metrics_file}', flush=True)
    else:
        checkpoint = saved_checkpoint(run_dir)
        if checkpoint != final:
            resume = ['--resume', checkpoint] if checkpoint else []
            run_tool(f'{name}_train', ['tools/train.py', config, '--work-dir', run_dir, *resume,
                                  '--cfg-options', *options, f'train_cfg.max_iters={iters}',
                                  *train_options], logs, timings, tag)
        run_tool(f'{name}_test', ['tools/test.py', config, final, '--work-dir', run_dir,
                             '--out-dir', osp.dirname(metrics_file), '--cfg-options', *options],
            logs, timings, tag)
    with open(metrics_file, encoding='utf-8') as f:
        return json.load(f)


def seed_summary(scores: list, key: str = '') -> dict:
    """Mean, per-seed values and spread of a score over seeds, under ``key`` (``'bleu4'``:
    ``bleu4``, ``bleu4_seeds``, ``bleu4_spread``) or plainly ``mean``, ``seeds``, ``spread``."""
    names = (key, f'{key}_seeds', f'{key}_spread') if key else ('mean', 'seeds', 'spread')
    return dict(zip(names, (round(statistics.fmean(scores), 2), scores,
                            round(max(scores) - min(scores), 2))))
