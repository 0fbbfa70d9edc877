"""Check downloaded pickles and checkpoints before using them.

    python -m unisign_fla.formats.check_file FILE...

Each file is read as the toolkit reads it: ``torch.save`` checkpoints (zip archives) with the
weights-only reader of torch_checkpoint.py, other files as plain or gzip-compressed pickles with
the restricted unpickler of safe_pickle.py. What a file holds is printed as a tree (keys, array
and tensor shapes and dtypes, sizes), or why it is refused. The exit status is 1 if any file is
refused.
"""
import argparse
import sys
from collections.abc import Iterator
from typing import Any

import numpy as np
import torch

from unisign_fla.formats.load_limits import UnsafePickleError, describe
from unisign_fla.formats.safe_pickle import load_restricted_pickle
from unisign_fla.formats.torch_checkpoint import (
    LEGACY_MAGIC,
    load_torch_checkpoint,
    looks_like_checkpoint,
)

SHOWN_ITEMS = 4


def _leaf(value: Any) -> str:
    if isinstance(value, torch.Tensor):
        kind = 'parameter' if isinstance(value, torch.nn.Parameter) else 'tensor'
        return f'{kind} {str(value.dtype).removeprefix("torch.")} {tuple(value.shape)}'
    if isinstance(value, np.ndarray):
        return f'ndarray {value.dtype} {value.shape}'
    if isinstance(value, (bytes, bytearray)):
        return f'{type(value).__name__} of length {len(value)}'
    if isinstance(value, (torch.Size, torch.device, torch.dtype)):
        return repr(value)   # short: a Size holds at most 32 sizes
    return describe(value)


def tree(value: Any, depth: int = 4, indent: str = '') -> Iterator[str]:
    """Lines describing ``value``: containers with their first items, down to ``depth``."""
    if isinstance(value, dict):
        yield f'{type(value).__name__} of {len(value)} keys'
        items = [(describe(key), item) for key, item in value.items()]
    elif isinstance(value, (list, tuple)) and not isinstance(value, torch.Size):
        yield f'{type(value).__name__} of {len(value)}'
        items = [(f'[{i}]', item) for i, item in enumerate(value)]
    elif isinstance(value, (set, frozenset)):
        yield f'{type(value).__name__} of {len(value)}'
        return
    else:
        yield _leaf(value)
        return
    if depth == 0:
        return
    for label, item in items[:SHOWN_ITEMS]:
        lines = tree(item, depth - 1, indent + '  ')
        yield f'{indent}  {label}: {next(lines)}'
        yield from lines
    if len(items) > SHOWN_ITEMS:
        yield f'{indent}  ... {len(items) - SHOWN_ITEMS} more'


def data_bytes(value: Any) -> int:
    """Bytes held by the arrays and tensor storages in ``value``, each counted once."""
    total, seen, pending = 0, set(), [value]
    while pending:
        item = pending.pop()
        if isinstance(item, torch.Tensor):
            storage = item.untyped_storage()
            key, size, children = ('storage', storage.data_ptr()), storage.nbytes(), ()
        elif isinstance(item, np.ndarray):
            key, size, children = ('object', id(item)), item.nbytes, ()
        elif isinstance(item, (dict, list, tuple)):
            children = item.values() if isinstance(item, dict) else item
            key, size = ('object', id(item)), 0
        else:
            continue
        if key not in seen:
            seen.add(key)
            total += size
            pending.extend(children)
    return total


def check(path: str, allow_arrays: bool, max_bytes: int = None) -> Iterator[str]:
    """Report lines for one file; raises ``UnsafePickleError`` if it is refused."""
    with open(path, 'rb') as f:
        head = f.read(len(LEGACY_MAGIC))
    if looks_like_checkpoint(head):
        kind, value = 'torch checkpoint', load_torch_checkpoint(path, max_bytes=max_bytes)
    else:
        kind = 'pickle'
        value = load_restricted_pickle(path, allow_arrays=allow_arrays, max_bytes=max_bytes)
    yield f'{path}: ok ({kind}, {data_bytes(value)} bytes of arrays and tensors)'
    for line in tree(value):
        yield f'  {line}'


def _positive(text: str) -> int:
    """A ``--max-bytes`` value: a limit of zero bytes would refuse every file."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value <= 0:
        raise argparse.ArgumentTypeError(f'expected a positive number of bytes, got {text!r}')
    return value


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('files', nargs='+', help='pickles (.pkl, label files) or .pth')
    parser.add_argument('--no-arrays', action='store_true',
                        help='refuse numpy arrays in pickles, as label files are read')
    parser.add_argument('--max-bytes', type=_positive,
                        help='the most a file may expand to in memory (default: see '
                             'unisign_fla/formats/load_limits.py)')
    args = parser.parse_args(argv)
    refused = 0
    for path in args.files:
        try:
            print('\n'.join(check(path, not args.no_arrays, args.max_bytes)))
        except (UnsafePickleError, OSError) as error:
            refused += 1
            print(f'{path}: refused: {str(error).removeprefix(f"{path}: ")}')
    return 1 if refused else 0


if __name__ == '__main__':
    sys.exit(main())
