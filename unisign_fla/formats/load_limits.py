"""What a downloaded pickle or checkpoint may cost to read, and how a refusal is reported.

A crafted file of a few kB must not make the loader hold gigabytes, nor keep it busy for long:
every byte a load creates from the file is charged to a ``LoadBudget``: the pickle data (after
gzip), the objects its opcodes will build (charged by the opcode check before any is built, at
what Python spends on each; pickle_opcodes.py), numpy arrays, tensor storages and every element
of every tensor (a zero stride makes one stored element stand for many). The default limits:

* a gzip file may decompress to at most ``GZIP_RATIO`` (64) times its size, or 1 MiB. Real
  label files expand 2.5-15.4 times (phoenix2014t's most). The opcode check costs about
  0.6-0.9 us per byte, so this also bounds the time to refuse: 0.9 s for a crafted gzip file
  of up to 16 kB, 1.25 s for one of 31 kB, then in proportion to its size, as for a plain file;
* a pickle may create at most ``PICKLE_FACTOR`` (64) times its data, or 64 MiB; a checkpoint
  ``SIZE_FACTOR`` (16) times its file size, or 64 MiB. Measured charges: label files 3.6-22
  times their data (wlasl2000's many small dicts most), 1-30 MB in all, and 182 MB for
  phoenix2014t's labels.train (51 MB of data: budget 3.3 GB); Uni-Sign's pose pickles 4 times
  their size (0.3-1 MB); its 62-MB checkpoint 2.2 times (135 MB of 1 GB). Every real file
  loads with half its budget, and the charges match what tracemalloc measures within 16% for
  crafted files of containers, strings and numbers.

``max_bytes=`` or the ``UNISIGN_FLA_MAX_LOAD_BYTES`` environment variable replace both limits.
"""
import contextlib
import os

MAX_BYTES_VARIABLE = 'UNISIGN_FLA_MAX_LOAD_BYTES'
MIN_DEFAULT_BYTES = 64 * 2**20
SIZE_FACTOR = 16
PICKLE_FACTOR = 64
MIN_GZIP_BYTES = 2**20
GZIP_RATIO = 64


class UnsafePickleError(ValueError):
    """A pickle or checkpoint that names something outside the admitted set, exceeds its
    budget, or is not readable at all; the message names the file and the reason."""


def describe(value) -> str:
    """A short, cheap description of a value from a file, for messages (``repr`` of a
    100-kB string or a 10**5-digit integer is neither)."""
    if value is None or type(value) in (bool, float) or (type(value) is int
                                                          and value.bit_length() <= 64):
        return repr(value)
    if type(value) is int:
        return f'an integer of {value.bit_length()} bits'
    if type(value) is str and len(value) <= 60:
        return repr(value)
    size = f' of length {len(value)}' if isinstance(value, (str, bytes, bytearray, tuple,
                                                             list)) else ''
    return f'a {type(value).__name__}{size}'


def _configured_limit(max_bytes):
    """``max_bytes``, else the environment variable, else None (the default rule)."""
    if max_bytes is not None:
        if max_bytes <= 0:
            raise ValueError(f'max_bytes must be positive, got {max_bytes}')
        return max_bytes
    text = os.environ.get(MAX_BYTES_VARIABLE)
    if not text:
        return None
    try:
        limit = int(text)
    except ValueError:
        limit = 0
    if limit <= 0:
        raise UnsafePickleError(f'{MAX_BYTES_VARIABLE} must be a positive number of bytes, '
                                f'got {describe(text)}')
    return limit


def load_limit(size: int, max_bytes: int = None, factor: int = SIZE_FACTOR) -> int:
    """The most a load may create from a file of ``size`` bytes (``factor``: ``SIZE_FACTOR``
    for a checkpoint, ``PICKLE_FACTOR`` for pickle data, sized after decompression)."""
    configured = _configured_limit(max_bytes)
    return configured or max(MIN_DEFAULT_BYTES, factor * size)


def gzip_limit(file_size: int, max_bytes: int = None) -> int:
    """The most a gzip file of ``file_size`` bytes may decompress to."""
    configured = _configured_limit(max_bytes)
    return configured or max(MIN_GZIP_BYTES, GZIP_RATIO * file_size)


class LoadBudget:
    """Bytes one load may still create; ``charge`` refuses the load once they run out."""

    def __init__(self, limit: int):
        self.limit = limit
        self.used = 0

    @property
    def remaining(self) -> int:
        return self.limit - self.used

    def charge(self, count: int, what: str) -> None:
        self.used += count
        if self.used > self.limit:
            raise UnsafePickleError(
                f'{what} would take it past {self.limit} bytes, the most this file may expand '
                f'to (pass max_bytes= or set {MAX_BYTES_VARIABLE} to allow more)')


@contextlib.contextmanager
def refusals_naming(path: str, kind: str = 'pickle'):
    """Turn any failure while reading ``path`` into one ``UnsafePickleError`` that names it."""
    try:
        yield
    except UnsafePickleError as error:
        raise UnsafePickleError(f'{path}: {error}') from None
    except RecursionError:
        raise UnsafePickleError(f'{path}: nested too deeply to read') from None
    except MemoryError:
        raise UnsafePickleError(f'{path}: needs more memory than this machine has') from None
    except Exception as error:   # any malformed input: a clear error naming the file, not a crash
        raise UnsafePickleError(f'{path}: not a readable {kind} '
                                f'({type(error).__name__}: {_message(error)})') from None


def _message(error: Exception) -> str:
    try:
        return str(error)[:200]
    except ValueError:   # an exception about a huge integer cannot always print it
        return 'no printable message'
