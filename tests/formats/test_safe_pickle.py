"""The restricted unpickler: downloaded pickles never get to import or call anything."""
import gzip
import os
import pickle

import numpy as np
import pytest
from numpy._core.multiarray import _reconstruct

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
