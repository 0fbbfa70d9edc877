import gzip
import pickle

import numpy as np
import pytest

from unisign_fla.formats.label_files import LabelFileError, load_label_file


def _write(path, obj, compress=True):
    data = pickle.dumps(obj)
    path.write_bytes(gzip.compress(data) if compress else data)
    return path


def test_reads_gzip_and_plain_label_pickles(tmp_path):
    labels = {'S1': {'name': 'S1', 'gloss': ['他', '今天'], 'text': '他今天来。',
                     'video_path': 'S1.mp4'}}
    assert load_label_file(_write(tmp_path / 'labels.test', labels)) == labels
    assert load_label_file(_write(tmp_path / 'plain.pkl', labels, compress=False)) == labels


def test_refuses_anything_that_imports(tmp_path):
    path = _write(tmp_path / 'evil.test', {'S1': {'text': 'x', 'pose': np.zeros(2)}})
    with pytest.raises(LabelFileError, match=r'evil.test: refuses to load numpy'):
        load_label_file(path)


def test_wrong_layouts_are_named(tmp_path):
    with pytest.raises(LabelFileError, match='expected a dict of clip name'):
        load_label_file(_write(tmp_path / 'list.test', [1, 2]))
    with pytest.raises(LabelFileError, match="record 'S1' has no \"text\" field"):
        load_label_file(_write(tmp_path / 'notext.test', {'S1': {'gloss': []}}))
    (tmp_path / 'junk.test').write_bytes(b'\x1f\x8bnot really gzip')
    with pytest.raises(LabelFileError, match='junk.test: corrupt gzip data'):
        load_label_file(tmp_path / 'junk.test')
    (tmp_path / 'text.test').write_text('hello')
    with pytest.raises(LabelFileError, match='text.test: not a readable pickle'):
        load_label_file(tmp_path / 'text.test')
