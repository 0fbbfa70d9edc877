"""Reading torch checkpoints (``torch.save``'s zip format) without torch's unpickler.

Whether ``torch.load`` runs a checkpoint's pickle unrestricted depends on the environment as
well as its arguments (``TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1`` turns weights-only loading off
wherever a caller leaves ``weights_only`` unset, as mmengine does), and its weights-only
unpickler trusts the shapes and sizes it is given. This reader depends on neither: it opens the
archive itself (``<name>/data.pkl``, one ``<name>/data/<key>`` entry per storage) and reads
``data.pkl`` with the restricted unpickler of safe_pickle.py, extended by what checkpoints hold:
tensors of plain dtypes (sizes, strides and offset checked against their storage, then built
with ``Tensor.set_``), parameters, OrderedDicts (state dicts with their ``_metadata``),
``torch.Size``, ``torch.device``, dtypes and sets, beside numeric numpy arrays and scalars.
Each storage is read once, from an uncompressed entry as torch writes them, and charged to the
file's budget (load_limits.py); tensors land on the CPU unless ``map_location`` says otherwise.
torch's legacy format (before 1.6: a bare pickle stream) is refused with a way out.
"""
import collections
import math
import os
import sys
import zipfile
from typing import Any

import torch

from unisign_fla.formats.load_limits import (
    LoadBudget,
    UnsafePickleError,
    describe,
    load_limit,
    refusals_naming,
)
from unisign_fla.formats.pickle_opcodes import check_keys, kind_of
from unisign_fla.formats.safe_pickle import (
    MAX_DIM_SIZE,
    ArrayUnpickler,
    Marker,
    StandIn,
    check_shape,
    load_pickle_data,
)

ZIP_MAGIC = b'PK\x03\x04'
LEGACY_MAGIC = b'\x80\x02\x8a\x0al\xfc\x9cF\xf9 j\xa8P\x19'   # torch < 1.6 pickled this first
READ_CHUNK = 64 * 2**20
STORAGE_DTYPES = {
    'DoubleStorage': torch.float64, 'FloatStorage': torch.float32, 'HalfStorage': torch.float16,
    'BFloat16Storage': torch.bfloat16, 'LongStorage': torch.int64, 'IntStorage': torch.int32,
    'ShortStorage': torch.int16, 'CharStorage': torch.int8, 'ByteStorage': torch.uint8,
    'BoolStorage': torch.bool, 'ComplexFloatStorage': torch.complex64,
    'ComplexDoubleStorage': torch.complex128}
_UNTYPED = Marker('torch.UntypedStorage', torch.uint8)
_INTEGERS = (torch.bool, torch.int8, torch.int16, torch.int32, torch.int64, torch.uint8,
             torch.uint16, torch.uint32, torch.uint64)
PLAIN_DTYPES = {name: value for name, value in vars(torch).items()   # not quantized, not bits
                if isinstance(value, torch.dtype)
                and (value.is_floating_point or value.is_complex or value in _INTEGERS)}


def looks_like_checkpoint(head: bytes) -> bool:
    """Whether a file starting with ``head`` is meant as a torch checkpoint, current or legacy."""
    return head.startswith(ZIP_MAGIC) or head.startswith(LEGACY_MAGIC)


class _Storage(StandIn):
    """A reference to one storage's bytes, as elements of ``dtype``; only tensors may hold it."""

    def __init__(self, untyped: torch.UntypedStorage, key: str, dtype: torch.dtype):
        self.untyped, self.key, self.dtype = untyped, key, dtype

    def materialise(self, budget, convert):
        raise UnsafePickleError(f'storage {describe(self.key)} appears outside a tensor')


class _TensorSpec(StandIn):
    """A tensor over a storage, its layout checked to lie inside it."""

    def __init__(self, storage, offset, size, stride, dtype, requires_grad):
        if not isinstance(storage, _Storage):
            raise UnsafePickleError(f'a tensor is rebuilt from {describe(storage)}, not a storage')
        if dtype not in PLAIN_DTYPES.values():
            raise UnsafePickleError(f'tensor dtype {describe(dtype)} is not a plain dtype')
        size, stride = check_shape(size, 'tensor size'), check_shape(stride, 'tensor stride')
        if len(size) != len(stride) or type(offset) is not int or not 0 <= offset <= MAX_DIM_SIZE:
            raise UnsafePickleError(f'tensor layout {size} / {stride} / {describe(offset)} is '
                                    f'not one of sizes, strides and an offset')
        _check_requires_grad(requires_grad, dtype, 'tensor')
        elements = storage.untyped.nbytes() // dtype.itemsize
        last = offset + sum((n - 1) * s for n, s in zip(size, stride))
        if 0 not in size and last >= elements:
            raise UnsafePickleError(f'tensor {size} / {stride} at offset {offset} reaches element '
                                    f'{last} of a storage of {elements} {dtype} elements')
        self.storage, self.offset, self.size, self.stride = storage, offset, size, stride
        self.dtype, self.requires_grad = dtype, requires_grad

    def materialise(self, budget, convert) -> torch.Tensor:
        """Charged for every element, as a copy would take: a zero stride lets one stored
        element stand for 2**48."""
        budget.charge(math.prod(self.size) * self.dtype.itemsize, 'tensors')
        tensor = torch.empty(0, dtype=self.dtype, device=self.storage.untyped.device)
        tensor.set_(self.storage.untyped, self.offset, self.size, self.stride)
        return tensor.requires_grad_(self.requires_grad)


def _check_requires_grad(requires_grad, dtype: torch.dtype, what: str) -> None:
    """Only floating-point and complex tensors take gradients (torch refuses the rest)."""
    if type(requires_grad) is not bool or (requires_grad and not (dtype.is_floating_point
                                                                  or dtype.is_complex)):
        raise UnsafePickleError(f'requires_grad {describe(requires_grad)} on a {dtype} {what}')


class _ParameterSpec(StandIn):
    """An ``nn.Parameter`` around a tensor."""

    def __init__(self, data: _TensorSpec, requires_grad: bool):
        self.data, self.requires_grad = data, requires_grad

    def materialise(self, budget, convert) -> torch.nn.Parameter:
        return torch.nn.Parameter(convert(self.data), self.requires_grad)


class _StateDict(StandIn, collections.OrderedDict):
    """An OrderedDict as ``state_dict()`` returns it, whose only attribute is ``_metadata``."""

    def __setstate__(self, state):
        if not isinstance(state, dict) or set(state) - {'_metadata'}:
            raise UnsafePickleError('an OrderedDict with attributes other than _metadata')
        self.metadata = state.get('_metadata')

    def materialise(self, budget, convert) -> collections.OrderedDict:
        plain = collections.OrderedDict((key, convert(value)) for key, value in self.items())
        metadata = convert(getattr(self, 'metadata', None))
        if metadata is not None:
            if not isinstance(metadata, dict):
                raise UnsafePickleError('state dict _metadata is not a dict')
            plain._metadata = metadata
        return plain


_CHECKPOINT_NAMES = {
    ('collections', 'OrderedDict'): '_ordered_dict',
    ('torch._utils', '_rebuild_tensor_v2'): '_rebuild_tensor_v2',
    ('torch._utils', '_rebuild_tensor_v3'): '_rebuild_tensor_v3',
    ('torch._utils', '_rebuild_parameter'): '_rebuild_parameter',
    ('torch', 'Size'): '_size', ('torch', 'device'): '_device',
    ('torch', 'UntypedStorage'): _UNTYPED, ('torch.storage', 'UntypedStorage'): _UNTYPED,
    **{(builtins, kind): f'_{kind}' for builtins in ('builtins', '__builtin__')
       for kind in ('set', 'frozenset')},
    **{('torch', name): Marker(f'torch.{name}', dtype) for name, dtype in STORAGE_DTYPES.items()},
    **{('torch', name): dtype for name, dtype in PLAIN_DTYPES.items()}}


class CheckpointUnpickler(ArrayUnpickler):
    """Reads ``data.pkl``, fetching each storage it names from the archive once."""
    NAMES = {**ArrayUnpickler.NAMES, **_CHECKPOINT_NAMES}
    ADMITS = ('tensors, state dicts, built-in containers, strings, numbers and numeric numpy '
              'arrays')

    def __init__(self, data: bytes, budget: LoadBudget, archive: zipfile.ZipFile, prefix: str,
                 place):
        super().__init__(data, budget)
        self.archive, self.prefix, self.place, self.storages = archive, prefix, place, {}

    def persistent_load(self, pid) -> _Storage:
        """torch names a storage ``('storage', storage type, key, location, element count)``;
        ``map_location`` decides where it goes, given the location it was saved from."""
        if not (isinstance(pid, tuple) and len(pid) == 5 and pid[0] == 'storage'):
            raise UnsafePickleError(f'unexpected persistent id {describe(pid)}')
        kind, key, location, count = pid[1:]
        if not (isinstance(kind, Marker) and isinstance(kind.value, torch.dtype)):
            raise UnsafePickleError(f'storage type {describe(kind)} is not a plain storage')
        if type(key) is not str or type(location) is not str or type(count) is not int or not (
                0 <= count <= MAX_DIM_SIZE):
            raise UnsafePickleError(f'storage {describe(key)} at {describe(location)} of '
                                    f'{describe(count)} elements')
        if key not in self.storages:
            self.storages[key] = self._read_storage(key, location)
        untyped = self.storages[key]
        if untyped.nbytes() != count * kind.value.itemsize:
            raise UnsafePickleError(f'storage {describe(key)} holds {untyped.nbytes()} bytes, '
                                    f'its reference says {count} {kind.value} elements')
        return _Storage(untyped, key, kind.value)

    def _read_storage(self, key: str, location: str) -> torch.UntypedStorage:
        name = f'{self.prefix}/data/{key}'
        try:
            entry = self.archive.getinfo(name)
        except KeyError:
            raise UnsafePickleError(f'storage {describe(key)} is missing from the archive') \
                from None
        if entry.compress_type != zipfile.ZIP_STORED:
            raise UnsafePickleError(f'{describe(name)} is compressed; torch.save stores '
                                    f'storages uncompressed')
        self.budget.charge(entry.file_size, 'tensor storages')
        buffer = bytearray(entry.file_size)
        view, done = memoryview(buffer), 0
        with self.archive.open(entry) as f:
            while done < len(buffer):
                chunk = f.read(min(READ_CHUNK, len(buffer) - done))
                if not chunk:
                    raise UnsafePickleError(f'{describe(name)} is cut short (truncated file)')
                view[done:done + len(chunk)] = chunk
                done += len(chunk)
        flat = (torch.frombuffer(buffer, dtype=torch.uint8) if buffer
                else torch.empty(0, dtype=torch.uint8))
        placed = self.place(flat.untyped_storage(), location)
        if not isinstance(placed, torch.UntypedStorage):
            raise UnsafePickleError(f'map_location returned {describe(placed)} for storage '
                                    f'{describe(key)}, not a torch.UntypedStorage')
        return placed

    def _rebuild_tensor_v2(self, storage, offset, size, stride, requires_grad, hooks,
                           metadata=None):
        return self._rebuild_tensor_v3(storage, offset, size, stride, requires_grad, hooks,
                                       getattr(storage, 'dtype', None), metadata)

    def _rebuild_tensor_v3(self, storage, offset, size, stride, requires_grad, hooks, dtype,
                           metadata=None):
        if not (isinstance(hooks, dict) and not hooks and not metadata):
            raise UnsafePickleError('a tensor with backward hooks or metadata')
        return _TensorSpec(storage, offset, size, stride, dtype, requires_grad)

    def _rebuild_parameter(self, data, requires_grad, hooks):
        if not isinstance(data, _TensorSpec) or not (isinstance(hooks, dict) and not hooks):
            raise UnsafePickleError('a parameter that is not a tensor without hooks')
        _check_requires_grad(requires_grad, data.dtype, 'parameter')
        return _ParameterSpec(data, requires_grad)

    def _ordered_dict(self, *args):
        if args:
            raise UnsafePickleError('an OrderedDict built from arguments')
        return _StateDict()

    def _size(self, sizes=()):
        return torch.Size(check_shape(sizes, 'torch.Size'))

    def _device(self, kind, index=None):
        if type(kind) is not str or len(kind) > 32 or not (
                index is None or (type(index) is int and 0 <= index < 2**16)):
            raise UnsafePickleError(f'device {describe(kind)}, {describe(index)}')
        return torch.device(kind) if index is None else torch.device(kind, index)

    def _set(self, items=()):
        return set(_set_members(items))

    def _frozenset(self, items=()):
        return frozenset(_set_members(items))


def _set_members(items) -> list:
    """Set members as the opcode check admits them: no type whose hash can be made to collide."""
    if not isinstance(items, list):
        raise UnsafePickleError(f'a set built from {describe(items)}, not a list')
    check_keys('set', map(kind_of, items))
    return items


def _find_data_pickle(archive: zipfile.ZipFile) -> str:
    """The archive's folder name, from its one ``<name>/data.pkl``."""
    found = [name[:-len('/data.pkl')] for name in archive.namelist()
             if name.endswith('/data.pkl') and name.count('/') == 1]
    if len(found) != 1:
        raise UnsafePickleError(f'expected one <name>/data.pkl in the archive, found '
                                f'{len(found)}; not a torch.save checkpoint')
    return found[0]


def _read_small(archive: zipfile.ZipFile, name: str, budget: LoadBudget) -> bytes:
    entry = archive.getinfo(name)
    budget.charge(entry.file_size, describe(name))
    return archive.read(entry)


def _placement(map_location):
    """How each storage is placed, as ``torch.load`` applies ``map_location``: on a device
    (None: the CPU), or by a callable given the storage on the CPU and its saved location."""
    if callable(map_location):
        return map_location
    if not (map_location is None or isinstance(map_location, (str, torch.device))):
        raise ValueError(f'map_location must be None, a device name, a torch.device or a '
                         f'callable (storage, location) -> storage, got '
                         f'{type(map_location).__name__}')
    device = torch.device('cpu' if map_location is None else map_location)
    return lambda storage, location: storage.to(device=device)


def _load_archive(archive: zipfile.ZipFile, budget: LoadBudget, place) -> Any:
    prefix = _find_data_pickle(archive)
    if f'{prefix}/byteorder' in archive.namelist():
        byteorder = _read_small(archive, f'{prefix}/byteorder', budget)
        if byteorder.decode('ascii', 'replace') != sys.byteorder:
            raise UnsafePickleError(f'saved with byte order {describe(byteorder)}; this machine '
                                    f'is {sys.byteorder}-endian')
    data = _read_small(archive, f'{prefix}/data.pkl', budget)
    return load_pickle_data(data, CheckpointUnpickler, budget, archive, prefix, place)


def load_torch_checkpoint(path: str | os.PathLike, map_location=None,
                          max_bytes: int = None) -> Any:
    """What a ``torch.save`` file holds, read without torch's unpickler. ``map_location``:
    None (the CPU), a device name, a ``torch.device`` or a callable as ``torch.load`` takes
    (``lambda storage, location: storage.cuda()``); ``max_bytes``: the most the file may
    expand to in memory (load_limits.py)."""
    place, path = _placement(map_location), str(path)
    with open(path, 'rb') as f:
        with refusals_naming(path, 'checkpoint'):
            budget = LoadBudget(load_limit(os.fstat(f.fileno()).st_size, max_bytes))
            if f.read(len(LEGACY_MAGIC)) == LEGACY_MAGIC:
                raise UnsafePickleError(
                    "is in torch's legacy format (torch < 1.6), which cannot be read without "
                    "running its pickle; re-save it with a current torch from a trusted copy")
            try:
                archive = zipfile.ZipFile(f)
            except zipfile.BadZipFile as error:
                raise UnsafePickleError(f'not a zip archive as torch.save writes them '
                                        f'(truncated, or not a checkpoint: {error})') from None
            with archive:
                return _load_archive(archive, budget, place)
