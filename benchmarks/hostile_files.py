"""How fast, and at what memory cost, the loaders refuse crafted files (docs/security.md).

    python benchmarks/hostile_files.py [--work-dir /tmp/hostile_files]

Builds small files of each attack the issue tracker reported against the loaders of
``unisign_fla.formats`` (a memo index near 2^32, long streams of cheap opcodes, files of one-byte
containers, a checkpoint whose tensor has stride 0 over a one-element storage), loads
each as the toolkit would, and prints per file the time to the refusal and the peak Python memory
(tracemalloc) while loading. Ends with one JSON line. Target: every refusal within a second and a
few MiB. The test suite checks the refusals with a generous time bound (a hang, not a speed).
"""
import argparse
import gzip
import json
import os
import struct
import sys
import tempfile
import time
import tracemalloc

import torch

from unisign_fla.formats.load_limits import MIN_GZIP_BYTES, UnsafePickleError
from unisign_fla.formats.safe_pickle import load_restricted_pickle
from unisign_fla.formats.torch_checkpoint import load_torch_checkpoint

ONE_MIB = 2**20


def crafted_files(folder: str) -> dict:
    """``{name: (path, loader)}`` of the attacks, written into ``folder``."""
    files = {
        'memo_index.pkl': b'\x80\x04Nr' + struct.pack('<I', 2**32 - 2) + b'.',
        'none_stream.pkl.gz': gzip.compress(b'\x80\x04' + b'N' * 30_000_000 + b'\xff'),
        'dict_bomb.pkl.gz': gzip.compress(b'\x80\x04](' + b'}' * ONE_MIB + b'e.'),
        'set_bomb.pkl.gz': gzip.compress(b'\x80\x04](' + b'\x8f' * ONE_MIB + b'e.'),
        # The slowest refusals: as much as a small gzip file may expand to, scanned to the end;
        # and 3 MB of empty lists, each charged before it is built.
        'none_stream_at_cap.pkl.gz': gzip.compress(b'\x80\x04' + b'N' * (MIN_GZIP_BYTES - 3)
                                                   + b'\xff'),
        'list_bomb.pkl': b'\x80\x04](' + b']' * 3_000_000 + b'e.',
    }
    found = {}
    for name, data in files.items():
        path = os.path.join(folder, name)
        with open(path, 'wb') as f:
            f.write(data)
        found[name] = (path, load_restricted_pickle)
    path = os.path.join(folder, 'stride0.pth')
    torch.save({'state_dict': {'w': torch.zeros(1).as_strided((2**36,), (0,))}}, path)
    found['stride0.pth'] = (path, load_torch_checkpoint)
    return found


def _load(path: str, load) -> bool:
    try:
        load(path)
    except UnsafePickleError:
        return True
    return False


def measure(path: str, load) -> dict:
    """Time to the refusal, then (in a second load: tracemalloc slows Python several-fold) the
    peak memory while loading."""
    start = time.perf_counter()
    refused = _load(path, load)
    seconds = time.perf_counter() - start
    tracemalloc.start()
    _load(path, load)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {'bytes': os.path.getsize(path), 'refused': refused, 'seconds': round(seconds, 3),
            'peak_mib': round(peak / ONE_MIB, 1)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--work-dir', help='where the crafted files go (default: a temp dir)')
    args = parser.parse_args(argv)
    folder = args.work_dir or tempfile.mkdtemp(prefix='hostile_files_')
    os.makedirs(folder, exist_ok=True)
    results = {name: measure(path, load) for name, (path, load) in crafted_files(folder).items()}
    for name, result in results.items():
        print(f'{name:22s} {result["bytes"]:>9d} B  refused={result["refused"]}  '
              f'{result["seconds"]:.3f} s  peak {result["peak_mib"]:.1f} MiB', file=sys.stderr)
    print(json.dumps({'files': results,
                      'all_refused': all(r['refused'] for r in results.values()),
                      'max_seconds': max(r['seconds'] for r in results.values()),
                      'max_peak_mib': max(r['peak_mib'] for r in results.values())}))
    return 0


if __name__ == '__main__':
    sys.exit(main())
