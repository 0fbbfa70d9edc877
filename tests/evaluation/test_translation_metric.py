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
    assert lines[0] == {'id': 'a', 'hypothesis': 'a woman sleeps', 'reference': 'the woman slept',
                        'language': 'en', 'task': 'slt'}
    report = json.load(open(tmp_path / 'metrics.json'))
    assert report['signature'].startswith('nrefs:1') and report['num_samples'] == 2
    assert 'rouge 1.0.1' in report['conventions']['rouge_l'] and report['task'] == 'slt'


def test_mixed_sets_are_scored_per_dataset_and_task(tmp_path):
    """A multi-task evaluation: each data set and task with its own language and metric."""
    metric = TranslationMetric(output_dir=str(tmp_path))
    samples = [
        dict(id='p1', prediction='regen im norden', target='regen im norden', language='de',
             task='slt', dataset='phoenix2014t'),
        dict(id='c1', prediction='今天 天气', target='今天 天气 好', language='zh', task='cslr',
             dataset='csl_daily'),
        dict(id='w1', prediction='book', target='book', language='en', task='islr',
             dataset='wlasl2000'),
        dict(id='w2', prediction='drink', target='eat', language='en', task='islr',
             dataset='wlasl2000')]
    metric.process({}, samples)
    scores = metric.compute_metrics(metric.results)
    assert scores['phoenix2014t/slt/bleu1'] == pytest.approx(100.0)
    assert scores['csl_daily/cslr/wer'] == pytest.approx(100 / 3)
    assert scores['wlasl2000/islr/top1_instance'] == pytest.approx(50.0)
    assert not any(k.startswith('wlasl2000/islr/wer') for k in scores)
    report = json.load(open(tmp_path / 'metrics.json'))
    assert set(report['sets']) == {'phoenix2014t/slt', 'csl_daily/cslr', 'wlasl2000/islr'}
    assert report['sets']['csl_daily/cslr']['language'] == 'zh'
    lines = [json.loads(x) for x in open(tmp_path / 'predictions.jsonl')]
    assert {x['dataset'] for x in lines} == {'phoenix2014t', 'csl_daily', 'wlasl2000'}
    mixed_language = TranslationMetric()
    mixed_language.process({}, [dict(samples[0]), dict(samples[0], id='x', language='en')])
    with pytest.raises(ValueError, match='phoenix2014t/slt: one evaluation set must have one'):
        mixed_language.compute_metrics(mixed_language.results)
