"""The scoring command: reports per task, and clear errors on bad input files."""
import json
import re
import subprocess
import sys

import pytest

from unisign_fla.evaluation import TranslationMetric
from unisign_fla.evaluation.cli import main


def _files(tmp_path, hyp, ref):
    (tmp_path / 'hyp.txt').write_bytes(hyp if isinstance(hyp, bytes) else hyp.encode())
    (tmp_path / 'ref.txt').write_bytes(ref if isinstance(ref, bytes) else ref.encode())
    return ['--hyp', str(tmp_path / 'hyp.txt'), '--ref', str(tmp_path / 'ref.txt')]


def test_module_entry_point_prints_one_json_object(tmp_path):
    args = _files(tmp_path, 'the man bought a red book\n', 'the man bought a red book\n')
    out = subprocess.run([sys.executable, '-m', 'unisign_fla.evaluation', *args, '--lang', 'en',
                          '--json'], capture_output=True, text=True, check=True).stdout
    report = json.loads(out)
    assert report['bleu4'] == pytest.approx(100.0) and report['rouge_l'] == pytest.approx(100.0)
    assert report['signature'].startswith('nrefs:1')


def test_cslr_reports_wer_with_its_parts(tmp_path):
    args = _files(tmp_path, 'A B X\nC\n', 'A B C\nC D\n')
    report = main(args + ['--lang', 'de', '--task', 'cslr'])
    assert (report['substitutions'], report['deletions'], report['insertions']) == (1, 1, 0)
    assert report['wer'] == pytest.approx(40.0) and report['reference_words'] == 5


def test_islr_reports_instance_and_class_accuracy(tmp_path):
    args = _files(tmp_path, 'book\nBook.\ncat\ndog\n', 'book\nbook\nbook\nhouse\n')
    report = main(args + ['--lang', 'en', '--task', 'islr', '--json'])
    assert report['top1_instance'] == pytest.approx(50.0)
    assert report['top1_class'] == pytest.approx((2 / 3 * 100 + 0) / 2)


def test_empty_hypothesis_lines_count_as_empty_outputs(tmp_path):
    full = main(_files(tmp_path, 'a b c d\ne f g h\n', 'a b c d\ne f g h\n') + ['--lang', 'en'])
    half = main(_files(tmp_path, 'a b c d\n\n', 'a b c d\ne f g h\n') + ['--lang', 'en'])
    assert half['rouge_l'] == pytest.approx(full['rouge_l'] / 2, abs=1e-5)
    assert half['bleu4'] < full['bleu4']


def test_compare_adds_a_paired_bootstrap(tmp_path):
    refs = '\n'.join(f'sentence number {i} is here' for i in range(30)) + '\n'
    worse = '\n'.join(f'sentence {i} here' for i in range(30)) + '\n'
    args = _files(tmp_path, worse, refs)
    (tmp_path / 'b.txt').write_text(refs)
    report = main(args + ['--lang', 'en', '--compare', str(tmp_path / 'b.txt'),
                          '--bootstrap-samples', '100'])
    comparison = report['comparison']
    assert comparison['delta'] > 0 and comparison['delta_ci95'][0] > 0


@pytest.mark.parametrize('hyp, ref, message', [
    ('a\nb\n', 'a\n', r'hyp.txt has 2 lines but .*ref.txt has 1'),
    ('a\nb\n', 'a\n\n', r'empty reference at line 2'),
    (b'ok\n\xff\xfe\n', 'a\nb\n', r'hyp.txt: line 2 is not valid UTF-8'),
    ('', '', r'nothing to score'),
])
def test_bad_input_files_are_named(tmp_path, hyp, ref, message):
    with pytest.raises(SystemExit, match=message):
        main(_files(tmp_path, hyp, ref) + ['--lang', 'en'])


def test_unsupported_language_and_missing_file(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(_files(tmp_path, 'a\n', 'a\n') + ['--lang', 'fr'])
    assert "invalid choice: 'fr'" in capsys.readouterr().err
    with pytest.raises(SystemExit, match='cannot read .*nope.txt'):
        main(['--hyp', str(tmp_path / 'nope.txt'), '--ref', str(tmp_path / 'nope.txt'),
              '--lang', 'en'])


# tools/test.py's output: TranslationMetric (its test_evaluator) writes predictions.jsonl (id,
# hypothesis, reference; plus dataset and task when the set mixes several) and metrics.json.
SAMPLES = [dict(id='v2', prediction='a woman sleeps', target='the woman slept'),
           dict(id='v1', prediction='the man bought a red book', target='the man bought a book'),
           dict(id='v3', prediction='it rains in the north', target='it rains in the north now')]


def _test_py_outputs(out_dir, samples, language='en', task='slt'):
    metric = TranslationMetric(output_dir=str(out_dir))
    metric.process({}, [dict(dict(language=language, task=task), **s) for s in samples])
    metric.compute_metrics(metric.results)
    return out_dir / 'predictions.jsonl', json.loads((out_dir / 'metrics.json').read_text())


def _cli(*args):
    return subprocess.run([sys.executable, '-m', 'unisign_fla.evaluation', *map(str, args)],
                          capture_output=True, text=True)


def test_test_py_predictions_score_as_in_its_metrics_json(tmp_path):
    predictions, metrics = _test_py_outputs(tmp_path, SAMPLES)
    run = _cli('--hyp', predictions, '--lang', 'en', '--json')
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    for key in ('bleu1', 'bleu4', 'rouge_l', 'rouge_l_lcs_f1', 'signature'):
        assert report[key] == metrics[key]
    assert 0 < report['bleu4'] < 100 and report['num_sentences'] == 3
    # The same with the references as a text file, in the file's (id) order.
    refs = tmp_path / 'refs.txt'
    refs.write_text(''.join(json.loads(x)['reference'] + '\n' for x in open(predictions)))
    assert main(['--hyp', str(predictions), '--ref', str(refs), '--lang', 'en'])['bleu4'] == \
        metrics['bleu4']


def test_references_in_another_order_are_noted(tmp_path, capsys):
    predictions, metrics = _test_py_outputs(tmp_path, SAMPLES)
    refs = tmp_path / 'refs.txt'
    refs.write_text(''.join(s['target'] + '\n' for s in SAMPLES))   # data set order, not id order
    report = main(['--hyp', str(predictions), '--ref', str(refs), '--lang', 'en'])
    assert report['bleu4'] != metrics['bleu4']
    assert "note: 2 of 3 lines of" in capsys.readouterr().err


def test_json_lines_are_recognised_by_their_first_line_too(tmp_path):
    predictions, metrics = _test_py_outputs(tmp_path, SAMPLES)
    renamed = tmp_path / 'predictions.txt'
    renamed.write_bytes(predictions.read_bytes())
    assert main(['--hyp', str(renamed), '--lang', 'en'])['bleu4'] == metrics['bleu4']


def test_language_and_task_come_from_records_that_agree(tmp_path):
    records = [dict(id='c1', hypothesis='今天 天气', reference='今天 天气 好', language='zh',
                    task='cslr', dataset='csl_daily'),
               dict(id='c2', hypothesis='我 去', reference='我 去', language='zh', task='cslr',
                    dataset='csl_daily')]
    path = tmp_path / 'csl.jsonl'
    path.write_text(''.join(json.dumps(r, ensure_ascii=False) + '\n' for r in records))
    report = main(['--hyp', str(path)])
    assert report['wer'] == pytest.approx(20.0) and 'tok:zh' in report['signature']
    with pytest.raises(SystemExit, match=r"--lang en contradicts .*csl.jsonl.*'language': 'zh'"):
        main(['--hyp', str(path), '--lang', 'en'])
    with pytest.raises(SystemExit, match=r"--task slt contradicts"):
        main(['--hyp', str(path), '--task', 'slt'])
    records[1]['language'] = 'de'
    path.write_text(''.join(json.dumps(r, ensure_ascii=False) + '\n' for r in records))
    with pytest.raises(SystemExit, match=r"'language' fields disagree \(de, zh\): pass --lang"):
        main(['--hyp', str(path)])


def test_test_py_predictions_say_their_language_and_task(tmp_path, capsys):
    """tools/test.py's records carry language and task: no --lang / --task needed."""
    predictions, _ = _test_py_outputs(tmp_path, SAMPLES)
    main(['--hyp', str(predictions), '--json'])
    assert json.loads(capsys.readouterr().out)['bleu4'] >= 0


def test_a_mixed_predictions_file_is_refused(tmp_path):
    metric = TranslationMetric(output_dir=str(tmp_path))
    metric.process({}, [
        dict(id='p1', prediction='regen im norden', target='regen im norden', language='de',
             task='slt', dataset='phoenix2014t'),
        dict(id='c1', prediction='今天 天气', target='今天 天气 好', language='zh', task='cslr',
             dataset='csl_daily')])
    metric.compute_metrics(metric.results)
    with pytest.raises(SystemExit, match=r'mixes 2 evaluation sets \(csl_daily/cslr, '
                                         r'phoenix2014t/slt\)'):
        main(['--hyp', str(tmp_path / 'predictions.jsonl'), '--lang', 'de'])


@pytest.mark.parametrize('lines, args, message', [
    (['{"id": "a", "hypothesis": "x", "reference": "x"}', '{"id": "b", "reference": "y"}'], [],
     r"preds.jsonl: line 2 has no 'hypothesis' key \(keys: id, reference\)"),
    (['{"id": "a", "hypothesis": "x"}', '', '{"id": "b", "hypothesis": "y"}'], [],
     r"preds.jsonl: line 1 has no 'reference' key"),
    (['{"id": "a", "hypothesis": "x", "reference": "x"}', 'plain text'], [],
     r'preds.jsonl: line 2 is not JSON'),
    (['{"id": "a", "hypothesis": null, "reference": "x"}'], [],
     r"preds.jsonl: line 1: 'hypothesis' is NoneType, expected text"),
])
def test_json_lines_without_a_needed_key_name_file_line_and_key(tmp_path, lines, args, message):
    path = tmp_path / 'preds.jsonl'
    path.write_text('\n'.join(lines) + '\n')
    with pytest.raises(SystemExit) as refused:
        main(['--hyp', str(path), '--lang', 'en', *args])
    assert re.search(message, str(refused.value)) and '\n' not in str(refused.value)


def test_plain_text_of_json_objects_is_refused_not_scored(tmp_path):
    """The original trap: a file of JSON objects scored as if each line were a sentence."""
    args = _files(tmp_path, '{"id": "a", "prediction": "the man bought a book"}\n'
                            '{"id": "b", "prediction": "a woman sleeps"}\n',
                  'the man bought a book\na woman sleeps\n')
    with pytest.raises(SystemExit, match=r"hyp.txt: every line is a JSON object, not a sentence, "
                                         r"and line 1 has no 'hypothesis' key"):
        main(args + ['--lang', 'en'])
    (tmp_path / 'ref.txt').write_text('{"id": "a", "target": "x"}\n{"id": "b", "target": "y"}\n')
    (tmp_path / 'hyp.txt').write_text('x\ny\n')
    with pytest.raises(SystemExit, match=r"ref.txt: every line is a JSON object.*'reference'"):
        main(args + ['--lang', 'en'])


def test_plain_text_needs_ref_and_lang(tmp_path):
    args = _files(tmp_path, 'a b\n', 'a b\n')
    with pytest.raises(SystemExit, match=r'--ref is needed: .*hyp.txt is plain text'):
        main(args[:2] + ['--lang', 'en'])
    with pytest.raises(SystemExit, match=r'--lang is needed'):
        main(args)


def test_compare_two_prediction_files_pairs_them_by_id(tmp_path):
    predictions, _ = _test_py_outputs(tmp_path / 'a', SAMPLES)
    better, _ = _test_py_outputs(tmp_path / 'b', [dict(s, prediction=s['target']) for s in SAMPLES])
    report = main(['--hyp', str(predictions), '--compare', str(better), '--lang', 'en',
                   '--bootstrap-samples', '50'])
    assert report['comparison']['delta'] > 0
    other, _ = _test_py_outputs(tmp_path / 'c', [dict(s, id='x' + s['id']) for s in SAMPLES])
    with pytest.raises(SystemExit, match=r"line 1 has id 'v1' but .*line 1 has id 'xv1'"):
        main(['--hyp', str(predictions), '--compare', str(other), '--lang', 'en'])


def test_help_describes_prediction_files():
    run = _cli('--help')
    assert 'predictions.jsonl' in run.stdout and '"reference"' in run.stdout
