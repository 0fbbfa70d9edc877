"""What a manifest may make the job read and write: names from it never write outside --out,
and its video / keypoints paths are read outside --video-root only with --allow-outside-root."""
import json
import os

import numpy as np
import pytest

from tests.scripts import load_tool
from unisign_fla.extraction.job import ShardPlan
from unisign_fla.formats.names import UnsafeNameError
from unisign_fla.formats.shard_index import load_split_index

extract_pose = load_tool('extract_pose')


def _files_under(folder):
    return {os.path.join(d, n) for d, _, names in os.walk(folder) for n in names}


def _failures(out):
    return [json.loads(line) for line in (out / 'failures.jsonl').read_text().splitlines()]


def test_manifest_names_cannot_write_outside_out(tmp_path, helpers):
    """The issue: dataset "../../../victim/evil" or an absolute path wrote a shard, its index
    and the split index outside --out, over an existing tar there."""
    root = str(tmp_path / 'data')
    good = helpers.make_clip(root, 'good', 6, np.random.default_rng(0))
    victim = tmp_path / 'victim'
    victim.mkdir()
    (victim / 'evil-train-000000.tar').write_bytes(b'precious')
    evil = [dict(good, id='rel', dataset='../victim/evil'),
            dict(good, id='abs', dataset=str(victim / 'evil')),
            dict(good, id='slash', split='a/b'),
            dict(good, id='clip\n')]
    manifest = helpers.write_jsonl(str(tmp_path / 'm.jsonl'), [good] + evil)
    before = _files_under(tmp_path)
    out = tmp_path / 'out'
    assert extract_pose.main(['--manifest', manifest, '--video-root', root, '--out', str(out),
                              '--crop-size', '16', '--max-failure-rate', '0.9']) == 0
    assert _files_under(tmp_path) - before == _files_under(out)     # nothing new elsewhere
    assert (victim / 'evil-train-000000.tar').read_bytes() == b'precious'
    failures = _failures(out)
    assert [f['manifest_line'] for f in failures] == [2, 3, 4, 5]
    for failure, field in zip(failures, ('dataset', 'dataset', 'split', 'id')):
        assert f"m.jsonl:{failure['manifest_line']}: field '{field}' = " in failure['reason']
        assert 'must match [A-Za-z0-9_\\-]+ in full' in failure['reason']
    assert [s.id for s in load_split_index(str(out))] == ['good']
    # A plan built around the manifest check still cannot name a file outside --out.
    with pytest.raises(UnsafeNameError):
        ShardPlan(0, '../../victim/evil', 'train', 0, []).tar_path(str(out))


def test_paths_outside_the_video_root_need_allow_outside_root(tmp_path, helpers):
    rng = np.random.default_rng(1)
    root, elsewhere = tmp_path / 'data', tmp_path / 'elsewhere'
    inside = helpers.make_clip(str(root), 'inside', 6, rng)
    outside = helpers.make_clip(str(elsewhere), 'outside', 6, rng)
    os.symlink(elsewhere / outside['video'], root / 'videos' / 'link.mp4')
    records = [inside,
               dict(inside, id='absolute_inside', video=str(root / inside['video'])),
               dict(outside, id='dotdot', video='../elsewhere/' + outside['video'],
                    keypoints='../elsewhere/' + outside['keypoints']),
               dict(inside, id='absolute_video', video=str(elsewhere / outside['video'])),
               dict(inside, id='absolute_keypoints',
                    keypoints=str(elsewhere / outside['keypoints'])),
               dict(inside, id='symlink', video='videos/link.mp4')]
    manifest = helpers.write_jsonl(str(tmp_path / 'm.jsonl'), records)
    os.symlink(root, tmp_path / 'root_link')          # a symlinked --video-root is fine
    argv = ['--manifest', manifest, '--video-root', str(tmp_path / 'root_link'),
            '--crop-size', '16', '--max-failure-rate', '1']
    assert extract_pose.main(argv + ['--out', str(tmp_path / 'out')]) == 0
    reasons = {f['id']: f['reason'] for f in _failures(tmp_path / 'out')}
    assert set(reasons) == {'dotdot', 'absolute_video', 'absolute_keypoints', 'symlink'}
    for clip_id, field in (('dotdot', 'video'), ('absolute_video', 'video'),
                           ('absolute_keypoints', 'keypoints'), ('symlink', 'video')):
        assert reasons[clip_id].startswith(f'OutsideRootError: {field} ')
        assert f'resolves to {elsewhere}' in reasons[clip_id]
        assert 'pass --allow-outside-root' in reasons[clip_id]
    assert [s.id for s in load_split_index(str(tmp_path / 'out'))] == ['inside',
                                                                      'absolute_inside']
    assert extract_pose.main(argv + ['--out', str(tmp_path / 'trusted'),
                                     '--allow-outside-root']) == 0
    assert (tmp_path / 'trusted' / 'failures.jsonl').read_text() == ''
    assert len(load_split_index(str(tmp_path / 'trusted'))) == len(records)
