"""A damaged download is one clear error naming the file, whatever part of it is damaged."""
import gzip
import pickle

import numpy as np
import pytest
import torch

from unisign_fla.engine import load_checkpoint_state_dict
from unisign_fla.extraction.backends import PoseEstimationError, PrecomputedBackend
from unisign_fla.extraction.backends.base import ClipContext
from unisign_fla.formats.label_files import LabelFileError, load_label_file
from unisign_fla.formats.safe_pickle import UnsafePickleError


def test_a_truncated_checkpoint(tmp_path):
    path = tmp_path / 'iter_500.pth'
    torch.save({'state_dict': {'encoder.weight': torch.ones(4096)}}, path)
    path.write_bytes(path.read_bytes()[:10_000])     # not PytorchStreamReader's RuntimeError
    with pytest.raises(UnsafePickleError, match=r'iter_500.pth: not a zip archive as torch.save '
                                                r'writes them \(truncated'):
        load_checkpoint_state_dict(str(path), 'encoder.')


@pytest.mark.parametrize('damage, reason', [
    (lambda data: data[:10] + b'\xff\xff\xff' + data[13:], r'corrupt gzip data \(Error -3'),
    (lambda data: data[:-8] + bytes(8), r'corrupt gzip data \(Error -3 .*incorrect data check'),
    (lambda data: data[:len(data) // 2], r'corrupt gzip data \(truncated\)')])
def test_a_corrupt_gzip_label_file(tmp_path, damage, reason):
    labels = {f'S{i}': {'name': f'S{i}', 'text': 'hello world ' * 3} for i in range(50)}
    path = tmp_path / 'labels.train'
    path.write_bytes(damage(gzip.compress(pickle.dumps(labels))))   # not a bare zlib.error
    with pytest.raises(LabelFileError, match=f'labels.train: {reason}'):
        load_label_file(path)


def test_a_pose_pickle_whose_frames_are_dicts(tmp_path):
    path = tmp_path / 'clip.pkl'
    path.write_bytes(pickle.dumps({'keypoints': [{'x': 0.5, 'y': 0.5}] * 3,
                                   'scores': [np.ones((1, 133))] * 3}))
    context = ClipContext(str(tmp_path), 'video.mp4', 25.0, 64, 48, [0, 1, 2])
    with pytest.raises(PoseEstimationError, match=r'clip.pkl: keypoints\[0\] is a dict, '
                                                  r'expected an array of shape \(people, 133, '
                                                  r'2\)$'):   # not a TypeError from np.asarray
        PrecomputedBackend().estimate(None, {'id': 'c', 'keypoints': 'clip.pkl'}, context)
