"""Reading downloaded pickles (label files, released pose files) without running their code.

``pickle.load`` imports and calls whatever a file names, so a downloaded pickle could run
anything. The unpickler here resolves no name by import: it admits what the pickle opcodes
build on their own (dicts, lists, tuples, sets, strings, numbers, booleans, None) and, only when
asked, numeric numpy arrays. Even those never reach numpy's own unpickling code, which trusts
its input (a crafted dtype state can make numpy read floats as object pointers): the names a
numpy pickle uses resolve to small stand-ins here that record shape, dtype and bytes, refuse any
other state, and once the file is read are turned into fresh arrays with ``np.frombuffer``.
numpy scalars come back as Python numbers. Anything else is refused with the file's name.

A crafted file must not stall or exhaust the loader either: its opcodes are checked before
anything is built (pickle_opcodes.py), shapes are bounded before they are multiplied, and the
bytes a load creates (gzip output, the objects the opcodes build, arrays) are charged to a
budget (load_limits.py).
"""
import io
import math
import os
import pickle
import re
import zlib
from typing import Any

import numpy as np

from unisign_fla.formats.load_limits import (
    PICKLE_FACTOR,
    LoadBudget,
    UnsafePickleError,
    describe,
    gzip_limit,
    load_limit,
    refusals_naming,
)
from unisign_fla.formats.pickle_opcodes import check_opcodes

NUMERIC_KINDS = 'biufc'   # bool, signed and unsigned integers, floats, complex
DTYPE_SPEC = re.compile(r'[biufc][0-9]{1,2}')   # how numpy pickles a plain dtype: 'f4', 'i8'
MAX_DIMS = 32
MAX_DIM_SIZE = 2**48


def check_shape(shape, what: str = 'array shape') -> tuple:
    """``shape`` if it is a tuple of at most 32 sizes below 2**48, so that multiplying them is
    cheap (an unbounded product of huge integers takes minutes)."""
    if not isinstance(shape, tuple) or len(shape) > MAX_DIMS:
        raise UnsafePickleError(f'{what} is {describe(shape)}, not a tuple of at most '
                                f'{MAX_DIMS} sizes')
    for size in shape:
        if type(size) is not int or not 0 <= size <= MAX_DIM_SIZE:
            raise UnsafePickleError(f'{what} holds {describe(size)}, not a size below '
                                    f'2**48')
    return shape


class StandIn:
    """Built by the unpickler in place of a real object; ``materialise`` makes the object once
    the whole file is read, converting what it holds with ``convert``. Closed to BUILD unless a
    subclass says what state it takes (without ``__setstate__``, BUILD would overwrite the
    attributes it checked)."""

    def __setstate__(self, state):
        raise UnsafePickleError(f'refuses to set the state of {type(self).__name__.strip("_")}')

    def materialise(self, budget: LoadBudget, convert) -> Any:
        raise NotImplementedError


class _Frozen:
    """A name the unpickler hands out: closed to BUILD and attribute changes."""
    __slots__ = ('name',)

    def __init__(self, name: str):
        object.__setattr__(self, 'name', name)

    def __setattr__(self, key, value):
        raise UnsafePickleError(f'refuses to modify {self.name}')

    def __setstate__(self, state):
        raise UnsafePickleError(f'refuses to modify {self.name}')


class Marker(_Frozen):
    """A name that may only be referred to, never called (``numpy.ndarray``, storage types)."""
    __slots__ = ('value',)

    def __init__(self, name: str, value=None):
        super().__init__(name)
        object.__setattr__(self, 'value', value)

    def __call__(self, *args):
        raise UnsafePickleError(f'{self.name} may only be named, not called')


class _Constructor(_Frozen):
    """A name the pickle may call: one of the unpickler's own methods."""
    __slots__ = ('build',)

    def __init__(self, name: str, build):
        super().__init__(name)
        object.__setattr__(self, 'build', build)

    def __call__(self, *args):
        return self.build(*args)


class _DTypeSpec:
    """Stands in for ``numpy.dtype(spec, align, copy)``: plain numeric dtypes only."""

    def __init__(self, spec, align=False, copy=False):
        if type(spec) is not str or not DTYPE_SPEC.fullmatch(spec):
            raise UnsafePickleError(f'dtype {describe(spec)} is not a plain numeric type')
        self.dtype = np.dtype(spec)

    def __setstate__(self, state):
        """numpy pickles (version, byte order, ...) here; only the byte order is taken."""
        if not isinstance(state, tuple) or len(state) < 2 or state[1] not in ('<', '>', '|',
                                                                              '='):
            raise UnsafePickleError('unexpected dtype state')
        if state[1] in ('<', '>') and self.dtype.itemsize > 1:
            self.dtype = self.dtype.newbyteorder(state[1])


def _check_dtype(dtype) -> np.dtype:
    if not isinstance(dtype, _DTypeSpec):
        raise UnsafePickleError(f'array dtype is {describe(dtype)}, not a numpy dtype')
    return dtype.dtype


class _ArraySpec(StandIn):
    """Stands in for an ndarray until the whole file is read: dtype, shape and raw bytes."""

    def __init__(self):
        self.complete = False

    def fill(self, dtype, shape, data, fortran) -> '_ArraySpec':
        if not isinstance(data, (bytes, bytearray)):
            raise UnsafePickleError('array data is not raw bytes (an object array?)')
        self.dtype, self.shape = _check_dtype(dtype), check_shape(shape)
        self.count = math.prod(self.shape)
        if len(data) != self.count * self.dtype.itemsize:
            raise UnsafePickleError(f'array of shape {self.shape} {self.dtype} needs '
                                    f'{self.count * self.dtype.itemsize} bytes, got {len(data)}')
        self.data, self.fortran, self.complete = data, bool(fortran), True
        return self

    def __setstate__(self, state):
        """numpy pickles (version, shape, dtype, is_fortran, raw bytes) here."""
        if self.complete or not isinstance(state, tuple) or len(state) != 5:
            raise UnsafePickleError('unexpected array state')
        self.fill(state[2], state[1], state[4], state[3])

    def materialise(self, budget: LoadBudget, convert) -> np.ndarray:
        if not self.complete:
            raise UnsafePickleError('an array was named but never given its data')
        budget.charge(len(self.data), 'numpy arrays')   # a copy each: one buffer may back many
        flat = np.frombuffer(self.data, self.dtype, self.count)
        return flat.reshape(self.shape, order='F' if self.fortran else 'C').copy()


class RestrictedUnpickler(pickle.Unpickler):
    """Resolves only the names in ``NAMES``: to one of its own methods (the pickle may call
    it) or to a constant; everything else is refused. ``persistent_load`` is not defined, so
    persistent ids are refused too."""
    NAMES = {}
    ADMITS = 'built-in containers, strings and numbers'

    def __init__(self, data: bytes, budget: LoadBudget):
        super().__init__(io.BytesIO(data))
        self.budget = budget

    def find_class(self, module, name):
        entry = self.NAMES.get((module, name))
        if entry is None:
            shown = f'{module}.{name}'
            raise UnsafePickleError(f'refuses to load {shown[:100]}; this file may hold only '
                                    f'{self.ADMITS}')
        return _Constructor(f'{module}.{name}', getattr(self, entry)) if isinstance(
            entry, str) else entry


_NDARRAY = Marker('numpy.ndarray')
_ARRAY_NAMES = {('numpy', 'ndarray'): _NDARRAY, ('numpy', 'dtype'): '_dtype',
                ('_codecs', 'encode'): '_latin1_bytes'}
for _package in ('numpy.core', 'numpy._core'):   # numpy 1.x pickles name numpy.core
    _ARRAY_NAMES.update({(f'{_package}.multiarray', '_reconstruct'): '_reconstruct',
                         (f'{_package}.multiarray', 'scalar'): '_scalar',
                         (f'{_package}.numeric', '_frombuffer'): '_frombuffer'})


class ArrayUnpickler(RestrictedUnpickler):
    """Also admits numeric numpy arrays and scalars, through stand-ins."""
    NAMES = _ARRAY_NAMES
    ADMITS = 'built-in containers, strings, numbers and numeric numpy arrays'

    def _dtype(self, spec, align=False, copy=False):
        return _DTypeSpec(spec, align, copy)

    def _reconstruct(self, subtype, shape, typecode):
        if subtype is not _NDARRAY:
            raise UnsafePickleError('_reconstruct may only rebuild numpy.ndarray')
        return _ArraySpec()

    def _frombuffer(self, data, dtype, shape, order):
        return _ArraySpec().fill(dtype, shape, data, order == 'F')

    def _scalar(self, dtype, data):
        dtype = _check_dtype(dtype)
        if not isinstance(data, bytes) or len(data) != dtype.itemsize:
            raise UnsafePickleError(f'scalar of {dtype} needs {dtype.itemsize} bytes')
        return np.frombuffer(data, dtype, 1)[0].item()

    def _latin1_bytes(self, text, encoding='utf-8'):
        """How protocol 2 pickles store bytes (``_codecs.encode(text, 'latin1')``), and only
        that; one string named many times makes new bytes each time, so each is charged."""
        if not isinstance(text, str) or encoding != 'latin1':
            raise UnsafePickleError(f'refuses _codecs.encode with encoding {describe(encoding)}')
        self.budget.charge(len(text), 'bytes objects')
        return text.encode('latin1')


def materialise(value: Any, budget: LoadBudget, seen: dict = None) -> Any:
    """The loaded structure with every stand-in replaced by the real object (shared references
    and self-containing lists stay as they were). Sets and dict keys need no pass: the opcode
    check admits only strings, bytes, numbers, booleans and None there."""
    seen = {} if seen is None else seen
    if id(value) in seen:
        return seen[id(value)]
    if isinstance(value, StandIn):
        seen[id(value)] = value.materialise(budget, lambda item: materialise(item, budget, seen))
    elif isinstance(value, (_DTypeSpec, _Frozen)):
        raise UnsafePickleError(f'{getattr(value, "name", "a numpy dtype")} appears as data')
    elif type(value) is list:
        seen[id(value)] = value
        value[:] = [materialise(item, budget, seen) for item in value]
    elif type(value) is dict:
        seen[id(value)] = value
        for key in value:
            value[key] = materialise(value[key], budget, seen)
    elif type(value) is tuple:   # not torch.Size, which holds only sizes
        seen[id(value)] = tuple(materialise(item, budget, seen) for item in value)
    else:
        return value
    return seen[id(value)]


def load_pickle_data(data: bytes, unpickler: type, budget: LoadBudget, *args) -> Any:
    """What ``data`` holds: opcodes checked, unpickled by ``unpickler(data, budget, *args)``,
    stand-ins materialised."""
    check_opcodes(data, budget)
    return materialise(unpickler(data, budget, *args).load(), budget)


def _gunzip(data: bytes, budget: LoadBudget) -> bytes:
    """Decompress every gzip member of ``data``, refusing to grow past the budget."""
    members = []
    while data:
        if data[:2] != b'\x1f\x8b':
            raise UnsafePickleError('corrupt gzip data (bytes after the last member)')
        stream = zlib.decompressobj(wbits=31)
        try:
            members.append(stream.decompress(data, budget.remaining + 1))
        except zlib.error as error:
            raise UnsafePickleError(f'corrupt gzip data ({error})') from None
        budget.charge(len(members[-1]), 'the decompressed data')
        if not stream.eof:
            raise UnsafePickleError('corrupt gzip data (truncated)')
        data = stream.unused_data
    return b''.join(members)


def load_restricted_pickle(path: str | os.PathLike, allow_arrays: bool = False,
                           max_bytes: int = None) -> Any:
    """The object in a plain or gzip-compressed pickle file, refusing anything that imports.
    ``max_bytes``: the most the file may expand to in memory (load_limits.py)."""
    path = str(path)
    with open(path, 'rb') as f:
        data = f.read()
    with refusals_naming(path):
        if data[:2] == b'\x1f\x8b':
            data = _gunzip(data, LoadBudget(gzip_limit(len(data), max_bytes)))
        budget = LoadBudget(load_limit(len(data), max_bytes, PICKLE_FACTOR))
        budget.charge(len(data), 'the pickle data')
        return load_pickle_data(data, ArrayUnpickler if allow_arrays else RestrictedUnpickler,
                                budget)
