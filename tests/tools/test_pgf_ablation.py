"""Helpers of benchmarks/pgf_ablation.py: the crop-fraction override and the minimal-pair score."""
import argparse
import json
import os
import sys

import pytest
from mmengine.config import Config, DictAction

from .conftest import REPO

sys.path.insert(0, os.path.join(REPO, 'benchmarks'))
import pgf_ablation  # noqa: E402

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
