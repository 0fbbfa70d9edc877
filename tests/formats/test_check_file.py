"""``python -m unisign_fla.formats.check_file``: what a downloaded file holds, or why not."""
import gzip
import pickle
import subprocess
import sys

import numpy as np
import pytest
import torch

from unisign_fla.formats.check_file import main
from unisign_fla.formats.load_limits import MAX_BYTES_VARIABLE


def test_prints_a_tree_of_each_file_and_fails_if_one_is_refused(tmp_path, capsys):
    pose = tmp_path / 'clip.pkl'
    pose.write_bytes(pickle.dumps({'keypoints': np.zeros((3, 1, 133, 2), np.float32),
                                   'scores': [np.ones((1, 133), np.float32)] * 3}))
    labels = tmp_path / 'labels.dev'
    labels.write_bytes(gzip.compress(pickle.dumps({f'S{i}': {'text': 'hi'} for i in range(20)})))
    checkpoint = tmp_path / 'iter_2.pth'
    torch.save({'state_dict': {'weight': torch.ones(2, 3)}, 'meta': {'iter': 2}}, checkpoint)
    assert main([str(pose), str(labels), str(checkpoint)]) == 0
    out = capsys.readouterr().out
    assert f'{pose}: ok (pickle, 3724 bytes of arrays and tensors)' in out
    assert "'keypoints': ndarray float32 (3, 1, 133, 2)" in out
    assert "'scores': list of 3\n      [0]: ndarray float32 (1, 133)" in out
    assert "dict of 20 keys\n    'S0': dict of 1 keys\n      'text': 'hi'" in out
    assert '... 16 more' in out
    assert f'{checkpoint}: ok (torch checkpoint, 24 bytes' in out
    assert "'weight': tensor float32 (2, 3)" in out

    evil = tmp_path / 'evil.pkl'
    evil.write_bytes(b'cos\nsystem\n(S"touch PWNED"\ntR.')
    assert main([str(pose), str(evil), '--no-arrays']) == 1
    out = capsys.readouterr().out
    assert f'{pose}: refused: refuses to load numpy._core.multiarray._reconstruct' in out
    assert f'{evil}: refused: refuses to load os.system' in out


def test_runs_as_a_module(tmp_path):
    path = tmp_path / 'x.pkl'
    path.write_bytes(pickle.dumps([1, 2]))
    result = subprocess.run([sys.executable, '-m', 'unisign_fla.formats.check_file', str(path)],
                            capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout == f'{path}: ok (pickle, 0 bytes of arrays ' \
                                                       f'and tensors)\n  list of 2\n    [0]: 1\n' \
                                                       f'    [1]: 2\n'


def test_long_values_and_bad_limits_are_reported_briefly(tmp_path, capsys, monkeypatch):
    path = tmp_path / 'blob.pkl'
    path.write_bytes(pickle.dumps({'blob': bytearray(10**6), 'text': 'x' * 10**6}, protocol=5))
    assert main([str(path)]) == 0
    out = capsys.readouterr().out
    assert "'blob': bytearray of length 1000000\n" in out and "'text': a str of length 1000000" \
           in out and len(out) < 500
    with pytest.raises(SystemExit):
        main([str(path), '--max-bytes', '0'])
    assert "--max-bytes: expected a positive number of bytes, got '0'" in capsys.readouterr().err
    monkeypatch.setenv(MAX_BYTES_VARIABLE, 'lots')
    assert main([str(path)]) == 1
    assert capsys.readouterr().out == (f"{path}: refused: {MAX_BYTES_VARIABLE} must be a positive "
                                       f"number of bytes, got 'lots'\n")
