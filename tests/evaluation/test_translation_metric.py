import json

import pytest

from unisign_fla.evaluation import TranslationMetric, corpus_bleu


def test_chinese_bleu_is_character_level_with_nfkc():
    refs = ['他今年4岁。', '今天星期五!']
    # Full-width digits and punctuation NFKC-normalise to the reference's characters.
    hyps = ['他今年４岁。', '今天星期五！']
    assert corpus_bleu(hyps, refs, 'zh')['bleu4'] == pytest.approx(100.0)
    scores = corpus_bleu(['他今年5岁。', '今天星期五!'], refs, 'zh')
    assert 0 < scores['bleu4'] < 100 and 'tok:zh' in scores['signature']


def test_bad_language_and_length_mismatch():
    with pytest.raises(ValueError, match='unsupported language'):
        corpus_bleu(['a'], ['a'], 'fr')
    with pytest.raises(ValueError, match='1 hypotheses but 2 references'):
        corpus_bleu(['a'], ['a', 'b'], 'en')


def test_metric_scores_and_writes_predictions(tmp_path):
    metric = TranslationMetric(output_dir=str(tmp_path))
    samples = [dict(id='b', prediction='the man bought a book', target='the man bought a book',
                    language='en', task='slt'),
               dict(id='a', prediction='a woman sleeps', target='the woman slept',
                    language='en', task='slt')]
    metric.process({}, samples)
    scores = metric.compute_metrics(metric.results)
    assert set(scores) == {'bleu1', 'bleu2', 'bleu3', 'bleu4', 'rouge_l', 'rouge_l_lcs_f1'}
    assert 0 < scores['bleu4'] < 100
    lines = [json.loads(x) for x in open(tmp_path / 'predictions.jsonl')]
    assert [x['id'] for x in lines] == ['a', 'b']
    assert lines[0] == {'id': 'a', 'hypothesis': 'a woman sleeps', 'reference': 'the woman slept'}
    report = json.load(open(tmp_path / 'metrics.json'))
    assert report['signature'].startswith('nrefs:1') and report['num_samples'] == 2
    assert 'rouge 1.0.1' in report['conventions']['rouge_l'] and report['task'] == 'slt'
