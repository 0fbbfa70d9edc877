import json

import pytest

from unisign_fla.lm import read_text_lines


def test_reads_text_and_manifest_files(tmp_path):
    (tmp_path / 'a.txt').write_text('First line.\n\n  Second line.  \n', encoding='utf-8')
    rows = [dict(id='x', text='From the manifest.'), dict(id='y', label='hello'),
            dict(id='z', text='   ')]
    (tmp_path / 'b.jsonl').write_text('\n'.join(json.dumps(r) for r in rows) + '\n\n')
    assert read_text_lines([tmp_path / 'a.txt', tmp_path / 'b.jsonl']) == [
        'First line.', 'Second line.', 'From the manifest.']


@pytest.mark.parametrize('row, message', [
    ('{not json', r'b.jsonl:2: not valid JSON'),
    ('[1, 2]', r'b.jsonl:2: expected a JSON object per line'),
    ('{"text": 3}', r'b.jsonl:2: "text" must be a string, got int'),
])
def test_bad_manifest_rows_name_file_and_line(tmp_path, row, message):
    (tmp_path / 'b.jsonl').write_text('{"text": "ok"}\n' + row + '\n')
    with pytest.raises(ValueError, match=message):
        read_text_lines([tmp_path / 'b.jsonl'])


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match='nope.txt: no such text file'):
        read_text_lines([tmp_path / 'nope.txt'])
