"""Reading downloaded pickles (label files, released pose files) without running their code.

``pickle.load`` imports and calls whatever a file names, so a downloaded pickle could run
anything. The unpickler here resolves no name by import: it admits what the pickle opcodes
build on their own (dicts, lists, tuples, strings, numbers, booleans, None) and, only when asked,
numeric numpy arrays. Even those never reach numpy's own unpickling code, which trusts its
input (a crafted dtype state can make numpy read floats as object pointers): the names a numpy
pickle uses resolve to small stand-ins here that record shape, dtype and bytes, refuse any other
state, and once the file is read are turned into fresh arrays with ``np.frombuffer``. numpy
scalars come back as Python numbers. Anything else is refused with the file's name.
"""
import gzip
import io
import math
import os
import pickle
from typing import Any

import numpy as np


class UnsafePickleError(ValueError):
    """A pickle that names something outside the admitted set, or is not a pickle at all."""


NUMERIC_KINDS = 'biufc'   # bool, signed and unsigned integers, floats, complex


class _DTypeSpec:
    """Stands in for ``numpy.dtype(spec, align, copy)``: plain numeric dtypes only."""

    def __init__(self, spec, align=False, copy=False):
        if not isinstance(spec, str):
            raise UnsafePickleError(f'dtype spec {spec!r} is not a type string')
        dtype = np.dtype(spec)
        if dtype.kind not in NUMERIC_KINDS or dtype.fields is not None or dtype.subdtype:
            raise UnsafePickleError(f'dtype {spec!r} is not a plain numeric type')
        self.dtype = dtype

    def __setstate__(self, state):
        """numpy pickles (version, byte order, ...) here; only the byte order is taken."""
        if not isinstance(state, tuple) or len(state) < 2 or state[1] not in '<>|=':
            raise UnsafePickleError(f'unexpected dtype state {state!r}')
        if state[1] in '<>' and self.dtype.itemsize > 1:
            self.dtype = self.dtype.newbyteorder(state[1])


def _check_dtype(dtype) -> np.dtype:
    if not isinstance(dtype, _DTypeSpec):
        raise UnsafePickleError(f'array dtype is {type(dtype).__name__}, not a numpy dtype')
    return dtype.dtype


def _check_shape(shape) -> tuple:
    if not isinstance(shape, tuple) or not all(type(n) is int and n >= 0 for n in shape):
        raise UnsafePickleError(f'array shape {shape!r} is not a tuple of sizes')
    return shape


class _ArraySpec:
    """Stands in for an ndarray until the whole file is read: dtype, shape and raw bytes."""

    def __init__(self):
        self.complete = False

    def fill(self, dtype, shape, data, fortran) -> '_ArraySpec':
        if not isinstance(data, (bytes, bytearray)):
            raise UnsafePickleError('array data is not raw bytes (an object array?)')
        self.dtype, self.shape = _check_dtype(dtype), _check_shape(shape)
        self.data, self.fortran, self.complete = bytes(data), bool(fortran), True
        return self

    def __setstate__(self, state):
        """numpy pickles (version, shape, dtype, is_fortran, raw bytes) here."""
        if self.complete or not isinstance(state, tuple) or len(state) != 5:
            raise UnsafePickleError('unexpected array state')
        self.fill(state[2], state[1], state[4], state[3])

    def to_array(self) -> np.ndarray:
        count = math.prod(self.shape)   # exact: numpy's product would wrap around
        if len(self.data) != count * self.dtype.itemsize:
            raise UnsafePickleError(f'array of shape {self.shape} {self.dtype} needs '
                                    f'{count * self.dtype.itemsize} bytes, got {len(self.data)}')
        flat = np.frombuffer(self.data, self.dtype, count)
        return flat.reshape(self.shape, order='F' if self.fortran else 'C').copy()


class _Constructor:
    """What ``find_class`` hands out: callable, and closed to BUILD (no state to overwrite)."""
    __slots__ = ('build', 'name')

    def __init__(self, build, name):
        object.__setattr__(self, 'build', build)
        object.__setattr__(self, 'name', name)

    def __call__(self, *args):
        return self.build(*args)

    def __setattr__(self, key, value):
        raise UnsafePickleError(f'refuses to modify {self.name}')

    def __setstate__(self, state):
        raise UnsafePickleError(f'refuses to modify {self.name}')


def _refuse_call(*args):
    raise UnsafePickleError('numpy.ndarray may only name the type of a reconstructed array')


def _reconstruct(subtype, shape, typecode):
    if subtype is not _NDARRAY:
        raise UnsafePickleError('_reconstruct may only rebuild numpy.ndarray')
    return _ArraySpec()


def _frombuffer(data, dtype, shape, order):
    return _ArraySpec().fill(dtype, shape, data, order == 'F')


def _scalar(dtype, data):
    dtype = _check_dtype(dtype)
    if not isinstance(data, bytes) or len(data) != dtype.itemsize:
        raise UnsafePickleError(f'scalar of {dtype} needs {dtype.itemsize} bytes')
    return np.frombuffer(data, dtype, 1)[0].item()


def _latin1_bytes(text, encoding='utf-8'):
    """How protocol 2 pickles store bytes (``_codecs.encode(text, 'latin1')``), and only that."""
    if not isinstance(text, str) or encoding != 'latin1':
        raise UnsafePickleError(f'refuses _codecs.encode with encoding {encoding!r}')
    return text.encode('latin1')


_NDARRAY = _Constructor(_refuse_call, 'numpy.ndarray')
# numpy 1.x pickles name numpy.core, numpy 2 numpy._core.
_ARRAY_GLOBALS = {('numpy', 'ndarray'): _NDARRAY,
                  ('numpy', 'dtype'): _Constructor(_DTypeSpec, 'numpy.dtype'),
                  ('_codecs', 'encode'): _Constructor(_latin1_bytes, '_codecs.encode')}
for _package in ('numpy.core', 'numpy._core'):
    _ARRAY_GLOBALS.update({
        (f'{_package}.multiarray', '_reconstruct'): _Constructor(_reconstruct, '_reconstruct'),
        (f'{_package}.multiarray', 'scalar'): _Constructor(_scalar, 'scalar'),
        (f'{_package}.numeric', '_frombuffer'): _Constructor(_frombuffer, '_frombuffer')})

# The same stand-ins for ``torch.load(weights_only=True)`` (torch.serialization.safe_globals),
# whose own numpy allowlist would hand dtype state to numpy; apply ``materialise`` to the result.
TORCH_SAFE_GLOBALS = [(stand_in, f'{module}.{name}')
                      for (module, name), stand_in in _ARRAY_GLOBALS.items()] + [
    _DTypeSpec, _ArraySpec]


class _RestrictedUnpickler(pickle.Unpickler):

    def __init__(self, data: bytes, path: str, allow_arrays: bool):
        super().__init__(io.BytesIO(data))
        self.path, self.allow_arrays = path, allow_arrays

    def find_class(self, module, name):
        if self.allow_arrays and (module, name) in _ARRAY_GLOBALS:
            return _ARRAY_GLOBALS[module, name]
        admitted = ('built-in containers, strings, numbers and numeric numpy arrays'
                    if self.allow_arrays else 'built-in containers, strings and numbers')
        raise UnsafePickleError(f'refuses to load {module}.{name}; this file may hold only '
                                f'{admitted}')


def materialise(value: Any, seen: dict = None) -> Any:
    """The loaded structure with every stand-in replaced by a real array (shared references and
    self-containing lists stay as they were)."""
    seen = {} if seen is None else seen
    if id(value) in seen:
        return seen[id(value)]
    if isinstance(value, _ArraySpec):
        if not value.complete:
            raise UnsafePickleError('an array was named but never given its data')
        seen[id(value)] = value.to_array()
    elif isinstance(value, (_DTypeSpec, _Constructor)):
        raise UnsafePickleError('a numpy type appears as data')
    elif isinstance(value, list):
        seen[id(value)] = value
        value[:] = [materialise(item, seen) for item in value]
    elif isinstance(value, dict):
        seen[id(value)] = value
        for key in value:
            value[key] = materialise(value[key], seen)
    elif isinstance(value, tuple):
        seen[id(value)] = tuple(materialise(item, seen) for item in value)
    else:
        return value
    return seen[id(value)]


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
        return materialise(_RestrictedUnpickler(data, path, allow_arrays).load(), {})
    except UnsafePickleError as error:
        raise UnsafePickleError(f'{path}: {error}') from None
    except RecursionError:
        raise UnsafePickleError(f'{path}: nested too deeply to read') from None
    except Exception as error:   # any malformed input: a clear error naming the file, not a crash
        raise UnsafePickleError(f'{path}: not a readable pickle '
                                f'({type(error).__name__}: {error})') from None
