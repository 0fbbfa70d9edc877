"""Atomic writes (unisign_fla/fileio.py): a reader sees the old file or the new one, never half."""
import os

import pytest

from unisign_fla.fileio import atomic_write, temporary_path, write_text_atomic


def test_the_new_text_replaces_the_old_and_no_temporary_file_remains(tmp_path):
    path = tmp_path / 'metrics.json'
    path.write_text('old')
    write_text_atomic(str(path), 'new ✓')
    assert path.read_text(encoding='utf-8') == 'new ✓'
    assert os.listdir(tmp_path) == ['metrics.json']


def test_a_failed_write_keeps_the_old_file_and_removes_its_temporary(tmp_path):
    path = tmp_path / 'predictions.jsonl'
    path.write_text('complete\n')
    with pytest.raises(RuntimeError, match='disk full'):
        with atomic_write(str(path)) as tmp, open(tmp, 'w') as f:
            f.write('half')
            raise RuntimeError('disk full')
    assert path.read_text() == 'complete\n'
    assert os.listdir(tmp_path) == ['predictions.jsonl']


def test_the_temporary_name_can_keep_the_extension_last():
    assert temporary_path('/d/clip.mp4', keep_suffix=True).endswith('.mp4')
    assert temporary_path('/d/clip.mp4').startswith('/d/clip.mp4.tmp.')
