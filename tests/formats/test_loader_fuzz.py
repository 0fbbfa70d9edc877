"""Seeded mutations of real label files, pose pickles and checkpoints: whatever a damaged or
crafted file does, only the project's own error comes out, naming the file, within a second;
what loads is plain data. 2,000 cases here, 200,000 with ``-m slow``."""
import collections
import gzip
import pickle
import random
import time
import zipfile

import numpy as np
import pytest
import torch
from crafted_pickles import write_checkpoint

from unisign_fla.formats.safe_pickle import UnsafePickleError, load_restricted_pickle
from unisign_fla.formats.torch_checkpoint import load_torch_checkpoint

PLAIN = (dict, collections.OrderedDict, list, tuple, set, frozenset, str, bytes, bytearray,
         int, float, complex, bool, type(None), np.ndarray, torch.Tensor, torch.nn.Parameter,
         torch.Size, torch.device, torch.dtype)
INTERESTING = [b'\x00', b'\xff', b'\x7f', b'\x80', b'\xff\xff\xff\xff', b'\x00\x00\x00\x80',
               b'\xff\xff\xff\x7f', b'\xfe\xff\xff\xff', b'\xff' * 8, b'\x00' * 7 + b'\x80']
OPCODES = b'()0.12BCGIJKLMNPQRSTUVX]abcdeghijlopqrstu}\x80\x81\x85\x86\x87\x88\x89\x8a' \
          b'\x8b\x8c\x8d\x8e\x8f\x90\x91\x92\x93\x94\x95\x96\x97\x98'


def _mutate(data: bytes, rng: random.Random) -> bytes:
    """One to three byte flips, interesting values, cuts, insertions, splices or opcodes."""
    data = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(data) + 1)
        kind = rng.randrange(6)
        if kind == 0 and data:
            data[min(at, len(data) - 1)] = rng.randrange(256)
        elif kind == 1:
            value = rng.choice(INTERESTING)
            data[at:at + len(value)] = value
        elif kind == 2:
            del data[at:]
        elif kind == 3:
            data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif kind == 4 and data:
            start = rng.randrange(len(data))
            data[at:at] = data[start:start + rng.randint(1, 64)]
        else:
            data[at:at] = bytes([rng.choice(OPCODES)]) + bytes(rng.randrange(256)
                                                                for _ in range(rng.randint(0, 4)))
    return bytes(data)


def _assert_plain(value) -> None:
    pending, seen = [value], set()
    while pending:
        item = pending.pop()
        assert type(item) in PLAIN, f'{type(item).__name__} leaked out of the loader'
        if isinstance(item, (dict, list, tuple, set, frozenset)) and id(item) not in seen:
            seen.add(id(item))
            pending.extend(list(item.keys()) + list(item.values()) if isinstance(item, dict)
                           else item)


@pytest.fixture(scope='module')
def seeds(tmp_path_factory):
    """Real files of each kind: (name, bytes, how to write a mutation, how to load it)."""
    labels = {f'S{i:04d}': {'name': f'S{i:04d}', 'gloss': ['他', '今天'], 'text': '他今天来。',
                            'video_path': f'S{i:04d}.mp4'} for i in range(4)}
    pose = {'keypoints': [np.full((1, 133, 2), 0.5, np.float32)] * 2,
            'scores': np.ones((2, 1, 133), np.float32), 'w_h': (np.int64(640), 480), 'start': 0}
    path = tmp_path_factory.mktemp('seed') / 'checkpoint.pth'
    torch.save({'meta': {'epoch': 1, 'iter': 4, 'eta': np.float64(0.5)},
                'state_dict': torch.nn.Linear(2, 2).state_dict(),
                'optimizer': {'state': {0: {'step': torch.tensor(4.0)}},
                              'param_groups': [{'lr': 0.1, 'params': [0, 1]}]}}, path)
    with zipfile.ZipFile(path) as archive:
        data_pkl = archive.read('checkpoint/data.pkl')
        storages = {name.rsplit('/', 1)[1]: archive.read(name) for name in archive.namelist()
                    if '/data/' in name}

    def plain(data, path):
        path.write_bytes(data)

    def gzipped(data, path):
        path.write_bytes(gzip.compress(data, mtime=0))

    def label_file(path):
        return load_restricted_pickle(path)

    def pose_file(path):
        return load_restricted_pickle(path, allow_arrays=True)

    return [('labels-p2', pickle.dumps(labels, protocol=2), plain, label_file),
            ('labels-p4-gz', pickle.dumps(labels, protocol=4), gzipped, label_file),
            ('labels-gz-bytes', gzip.compress(pickle.dumps(labels), mtime=0), plain, label_file),
            ('pose-p2', pickle.dumps(pose, protocol=2), plain, pose_file),
            ('pose-p5', pickle.dumps(pose, protocol=5), plain, pose_file),
            ('checkpoint-pickle', data_pkl,
             lambda data, path: write_checkpoint(path, data, storages), load_torch_checkpoint),
            ('checkpoint-zip', path.read_bytes(), plain, load_torch_checkpoint)]


def _fuzz(seeds, tmp_path, cases: int, seed: int) -> None:
    rng, failures, slowest = random.Random(seed), [], 0.0
    for case in range(cases):
        name, data, write, load = seeds[case % len(seeds)]
        path = tmp_path / f'case{case}-{name}.bin'
        write(_mutate(data, rng), path)
        start = time.perf_counter()
        try:
            _assert_plain(load(path))
        except UnsafePickleError as error:
            if str(path) not in str(error):
                failures.append(f'{path.name}: message without the path: {error}')
        except Exception as error:   # what the test is for: nothing else may come out
            failures.append(f'{path.name}: {type(error).__name__}: {str(error)[:200]}')
        slowest = max(slowest, time.perf_counter() - start)
        path.unlink()
    assert not failures, f'{len(failures)} of {cases} cases:\n' + '\n'.join(failures[:20])
    assert slowest < 1.0


def test_mutated_files_give_only_named_refusals(seeds, tmp_path):
    _fuzz(seeds, tmp_path, 2000, seed=0)


@pytest.mark.slow
def test_many_more_mutated_files_give_only_named_refusals(seeds, tmp_path):
    _fuzz(seeds, tmp_path, 200_000, seed=1)
