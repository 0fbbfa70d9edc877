"""One training run and its test on SynthSign, as the benchmarks on SynthSign need them.

A run whose ``test/metrics.json`` exists is reused, and one that stopped resumes from the last
checkpoint its work dir names, so a benchmark can be spread over several time-limited jobs.
"""
import json
import os.path as osp
import statistics
import sys

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
sys.path.insert(0, osp.join(REPO, 'tools'))
from quickstart import run, saved_checkpoint  # noqa: E402


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
            run(f'{name}_train', ['tools/train.py', config, '--work-dir', run_dir, *resume,
                                  '--cfg-options', *options, f'train_cfg.max_iters={iters}',
                                  *train_options], logs, timings, tag)
        run(f'{name}_test', ['tools/test.py', config, final, '--work-dir', run_dir,
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
