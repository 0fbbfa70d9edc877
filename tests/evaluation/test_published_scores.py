"""Uni-Sign's released pose-only outputs must score exactly what the paper reports.

CSL-Daily starts from the raw, unsegmented references of the label files (full-width
punctuation) and the released predictions with their character spaces removed, so the whole
convention (NFKC, character tokens, ROUGE variant) is exercised, not just sacrebleu.
"""
import json
import os
import re

import pytest

from tests.conftest import shared_data_dir
from unisign_fla.evaluation import score
from unisign_fla.evaluation.cli import main as score_files
from unisign_fla.formats.label_files import load_label_file


def _released(path, field):
    """``sample: NAME, <field>: TEXT`` lines of Uni-Sign's output files -> {name: text}."""
    pattern = re.compile(rf'sample: (.*?), {field}: (.*)$')
    with open(path, encoding='utf-8') as f:
        return dict(pattern.match(line.rstrip('\n')).groups() for line in f)


def _pairs(dataset, split):
    data = shared_data_dir()
    labels = load_label_file(os.path.join(data, 'labels', dataset, f'labels.{split}'))
    predictions = _released(os.path.join(data, 'unisign_predictions', dataset,
                                         f'{split}_pres.txt'), 'prediction')
    names = sorted(predictions)
    if dataset == 'csl_daily':
        hypotheses = [predictions[n].replace(' ', '') for n in names]
    else:
        hypotheses = [predictions[n] for n in names]
    return hypotheses, [labels[n]['text'] for n in names]


@pytest.mark.parametrize('dataset, split, language, bleu4, rouge_l', [
    ('csl_daily', 'test', 'zh', 25.70, 55.00),
    ('csl_daily', 'dev', 'zh', 25.27, None),
    ('how2sign', 'test', 'en', 14.50, 34.51),
])
def test_released_outputs_reproduce_published_scores(dataset, split, language, bleu4, rouge_l):
    hypotheses, references = _pairs(dataset, split)
    report = score(hypotheses, references, language)
    assert report['bleu4'] == pytest.approx(bleu4, abs=0.01)
    if rouge_l is not None:
        assert report['rouge_l'] == pytest.approx(rouge_l, abs=0.02)
        # The other convention is about 1.5-2.5 points lower on the same outputs.
        assert 1.0 < report['rouge_l'] - report['rouge_l_lcs_f1'] < 3.0


def test_scoring_command_on_released_outputs(tmp_path, capsys):
    hypotheses, references = _pairs('csl_daily', 'test')
    (tmp_path / 'hyp.txt').write_text('\n'.join(hypotheses) + '\n', encoding='utf-8')
    (tmp_path / 'ref.txt').write_text('\n'.join(references) + '\n', encoding='utf-8')
    score_files(['--hyp', str(tmp_path / 'hyp.txt'), '--ref', str(tmp_path / 'ref.txt'),
                 '--lang', 'zh', '--json'])
    report = json.loads(capsys.readouterr().out)
    assert {'bleu1', 'bleu2', 'bleu3', 'bleu4', 'rouge_l', 'rouge_l_lcs_f1',
            'signature'} <= set(report)
    assert report['bleu4'] == pytest.approx(25.70, abs=0.01)
    assert 'tok:zh' in report['signature'] and report['num_sentences'] == 1176
