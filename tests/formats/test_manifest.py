import json
import re

import pytest

from unisign_fla.formats.manifest import ManifestError, read_manifest, target_of, write_manifest

GOOD = dict(id='clip_1', dataset='synthsign', split='train', video='videos/clip_1.mp4',
            language='en', text='I eat an apple.', gloss=['I', 'APPLE', 'EAT'])


def _write(path, lines):
    path.write_text('\n'.join(lines) + '\n', encoding='utf-8')
    return str(path)


def test_missing_field_names_file_line_and_field(tmp_path):
    broken = {k: v for k, v in GOOD.items() if k != 'video'}
    path = _write(tmp_path / 'm.jsonl', [json.dumps(GOOD), json.dumps(broken)])
    with pytest.raises(ManifestError, match=r"m\.jsonl:2: missing required field 'video'"):
        read_manifest(path)


def test_invalid_lines_are_skipped_and_reported_on_request(tmp_path):
    lines = [json.dumps(GOOD), '{not json', json.dumps(dict(GOOD, id='a.b')),
             json.dumps(dict(GOOD, language='fr')), json.dumps(GOOD)]
    records, errors = read_manifest(_write(tmp_path / 'm.jsonl', lines), skip_invalid=True)
    assert [r['id'] for r in records] == ['clip_1']
    assert [e.split(': ')[0][-1] for e in errors] == ['2', '3', '4', '5']
    assert 'not valid JSON' in errors[0] and "'id'" in errors[1]
    assert "'language'" in errors[2] and 'duplicate id' in errors[3]


def test_write_round_trip_and_targets(tmp_path):
    path = str(tmp_path / 'out' / 'm.jsonl')
    assert write_manifest([GOOD], path) == 1
    records, _ = read_manifest(path)
    assert records == [GOOD]
    assert target_of(GOOD, 'slt') == 'I eat an apple.'
    assert target_of(GOOD, 'cslr') == 'I APPLE EAT'
    assert target_of(GOOD, 'islr') is None
    with pytest.raises(ManifestError, match='at least one target'):
        write_manifest([{k: v for k, v in GOOD.items() if k not in ('text', 'gloss')}], path)


@pytest.mark.parametrize('key, value', [('dataset', '../../x'), ('dataset', '/tmp/victim/evil'),
                                        ('split', 'a/b'), ('split', '..'), ('id', 'clip\n'),
                                        ('dataset', 'toy\n'), ('id', 'a.b')])
def test_names_that_would_leave_the_output_folder_are_refused(tmp_path, key, value):
    """id, dataset and split name files; a full match keeps out '..', '/', and the trailing
    newline that a '$'-anchored pattern lets through."""
    lines = [json.dumps(GOOD), json.dumps({**GOOD, 'id': 'clip_2', key: value})]
    path = _write(tmp_path / 'm.jsonl', lines)
    with pytest.raises(ManifestError, match=re.escape(f'm.jsonl:2: field {key!r} = {value!r} '
                                                      f'must match [A-Za-z0-9_\\-]+ in full')):
        read_manifest(path)
    with pytest.raises(ManifestError, match=re.escape(f'record 0: field {key!r}')):
        write_manifest([dict(GOOD, **{key: value})], str(tmp_path / 'out.jsonl'))


def test_a_line_that_is_not_utf8_is_one_invalid_line(tmp_path):
    path = tmp_path / 'm.jsonl'
    path.write_bytes(json.dumps(GOOD).encode() + b'\n{"id": "\xff\xfe"}\n' +
                     json.dumps(dict(GOOD, id='clip_2')).encode() + b'\n')
    records, errors = read_manifest(str(path), skip_invalid=True)
    assert [r['id'] for r in records] == ['clip_1', 'clip_2']
    assert errors == [f'{path}:2: not UTF-8 text (byte 9 of the line)']
