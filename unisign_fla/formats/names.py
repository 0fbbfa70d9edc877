"""Names and paths that come from input data, checked before the toolkit writes under them.

A manifest's ``id``, ``dataset`` and ``split`` end up in file names (shards, indices, members
inside shards), so each must be a plain name: a full match of ``SAFE_NAME`` (``re.fullmatch``;
``$`` would let ``"clip\\n"`` through), which rules out ``..``, ``/`` and absolute paths. Every
path written is then also checked to resolve inside its output folder, so that a future mistake
in building a name still cannot write elsewhere.

Files are written through a temporary file and a rename, so readers never see half a file. The
temporary name carries the host and the process writing it: a later run can then tell an orphan
of a killed run (its process is gone) from a file that another worker is writing at that moment.
"""
import os
import re
import socket
import time

SAFE_NAME = re.compile(r'[A-Za-z0-9_\-]+')
# A file name made of safe names joined by dots: no separator, no '..', no leading dot.
SAFE_FILE_NAME = re.compile(r'[A-Za-z0-9_\-]+(\.[A-Za-z0-9_\-]+)*')
# ``fileio.temporary_path``'s suffix (host and pid), or the bare ``.tmp<pid>`` of earlier versions.
TEMPORARY_SUFFIX = re.compile(r'\.tmp(?:\.(?P<host>.+)\.|)(?P<pid>\d+)$')


class UnsafeNameError(ValueError):
    """A name from input data that would make the toolkit write outside its output folder."""


def is_safe_name(value) -> bool:
    return isinstance(value, str) and SAFE_NAME.fullmatch(value) is not None


def check_name(value, what: str) -> str:
    """``value`` if it is a safe name; ``what`` (e.g. ``"dataset"``) names it in the error."""
    if not is_safe_name(value):
        raise UnsafeNameError(f'{what} = {value!r} must match {SAFE_NAME.pattern} in full '
                              f'(it names files)')
    return value


def check_file_name(value, what: str) -> str:
    """``value`` if it is one plain file name (safe names joined by dots)."""
    if not isinstance(value, str) or SAFE_FILE_NAME.fullmatch(value) is None:
        raise UnsafeNameError(f'{what} = {value!r} is not a plain file name matching '
                              f'{SAFE_FILE_NAME.pattern}')
    return value


def is_inside(root: str, path: str) -> bool:
    """Whether ``path`` resolves, symlinks followed, to ``root`` or somewhere below it."""
    root = os.path.realpath(root)
    return os.path.commonpath([root, os.path.realpath(path)]) == root


def output_path(out_dir: str, file_name: str) -> str:
    """``out_dir/file_name``, refused unless ``file_name`` is a plain file name and the path
    resolves inside ``out_dir`` (a symlink planted there cannot redirect the write)."""
    path = os.path.join(out_dir, check_file_name(file_name, 'output file name'))
    if not is_inside(out_dir, path):
        raise UnsafeNameError(f'{path} resolves to {os.path.realpath(path)}, outside the output '
                              f'folder {out_dir}; refusing to write it')
    return path


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:   # someone else's process
        return True
    return True


def is_orphan_temporary(tmp_path: str, max_age_s: float = 3600.0) -> bool:
    """Whether a temporary file named by ``fileio.temporary_path`` can no longer be renamed into
    place: its process has ended on this host, or it is older than ``max_age_s``. A temporary
    file lives for the milliseconds of one write, so an hour-old one is an orphan whichever host
    made it; a younger one from another host may be a live write, and is kept."""
    match = TEMPORARY_SUFFIX.search(os.path.basename(tmp_path))
    try:
        age = time.time() - os.path.getmtime(tmp_path)
    except FileNotFoundError:
        return False
    if match is None:
        return False
    if age > max_age_s:
        return True
    return match['host'] == socket.gethostname() and not _process_alive(int(match['pid']))
