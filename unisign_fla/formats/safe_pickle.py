"""Reading downloaded pickles (label files, released pose files) without running their code.

``pickle.load`` imports and calls whatever a file names, so a downloaded pickle could run
anything. The unpickler here resolves no name by import: it admits what the pickle opcodes
build on their own (dicts, lists, tuples, strings, numbers, booleans, None) and, only when asked,
the handful of numpy functions that rebuild a numeric array or scalar from its bytes. Anything
else is refused with the file's name, before it is called.
"""
import codecs
import gzip
import io
import os
import pickle
from typing import Any

import numpy as np

try:
    from numpy._core import multiarray as _multiarray, numeric as _numeric
except ImportError:   # numpy < 2
    from numpy.core import multiarray as _multiarray, numeric as _numeric


class UnsafePickleError(ValueError):
    """A pickle that names something outside the admitted set, or is not a pickle at all."""




def _latin1_bytes(text: str, encoding: str = 'utf-8') -> bytes:
    """How protocol 2 pickles store bytes (``_codecs.encode(text, 'latin1')``), and only that."""
    if encoding != 'latin1':
        raise UnsafePickleError(f'refuses _codecs.encode with encoding {encoding!r}')
    return codecs.encode(text, 'latin1')


# Pickles written by numpy 1.x name ``numpy.core``, by numpy 2 ``numpy._core``; both rebuild an
# array from (dtype, shape, bytes) and nothing else.
_ARRAY_GLOBALS = {('numpy', 'ndarray'): np.ndarray, ('numpy', 'dtype'): np.dtype,
                  ('_codecs', 'encode'): _latin1_bytes}
for _package in ('numpy.core', 'numpy._core'):
    _ARRAY_GLOBALS.update({(f'{_package}.multiarray', '_reconstruct'): _multiarray._reconstruct,
                           (f'{_package}.multiarray', 'scalar'): _multiarray.scalar,
                           (f'{_package}.numeric', '_frombuffer'): _numeric._frombuffer})


class _RestrictedUnpickler(pickle.Unpickler):

    def __init__(self, data: bytes, path: str, allow_arrays: bool):
        super().__init__(io.BytesIO(data))
        self.path, self.allow_arrays = path, allow_arrays

    def find_class(self, module, name):
        if self.allow_arrays and (module, name) in _ARRAY_GLOBALS:
            return _ARRAY_GLOBALS[module, name]
        admitted = ('built-in containers, strings, numbers and numeric numpy arrays'
                    if self.allow_arrays else 'built-in containers, strings and numbers')
        raise UnsafePickleError(f'{self.path}: refuses to load {module}.{name}; this file may '
                                f'hold only {admitted}')


def _refuse_object_arrays(value: Any, path: str) -> None:
    """Object arrays can carry arbitrary references; released files never need them."""
    if isinstance(value, np.ndarray) and value.dtype.hasobject:
        raise UnsafePickleError(f'{path}: holds an object array; only numeric arrays are admitted')
    children = value.values() if isinstance(value, dict) else (
        value if isinstance(value, (list, tuple)) else ())
    for child in children:
        _refuse_object_arrays(child, path)


def load_restricted_pickle(path: str | os.PathLike, allow_arrays: bool = False) -> Any:
    """The object in a plain or gzip-compressed pickle file, refusing anything that imports."""
    path = str(path)
    with open(path, 'rb') as f:
        data = f.read()
    if data[:2] == b'\x1f\x8b':
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as error:
            raise UnsafePickleError(f'{path}: corrupt gzip data ({error})') from None
    try:
        value = _RestrictedUnpickler(data, path, allow_arrays).load()
    except UnsafePickleError:
        raise
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, IndexError) as error:
        raise UnsafePickleError(f'{path}: not a readable pickle ({error})') from None
    if allow_arrays:
        _refuse_object_arrays(value, path)
    return value
