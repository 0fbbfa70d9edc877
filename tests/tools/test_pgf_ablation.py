"""Helpers of benchmarks/pgf_ablation.py: the crop-fraction override and the minimal-pair score."""
import argparse
import json
import os

import pytest
from mmengine.config import Config, DictAction

from tests.scripts import load_script
from tests.tools.conftest import REPO

pgf_ablation = load_script('benchmarks', 'pgf_ablation')

PGF_ISLR = os.path.join(REPO, 'configs/synthsign/pgf_islr_synthsign.py')


def test_crop_fraction_options_reach_every_score_aware_sampling_step():
    options = pgf_ablation.crop_fraction_options(PGF_ISLR, 0.25)
    assert len(options) == 3                          # train, val and test loaders
    parser = argparse.ArgumentParser()                # as tools/train.py reads them
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    cfg = Config.fromfile(PGF_ISLR)
    cfg.merge_from_dict(parser.parse_args(['--cfg-options', *options]).cfg_options)
    for loader in ('train', 'val', 'test'):
        steps = [step for step in cfg[f'{loader}_dataloader'].dataset.pipeline
                 if step['type'] == 'ScoreAwareCropSampling']
        assert [step['fraction'] for step in steps] == [0.25]
    assert pgf_ablation.crop_fraction_options(PGF_ISLR, None) == []


def test_minimal_pair_top1_scores_only_the_pair_clips(tmp_path):
    summary = {'vocabulary': [{'gloss': 'BUY', 'word': 'buy'}, {'gloss': 'SELL', 'word': 'sell'},
                              {'gloss': 'HOUSE', 'word': 'house'}],
               'minimal_pairs': [['BUY', 'SELL']]}
    (tmp_path / 'synthsign.json').write_text(json.dumps(summary))
    rows = [('buy', 'buy'), ('sell', 'buy'), ('sell', 'sell'), ('house', 'car')]
    predictions = tmp_path / 'predictions.jsonl'
    predictions.write_text(''.join(json.dumps({'reference': ref, 'hypothesis': hyp}) + '\n'
                                   for ref, hyp in rows))
    assert pgf_ablation.minimal_pair_top1(str(predictions), str(tmp_path)) == pytest.approx(
        200 / 3)


def _ablation_commands(tmp_path, monkeypatch, checkpoint_iter=None, file_kept=True,
                       tested=False):
    """The tools that ``train_and_test`` runs for a 1,000-iteration SLT pose-only run whose
    ``last_checkpoint`` names ``iter_<checkpoint_iter>.pth`` (None: no run folder) under the
    path the work dir had before it moved; the file is there if ``file_kept``; the test metrics
    are there if ``tested``."""
    run_dir = tmp_path / 'work' / 'slt_pose_only_it1000_seed0'
    if checkpoint_iter is not None:
        run_dir.mkdir(parents=True)
        name = f'iter_{checkpoint_iter}.pth'
        (run_dir / 'last_checkpoint').write_text(f'/old/work/{run_dir.name}/{name}')
        if file_kept:
            (run_dir / name).write_bytes(b'weights')
    if tested:
        (run_dir / 'test').mkdir()
        (run_dir / 'test' / 'metrics.json').write_text('{"bleu4": 12.5}')
    commands = []

    def fake_run(step, command, *_):
        commands.append(command)
        if command[0] == 'tools/train.py':
            run_dir.mkdir(parents=True, exist_ok=True)
            (run_dir / 'iter_1000.pth').write_bytes(b'weights')
            (run_dir / 'last_checkpoint').write_text(str(run_dir / 'iter_1000.pth'))
        else:
            (run_dir / 'test').mkdir(parents=True, exist_ok=True)
            (run_dir / 'test' / 'metrics.json').write_text('{"bleu4": 12.5}')

    monkeypatch.setattr(pgf_ablation, 'run_tool', fake_run)
    args = pgf_ablation.parse_args(['--work-dir', str(tmp_path / 'work'), '--data-dir',
                                    str(tmp_path / 'data'), '--checkpoint-interval', '250'])
    result = pgf_ablation.train_and_test('pose_only', 'slt', 0, 1000, args, {})
    assert result == {'score': 12.5, 'gate': None}
    return commands


@pytest.mark.parametrize('checkpoint_iter, file_kept, resume_from', [
    (None, True, None), (500, True, 'iter_500.pth'), (500, False, None), (1000, True, 'tested')])
def test_a_stopped_run_resumes_and_a_trained_one_is_only_tested(tmp_path, monkeypatch,
                                                                 checkpoint_iter, file_kept,
                                                                 resume_from):
    commands = _ablation_commands(tmp_path, monkeypatch, checkpoint_iter, file_kept)
    trains = resume_from != 'tested'
    assert [command[0] for command in commands] == (
        ['tools/train.py'] if trains else []) + ['tools/test.py']
    assert commands[-1][2] == str(tmp_path / 'work' / 'slt_pose_only_it1000_seed0' /
                                  'iter_1000.pth')
    if trains:
        train = commands[0]
        assert 'default_hooks.checkpoint.interval=250' in train
        if resume_from is None:
            assert '--resume' not in train
        else:   # found in the run folder, wherever the work dir was when it was written
            assert train[train.index('--resume') + 1] == str(
                tmp_path / 'work' / 'slt_pose_only_it1000_seed0' / resume_from)


def test_a_tested_run_is_reused(tmp_path, monkeypatch):
    assert _ablation_commands(tmp_path, monkeypatch, 1000, tested=True) == []


def test_mean_gate_averages_the_last_50_iterations_the_resumed_log_winning(tmp_path):
    # The first run logged every 10th iteration up to 80 and was stopped; the resumed run
    # (later folder) logged 60 to 100 again. The last 50 iterations are 60..100 of the second.
    for stamp, iterations, gate in (('20261101_100000', range(10, 81, 10), 0.1),
                                    ('20261101_110000', range(60, 101, 10), 0.3)):
        vis = tmp_path / stamp / 'vis_data'
        vis.mkdir(parents=True)
        (vis / 'scalars.json').write_text(''.join(
            json.dumps({'iter': i, 'pgf_gate': gate + i / 1000}) + '\n' for i in iterations))
    assert pgf_ablation.mean_gate(str(tmp_path), 100) == pytest.approx(0.3 + 0.08)
    assert pgf_ablation.mean_gate(str(tmp_path / 'pose_only_run'), 100) is None
