"""The scoring command: reports per task, and clear errors on bad input files."""
import json
import subprocess
import sys

import pytest

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
