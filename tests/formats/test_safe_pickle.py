"""The restricted unpickler: downloaded pickles never get to import or call anything."""
import functools
import glob
import gzip
import os
import pickle
import struct
import subprocess
import sys

import numpy as np
import pytest
from crafted_pickles import assert_refused, frombuffer, huge_shape, shared_buffer_arrays
from numpy._core.multiarray import _reconstruct

from tests.conftest import shared_data_dir
from unisign_fla.formats.load_limits import (
    GZIP_RATIO,
    MAX_BYTES_VARIABLE,
    MIN_GZIP_BYTES,
    PICKLE_FACTOR,
    gzip_limit,
    load_limit,
)
from unisign_fla.formats.safe_pickle import UnsafePickleError, load_restricted_pickle


class RunsCode:
    """What a malicious pickle does: ask the unpickler to call os.system."""
    def __reduce__(self):
        return os.system, ('touch PWNED',)


def test_a_pickle_that_would_run_code_is_refused_before_it_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / 'evil.pkl'
    path.write_bytes(pickle.dumps({'keypoints': [RunsCode()]}))
    for allow_arrays in (False, True):
        with pytest.raises(UnsafePickleError,
                           match=r'evil.pkl: refuses to load (posix|os)\.system'):
            load_restricted_pickle(path, allow_arrays=allow_arrays)
    assert not (tmp_path / 'PWNED').exists()


@pytest.mark.parametrize('protocol', [2, 4, 5])
def test_numeric_arrays_and_scalars_load_only_when_admitted(tmp_path, protocol):
    value = {'keypoints': [np.arange(6, dtype=np.float32).reshape(1, 3, 2)],
             'scores': np.ones((2, 1, 3), np.float64), 'w_h': (np.int64(640), 480), 'n': [1, 'a']}
    path = tmp_path / 'pose.pkl'
    path.write_bytes(gzip.compress(pickle.dumps(value, protocol=protocol)))
    loaded = load_restricted_pickle(path, allow_arrays=True)
    np.testing.assert_array_equal(loaded['keypoints'][0], value['keypoints'][0])
    assert loaded['keypoints'][0].dtype == np.float32 and loaded['scores'].shape == (2, 1, 3)
    assert loaded['w_h'] == (640, 480) and loaded['n'] == [1, 'a']
    with pytest.raises(UnsafePickleError, match='refuses to load numpy'):
        load_restricted_pickle(path)


def test_pickles_written_by_numpy_1_load(tmp_path):
    """numpy 1.x names numpy.core, numpy 2 numpy._core: Uni-Sign's files predate numpy 2."""
    data = pickle.dumps(np.array([1.5, 2.5], np.float32), protocol=2)
    assert b'numpy._core.multiarray' in data
    path = tmp_path / 'old.pkl'
    path.write_bytes(data.replace(b'numpy._core.multiarray', b'numpy.core.multiarray'))
    assert load_restricted_pickle(path, allow_arrays=True).tolist() == [1.5, 2.5]


def test_object_arrays_and_junk_are_refused(tmp_path):
    path = tmp_path / 'objects.pkl'
    path.write_bytes(pickle.dumps({'a': np.array([{'x': 1}, None], dtype=object)}))
    with pytest.raises(UnsafePickleError, match="objects.pkl: dtype 'O8' is not a plain numeric"):
        load_restricted_pickle(path, allow_arrays=True)
    path.write_bytes(pickle.dumps(np.array(['a', 'b'])))
    with pytest.raises(UnsafePickleError, match="dtype 'U1' is not a plain numeric"):
        load_restricted_pickle(path, allow_arrays=True)
    (tmp_path / 'text.pkl').write_text('not a pickle')
    with pytest.raises(UnsafePickleError, match='text.pkl: not a readable pickle'):
        load_restricted_pickle(tmp_path / 'text.pkl')


class FlaggedDtype:
    """A float dtype whose pickled state claims object flags: numpy's own unpickler would then
    read the float bytes as pointers."""
    def __reduce__(self):
        return np.dtype, ('f8', False, True), (3, '<', None, None, None, -1, -1, 1)


class ArrayOfFlaggedDtype:
    def __reduce__(self):
        return (_reconstruct, (np.ndarray, (0,), b'b'),
                (1, (1,), FlaggedDtype(), False, b'A' * 8))


def test_crafted_numpy_state_never_reaches_numpy(tmp_path):
    path = tmp_path / 'flags.pkl'
    path.write_bytes(pickle.dumps([ArrayOfFlaggedDtype()], protocol=2))
    array = load_restricted_pickle(path, allow_arrays=True)[0]
    assert array.dtype == np.float64 and not array.dtype.hasobject and array.shape == (1,)
    # BUILD (set state) on a name the unpickler handed out, which would change it for the rest
    # of the process, or on a plain string: named errors
    (tmp_path / 'ctor.pkl').write_bytes(b'\x80\x02c_codecs\nencode\n}b.')
    with pytest.raises(UnsafePickleError, match='ctor.pkl: refuses to modify _codecs.encode'):
        load_restricted_pickle(tmp_path / 'ctor.pkl', allow_arrays=True)
    (tmp_path / 'str.pkl').write_bytes(b'\x80\x02X\x01\x00\x00\x00x}b.')
    with pytest.raises(UnsafePickleError, match='str.pkl: not a readable pickle'):
        load_restricted_pickle(tmp_path / 'str.pkl')


def test_self_containing_lists_and_shared_arrays_load(tmp_path):
    shared = np.arange(3)
    loop = [shared, shared]
    loop.append(loop)
    path = tmp_path / 'loop.pkl'
    path.write_bytes(pickle.dumps(loop))
    loaded = load_restricted_pickle(path, allow_arrays=True)
    assert loaded[2] is loaded and loaded[0] is loaded[1] and loaded[0].tolist() == [0, 1, 2]


refused = functools.partial(assert_refused, load_restricted_pickle)


def test_a_shape_of_huge_integers_is_refused_before_it_is_multiplied(tmp_path):
    # 1,000 copies of one 2039-bit integer: their product alone took seconds, growing
    # quadratically, and printing it in the error raised a bare ValueError.
    path = tmp_path / 'shape.pkl'
    path.write_bytes(b'\x80\x02' + frombuffer(b'C\x00', huge_shape(1000)) + b'.')
    refused(path, 'array shape is a tuple of length 1000, not a tuple of at '
                             'most 32 sizes', allow_arrays=True)
    path.write_bytes(b'\x80\x02' + frombuffer(b'C\x00', huge_shape(2)) + b'.')
    refused(path, 'array shape holds an integer of 2039 bits, not a size '
                             'below 2\\*\\*48', allow_arrays=True)


def test_one_buffer_behind_many_arrays_counts_once_per_array(tmp_path, monkeypatch):
    # 300 arrays over one 256-kB buffer would be 75 MB of copies from a 270-kB file.
    path = tmp_path / 'shared.pkl'
    path.write_bytes(shared_buffer_arrays(300, 2**18))
    refused(path, 'numpy arrays would take it past 67108864 bytes',
                             allow_arrays=True)
    assert len(load_restricted_pickle(path, allow_arrays=True, max_bytes=2**27)) == 300
    monkeypatch.setenv(MAX_BYTES_VARIABLE, str(2**20))
    refused(path, 'past 1048576 bytes', allow_arrays=True)


def test_a_memo_index_far_ahead_is_refused_before_unpickling(tmp_path):
    # CPython's unpickler would size its memo table for index 10**8 (1.6 GB) from 9 bytes.
    path = tmp_path / 'memo.pkl'
    path.write_bytes(b'\x80\x02}r' + struct.pack('<I', 10**8) + b'.')
    refused(path, 'memo index 100000000 skips ahead of the 0 stored so far')
    path.write_bytes(b'\x80\x02}h\x05.')
    refused(path, 'memo index 5 is read before it is stored')


def test_sizes_that_claim_more_than_the_file_are_refused(tmp_path):
    path = tmp_path / 'claims.pkl'
    path.write_bytes(b'\x80\x04\x8e' + struct.pack('<Q', 2**40) + b'x.')   # BINBYTES8
    refused(path, 'BINBYTES8 at byte 2 claims more bytes than the file has')
    path.write_bytes(b'\x80\x04\x95' + struct.pack('<Q', 2**40) + b'N.')   # FRAME
    refused(path, 'a frame at byte 2 is longer than the rest of the file')


def test_a_gzip_bomb_is_refused_by_the_budget(tmp_path):
    path = tmp_path / 'bomb.pkl'
    path.write_bytes(gzip.compress(bytes(2**20)) * 100)   # 100 kB of members: 100 MB of zeros
    refused(path, f'the decompressed data would take it past {GZIP_RATIO * path.stat().st_size} '
                  f'bytes')


def _pickle_with_array_as(container: bytes) -> bytes:
    array = frombuffer(b'C\x04\x00\x00\x00\x00', b'K\x01\x85')
    return b'\x80\x04' + {
        'set': b'\x8f(' + array + b'\x90.',
        'frozenset': b'(' + array + b'\x91.',
        'dict key': b'}' + array + b'K\x00s.'}[container]


@pytest.mark.parametrize('container', ['set', 'frozenset', 'dict key'])
def test_arrays_never_hide_in_sets_or_dict_keys(tmp_path, container):
    """Stand-ins in sets or dict keys would never be materialised: they are refused."""
    path = tmp_path / 'hidden.pkl'
    path.write_bytes(_pickle_with_array_as(container))
    refused(path, 'uses an object built by a call as a dict key or set member', allow_arrays=True)


def test_dict_keys_crafted_to_collide_are_refused(tmp_path):
    # 20,000 integers congruent modulo 2**61 - 1 share one hash: building the dict took 3 s.
    keys = b''.join(pickle.dumps(k * (2**61 - 1), protocol=4)[2:-1] + b'K\x00'
                    for k in range(1, 20000))
    path = tmp_path / 'collide.pkl'
    path.write_bytes(b'\x80\x04}(' + keys + b'u.')
    refused(path, 'uses an integer beyond 64 bits as a dict key')
    path.write_bytes(pickle.dumps({(1, 2): 'tuple keys can collide too'}))
    refused(path, 'uses a tuple as a dict key')


@pytest.mark.parametrize('protocol', range(pickle.HIGHEST_PROTOCOL + 1))
def test_plain_data_of_every_protocol_loads_as_pickle_loads_it(tmp_path, protocol):
    loop = ['self']
    loop.append(loop)
    value = {'text': 'é文', 7: [1.5, -2**70, True, None, (1, ('a',))], -3: loop}
    if protocol >= 3:   # earlier protocols pickle bytes through a function call, 3 sets too
        value.update({b'k': b'\x00\xff'})
    if protocol >= 4:
        value.update(members={'a', 1, None}, frozen=frozenset({b'x'}))
    path = tmp_path / 'plain.pkl'
    path.write_bytes(pickle.dumps(value, protocol=protocol))
    loaded = load_restricted_pickle(path)
    assert loaded[-3][1] is loaded[-3]
    loaded[-3] = value[-3] = None
    assert loaded == value


def _peak_growth(path) -> int:
    """Bytes by which loading ``path`` in a fresh process raises its peak resident memory."""
    code = ('import resource, sys\n'
            'from unisign_fla.formats.safe_pickle import load_restricted_pickle\n'
            'before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n'
            'try:\n    load_restricted_pickle(sys.argv[1])\nexcept ValueError:\n    pass\n'
            'print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)')
    result = subprocess.run([sys.executable, '-c', code, str(path)], capture_output=True,
                            text=True, check=True)
    return int(result.stdout) * 1024   # Linux counts kB


@pytest.mark.parametrize('container', [b'}', b']', b'\x8f'])   # dict, list, set
def test_a_container_bomb_is_refused_before_it_is_built(tmp_path, container):
    # Each 1-byte container costs 150-250 bytes built: a 9.7-kB gzip file took 3.9 GB and 61 s,
    # then loaded.
    path = tmp_path / 'bomb.pkl.gz'
    path.write_bytes(gzip.compress(b'\x80\x04](' + container * (MIN_GZIP_BYTES - 6) + b'e.'))
    assert path.stat().st_size < 5000
    refused(path, 'the objects its opcodes build would take it past 67108864 bytes')
    assert _peak_growth(path) < 16 * 2**20   # 1 MiB of opcodes, each one slot in the check


def test_a_long_opcode_stream_is_refused_without_scanning_it_all(tmp_path):
    # 30 million NONE opcodes and then a bad one, 29 kB gzipped: the scan took 17 s to reach it.
    path = tmp_path / 'long.pkl.gz'
    path.write_bytes(gzip.compress(b'\x80\x04' + b'N' * 30_000_000 + b'\xff'))
    refused(path, f'the decompressed data would take it past {GZIP_RATIO * path.stat().st_size} '
                  f'bytes')
    # As many as a small file may decompress to: scanned to the end, then refused
    path.write_bytes(gzip.compress(b'\x80\x04' + b'N' * (MIN_GZIP_BYTES - 3) + b'\xff'))
    refused(path, f'unknown opcode 0xff at byte {MIN_GZIP_BYTES - 1}')


def test_real_label_files_and_pose_pickles_load_with_half_their_budget():
    """What real files cost stays well inside the default limits (load_limits.py)."""
    data = shared_data_dir()
    labels = sorted(glob.glob(f'{data}/labels/*/labels.*'))
    poses = sorted(glob.glob(f'{data}/unisign_reference/cases/*/pose.pkl'))
    assert labels and poses
    for path in labels + poses:
        pickled = raw = open(path, 'rb').read()
        if path in labels:
            pickled = gzip.decompress(raw)
            assert 2 * len(pickled) <= gzip_limit(len(raw))
        half = load_limit(len(pickled), None, PICKLE_FACTOR) // 2
        assert load_restricted_pickle(path, allow_arrays=path in poses, max_bytes=half)
