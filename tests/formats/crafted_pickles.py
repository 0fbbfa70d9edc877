"""Building blocks of hostile pickles and checkpoints, written opcode by opcode or through a
pickler that names torch's rebuild functions with any arguments, and the check that one is
refused."""
import collections
import io
import pickle
import re
import struct
import time
import zipfile

import pytest
import torch

from unisign_fla.formats.load_limits import UnsafePickleError


def assert_refused(load, path, match: str, **options) -> None:
    """``load(path, **options)`` raises the project's error, naming ``path`` and then
    ``match``, without hanging (the attacks took 10 s to minutes before; the within-a-second
    figures are measured by benchmarks/hostile_files.py, not asserted on a shared machine)."""
    start = time.perf_counter()
    with pytest.raises(UnsafePickleError, match=f'{re.escape(str(path))}: .*{match}'):
        load(path, **options)
    assert time.perf_counter() - start < 10.0


DTYPE_F4 = b'cnumpy\ndtype\n(X\x02\x00\x00\x00f4\x89\x88tR'


def frombuffer(buffer_ops: bytes, shape_ops: bytes) -> bytes:
    """Opcodes pushing ``numpy._core.numeric._frombuffer(buffer, dtype('f4'), shape, 'C')``."""
    return (b'cnumpy._core.numeric\n_frombuffer\n(' + buffer_ops + DTYPE_F4 + shape_ops
            + b'X\x01\x00\x00\x00CtR')


def int32(value: int) -> bytes:
    return b'J' + struct.pack('<i', value)


def huge_shape(copies: int) -> bytes:
    """A shape tuple of one 2039-bit integer, stored once and read back ``copies`` times."""
    big = b'\x8a\xff' + b'\xff' * 254 + b'\x7f'
    return b'(' + big + b'q\x00' + b'h\x00' * (copies - 1) + b't'


def shared_buffer_arrays(arrays: int, size: int) -> bytes:
    """A list of ``arrays`` float32 arrays, all over one ``size``-byte buffer (memo 0)."""
    items = b''.join(frombuffer(b'h\x00', int32(size // 4) + b'\x85') + b'a'
                     for _ in range(arrays))
    return b'\x80\x04B' + struct.pack('<I', size) + b'\x00' * size + b'q\x000]' + items + b'.'


class Storage:
    """Pickled as the persistent id torch gives a storage."""

    def __init__(self, key: str, kind=torch.FloatStorage, count: int = 1):
        self.key, self.kind, self.count = key, kind, count


class Tensor:
    """Pickled as ``torch._utils._rebuild_tensor_v2`` with the given layout, then given
    ``state`` (BUILD) if there is one."""

    def __init__(self, storage: Storage, offset: int, size: tuple, stride: tuple, state=None):
        self.args = (storage, offset, size, stride, False, collections.OrderedDict())
        self.state = state

    def __reduce__(self):
        return torch._utils._rebuild_tensor_v2, self.args, self.state


class _CheckpointPickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, Storage):
            return 'storage', obj.kind, obj.key, 'cpu', obj.count
        return None


def checkpoint_pickle(value) -> bytes:
    buffer = io.BytesIO()
    _CheckpointPickler(buffer, protocol=2).dump(value)
    return buffer.getvalue()


def write_checkpoint(path, data_pkl: bytes, storages: dict = None,
                     compression=zipfile.ZIP_STORED):
    """A zip archive laid out as ``torch.save`` writes one."""
    with zipfile.ZipFile(path, 'w') as archive:
        archive.writestr('archive/data.pkl', data_pkl)
        archive.writestr('archive/byteorder', 'little')
        archive.writestr('archive/version', '3\n')
        for key, data in (storages or {}).items():
            archive.writestr(f'archive/data/{key}', data, compress_type=compression)
    return path
