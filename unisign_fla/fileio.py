"""Writing files so that a reader never sees half of one: every file the toolkit writes for others
to read (shards and their indices, manifests, failure logs, SynthSign's videos and keypoints,
predictions and metrics) goes through ``atomic_write``.

The data goes to a temporary file beside the target (same folder, so the rename stays on one
file system), is flushed to disk, and is renamed over the target; if anything fails, the
temporary file is removed. The temporary name carries the host and process, so a run can tell
another live writer's file from an orphan (``formats.names.is_orphan_temporary``).
"""
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager


def temporary_path(path: str, keep_suffix: bool = False) -> str:
    """Where ``path`` is written before its rename into place. ``keep_suffix`` keeps the file's
    extension last, for writers that pick the format from the name (OpenCV's video writer)."""
    tag = f'.tmp.{socket.gethostname()}.{os.getpid()}'
    if keep_suffix:
        root, suffix = os.path.splitext(path)
        return f'{root}{tag}{suffix}'
    return f'{path}{tag}'


@contextmanager
def atomic_write(path: str, keep_suffix: bool = False) -> Iterator[str]:
    """Yield a temporary path to write; on leaving the block without an error it is flushed and
    renamed to ``path``, otherwise removed."""
    tmp = temporary_path(path, keep_suffix)
    try:
        yield tmp
        with open(tmp, 'rb+') as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def write_text_atomic(path: str, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8) in one step."""
    with atomic_write(path) as tmp, open(tmp, 'w', encoding='utf-8') as f:
        f.write(text)
