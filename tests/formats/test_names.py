"""Names from input data, output paths kept inside their folder, and temporary files."""
import os
import socket
import subprocess
import sys
import time

import pytest

from unisign_fla.fileio import temporary_path, write_text_atomic
from unisign_fla.formats.names import UnsafeNameError, check_name, is_orphan_temporary, output_path
from unisign_fla.formats.shard_index import shard_stem, split_index_path


@pytest.mark.parametrize('name', ['clip\n', '../x', '/abs', 'a/b', '..', '', 'a.b', 'é', None])
def test_unsafe_names_are_refused(name):
    with pytest.raises(UnsafeNameError, match=r'dataset = .* must match .* in full'):
        check_name(name, 'dataset')
    with pytest.raises(UnsafeNameError):
        shard_stem(name, 'train', 0)
    with pytest.raises(UnsafeNameError):
        shard_stem('toy', name, 0)


def test_output_paths_stay_inside_the_folder(tmp_path):
    """Even a name built by a future bug cannot write elsewhere: the split index and any output
    file are checked after their path is built."""
    assert output_path(str(tmp_path), 'toy-train-000000.tar') == \
        os.path.join(str(tmp_path), 'toy-train-000000.tar')
    for name in ('../x.tar', '/etc/x.tar', 'a/../../x.tar', '.tar', ''):
        with pytest.raises(UnsafeNameError):
            output_path(str(tmp_path), name)
    with pytest.raises(UnsafeNameError):
        split_index_path(str(tmp_path), 'toy', '../train')
    outside = tmp_path / 'outside.tar'
    (tmp_path / 'out').mkdir()
    os.symlink(outside, tmp_path / 'out' / 'toy-train-000000.tar')   # planted in --out
    with pytest.raises(UnsafeNameError, match='outside the output folder'):
        output_path(str(tmp_path / 'out'), 'toy-train-000000.tar')
    linked_out = tmp_path / 'linked_out'                             # --out itself a symlink
    os.symlink(tmp_path / 'out', linked_out)
    assert output_path(str(linked_out), 'toy-train.index.json')


def test_atomic_write_leaves_no_temporary_file(tmp_path):
    path = str(tmp_path / 'a.json')
    write_text_atomic(path, '{}')
    assert os.listdir(tmp_path) == ['a.json']
    with pytest.raises(TypeError):
        write_text_atomic(path, None)
    assert os.listdir(tmp_path) == ['a.json'] and open(path).read() == '{}'


def _ended_pid() -> int:
    return int(subprocess.run([sys.executable, '-c', 'import os; print(os.getpid())'],
                              capture_output=True, text=True, check=True).stdout)


def test_orphan_temporaries_are_told_from_live_writes(tmp_path):
    host = socket.gethostname()

    def planted(name, age_s=0.0):
        path = tmp_path / name
        path.write_text('{')
        os.utime(path, (time.time() - age_s,) * 2)
        return str(path)

    assert temporary_path('x.json') == f'x.json.tmp.{host}.{os.getpid()}'
    assert not is_orphan_temporary(planted(f'a.json.tmp.{host}.{os.getpid()}'))   # alive
    assert is_orphan_temporary(planted(f'b.json.tmp.{host}.{_ended_pid()}'))       # ended
    assert not is_orphan_temporary(planted('c.json.tmp.node-7.cluster.1'))           # unknown
    assert is_orphan_temporary(planted('d.json.tmp.node-7.cluster.1', age_s=7200))   # stale
    assert not is_orphan_temporary(planted('e.json.tmp123'))                        # old name
    assert is_orphan_temporary(planted('f.json.tmp123', age_s=7200))
    assert not is_orphan_temporary(planted('g.tar.tmp', age_s=7200))       # not this kind
    assert not is_orphan_temporary(str(tmp_path / 'gone.json.tmp.h.1'))
