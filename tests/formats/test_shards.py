import io
import json
import os
import re
import tarfile
import zlib

import cv2
import numpy as np
import pytest
from webdataset import TarWriter

from unisign_fla.formats.shard_index import (
    ShardFormatError,
    load_split_index,
    tar_member_offsets,
    write_split_index,
)
from unisign_fla.formats.shards import ShardWriter, main, pose_problem, read_sample, validate_shard


def _sample(sample_id, rng, frames=9, crop_size=16, left_rows=(0, 2, 4)):
    pose = np.zeros((frames, 133, 3), np.float32)
    pose[..., :2] = rng.uniform(0, 300, (frames, 133, 2))
    pose[..., 2] = rng.uniform(0, 1, (frames, 133))
    yy, xx = np.mgrid[0:crop_size, 0:crop_size]
    crops = np.empty((len(left_rows), crop_size, crop_size, 3), np.uint8)
    for k in range(len(left_rows)):    # smooth, distinct crops: JPEG keeps them close
        crops[k, ..., 0], crops[k, ..., 1], crops[k, ..., 2] = 8 * xx, 8 * yy, 60 * k
    boxes = np.array([[r, -4, 2, 20, 26] for r in left_rows], np.float32).reshape(-1, 5)
    meta = {'id': sample_id, 'dataset': 'toy', 'split': 'dev', 'video': f'{sample_id}.mp4',
            'language': 'de', 'text': f'text {sample_id}', 'gloss': ['A', 'B'], 'signer': 3,
            'fps': 25.0, 'width': 300, 'height': 300, 'num_frames': frames,
            'frame_indices': list(range(frames)), 'estimator': {'name': 't', 'version': '0'},
            'crop_size': crop_size}
    return {'id': sample_id, 'pose': pose, 'meta': meta,
            'left_hand': {'crops': crops, 'boxes': boxes},
            'right_hand': {'crops': crops[:0], 'boxes': boxes[:0]}}


@pytest.fixture
def written(tmp_path):
    rng = np.random.default_rng(1)
    samples = [_sample(f's{i}', rng, frames=5 + i) for i in range(4)]
    for shard, chunk in enumerate((samples[:3], samples[3:])):
        with ShardWriter(str(tmp_path / f'toy-dev-{shard:06d}.tar')) as writer:
            for sample in chunk:
                writer.write(sample)
            writer.finish()
    write_split_index(str(tmp_path), 'toy', 'dev', num_shards=2)
    return tmp_path, samples


def test_round_trip(written):
    out, samples = written
    index = load_split_index(str(out))
    assert [s.id for s in index] == [s['id'] for s in samples]
    assert index[0].meta == {'dataset': 'toy', 'split': 'dev', 'text': 'text s0',
                             'gloss': ['A', 'B'], 'language': 'de', 'signer': 3}
    for entry, sample in zip(index, samples):
        got = read_sample(entry)
        assert entry.num_frames == len(sample['pose'])
        assert got['pose'].dtype == np.float32 and got['pose'].shape == sample['pose'].shape
        np.testing.assert_allclose(got['pose'], sample['pose'], rtol=1e-3, atol=0.2)
        assert got['meta'] == sample['meta']
        left = got['left_hand']
        assert left['crops'].dtype == np.uint8 and left['crops'].shape == (3, 16, 16, 3)
        assert np.abs(left['crops'].astype(int) - sample['left_hand']['crops']).mean() < 3
        np.testing.assert_array_equal(left['boxes'], sample['left_hand']['boxes'])
        assert got['right_hand']['crops'].shape == (0, 16, 16, 3)
        assert got['right_hand']['boxes'].shape == (0, 5)
        lazy = read_sample(entry, with_crops=False)
        assert lazy['left_hand']['crops'] is None
        np.testing.assert_array_equal(lazy['left_hand']['boxes'], left['boxes'])


def test_index_offsets_point_at_member_data(written):
    out, _ = written
    tar_path = str(out / 'toy-dev-000000.tar')
    index = json.loads((out / 'toy-dev-000000.json').read_text())
    assert index['num_samples'] == 3 and index['num_frames'] == 5 + 6 + 7
    with tarfile.open(tar_path) as tar, open(tar_path, 'rb') as f:
        for entry in index['samples']:
            assert 'right_hand.jpg' not in entry['members']          # K = 0: no image
            for member, (offset, size, checksum) in entry['members'].items():
                f.seek(offset)
                data = f.read(size)
                assert data == tar.extractfile(f'{entry["id"]}.{member}').read()
                assert checksum == zlib.crc32(data)
    split = json.loads((out / 'toy-dev.index.json').read_text())
    assert split['num_samples'] == 4 and split['missing_shards'] == []


def test_writer_abort_leaves_nothing(tmp_path):
    rng = np.random.default_rng(0)
    with pytest.raises(RuntimeError):
        with ShardWriter(str(tmp_path / 'toy-dev-000000.tar')) as writer:
            writer.write(_sample('a', rng))
            raise RuntimeError('killed')
    assert os.listdir(tmp_path) == []


def test_split_index_lists_missing_shards(written):
    out, _ = written
    os.remove(out / 'toy-dev-000001.json')
    split = write_split_index(str(out), 'toy', 'dev', num_shards=2)
    assert split['missing_shards'] == ['toy-dev-000001.tar'] and split['num_samples'] == 3
    assert len(load_split_index(str(out / 'toy-dev.index.json'))) == 3


def test_load_split_index_errors_name_the_path(tmp_path):
    with pytest.raises(ShardFormatError, match='expected exactly one split index'):
        load_split_index(str(tmp_path), 'toy', 'dev')
    bad = tmp_path / 'toy-dev.index.json'
    bad.write_text('{"format": "unisign_fla-split/1", "shards": [{"shard": "x.tar", '
                   '"index": "x.json"}]}')
    with pytest.raises(ShardFormatError, match='x.json: shard index not found'):
        load_split_index(str(tmp_path))


def test_validate_accepts_written_shards(written):
    out, _ = written
    assert validate_shard(str(out / 'toy-dev-000000.tar')) == []
    assert main(['validate', str(out)]) == 0


def _npy(array, allow_pickle=False):
    buf = io.BytesIO()
    np.save(buf, array, allow_pickle=allow_pickle)
    return buf.getvalue()


def test_validate_reports_malformed_samples(tmp_path):
    rng = np.random.default_rng(2)
    good = _sample('good', rng)
    meta = json.dumps(good['meta']).encode()
    pose = _npy(good['pose'].astype(np.float16))
    jpg = cv2.imencode('.jpg', good['left_hand']['crops'].reshape(-1, 16, 3))[1].tobytes()
    tar_path = str(tmp_path / 'bad.tar')
    with TarWriter(tar_path, encoder=False) as writer:
        writer.write({'__key__': 'wrongshape', 'pose.npy': _npy(np.zeros((4, 17, 3), np.float16)),
                      'meta.json': meta})
        writer.write({'__key__': 'pickled', 'meta.json': meta,
                      'pose.npy': _npy(np.array([{'a': 1}], dtype=object), allow_pickle=True)})
        writer.write({'__key__': 'nometa', 'pose.npy': pose})
        writer.write({'__key__': 'badcrops', 'pose.npy': pose, 'meta.json': meta,
                      'left_hand.jpg': jpg,     # 3 crops in the image, 2 boxes
                      'left_hand_boxes.npy': _npy(good['left_hand']['boxes'][:2])})
        writer.write({'__key__': 'badboxes', 'pose.npy': pose, 'meta.json': meta,
                      'right_hand_boxes.npy': _npy(np.zeros((2, 4), np.float32))})
    problems = validate_shard(tar_path)
    text = '\n'.join(problems)
    assert all(p.startswith(tar_path) for p in problems)
    assert "sample 'wrongshape': member 'pose.npy': expected float16" in text
    assert "sample 'pickled': member 'pose.npy': not a plain .npy array" in text
    assert "sample 'nometa': member 'meta.json': missing" in text
    assert "sample 'badcrops': member 'left_hand.jpg'" in text and 'K * S = 2 * 16' in text
    assert "sample 'badboxes': member 'right_hand_boxes.npy': expected float32 (K, 5)" in text
    assert 'no index bad.json (unfinished)' in text
    assert main(['validate', tar_path]) == 1


def test_validate_catches_stale_index(written):
    out, _ = written
    index_path = out / 'toy-dev-000000.json'
    index = json.loads(index_path.read_text())
    index['samples'][1]['members']['pose.npy'][0] += 512
    index_path.write_text(json.dumps(index))
    problems = validate_shard(str(out / 'toy-dev-000000.tar'))
    assert problems == [f"{index_path}: sample 's1': member 'pose.npy': [offset, size] does not "
                        f"match the tar"]
    assert tar_member_offsets(str(out / 'toy-dev-000000.tar'))['s1.pose.npy'] != \
        tuple(index['samples'][1]['members']['pose.npy'][:2])


def _pose_data_span(out, shard, sample_index):
    """``(offset, size)`` of the array data of a sample's pose.npy (after the .npy header)."""
    entry = json.loads((out / f'{shard}.json').read_text())['samples'][sample_index]
    offset, size = entry['members']['pose.npy'][:2]
    with open(out / f'{shard}.tar', 'rb') as f:
        f.seek(offset + 8)
        header = 10 + int.from_bytes(f.read(2), 'little')
    return offset + header, size - header


def _overwrite(path, offset, data):
    with open(path, 'r+b') as f:
        f.seek(offset)
        f.write(data)


def test_random_bytes_over_pose_data_are_caught(written):
    """The issue: random bytes over one sample's keypoints gave NaN losses, and validate said
    ok. The index's CRC-32 now names the shard, the sample and the member."""
    out, _ = written
    tar_path = out / 'toy-dev-000000.tar'
    offset, size = _pose_data_span(out, 'toy-dev-000000', 1)
    _overwrite(tar_path, offset, np.random.default_rng(0).bytes(size))
    problems = validate_shard(str(tar_path))
    assert f"{tar_path}: sample 's1': member 'pose.npy': CRC-32" in '\n'.join(problems)
    assert main(['validate', str(out)]) == 1
    samples = load_split_index(str(out))
    with pytest.raises(ShardFormatError, match=re.escape(f"{tar_path}: sample 's1': member "
                                                         f"'pose.npy': CRC-32")):
        read_sample(samples[1])
    read_sample(samples[0]), read_sample(samples[2])          # the neighbours are intact
    # A damaged JPEG is caught the same way, when crops are read.
    offset, size, _ = json.loads((out / 'toy-dev-000000.json').read_text())['samples'][2][
        'members']['left_hand.jpg']
    _overwrite(tar_path, offset + size // 2, b'\0' * 16)
    assert read_sample(samples[2], with_crops=False)['left_hand']['crops'] is None
    with pytest.raises(ShardFormatError, match="sample 's2': member 'left_hand.jpg': CRC-32"):
        read_sample(samples[2])


def _as_version_1(index_path):
    """Rewrite a shard index as format 1 wrote it: no checksums."""
    index = json.loads(index_path.read_text())
    index['format'] = 'unisign_fla-shard/1'
    for entry in index['samples']:
        entry['members'] = {name: position[:2] for name, position in entry['members'].items()}
    index_path.write_text(json.dumps(index))


def test_version_1_indices_are_read_and_the_keypoint_check_still_applies(written, capsys):
    out, _ = written
    _as_version_1(out / 'toy-dev-000000.json')
    samples = load_split_index(str(out))
    assert samples[0].members['pose.npy'][2] is None
    read_sample(samples[0])
    assert validate_shard(str(out / 'toy-dev-000000.tar')) == []
    assert main(['validate', str(out)]) == 0
    printed = capsys.readouterr().out
    assert 'toy-dev-000000.tar: ok' in printed and \
        'format unisign_fla-shard/1 has no member checksums' in printed
    # Without a checksum, the damage of the issue is still refused by the keypoint check.
    offset, size = _pose_data_span(out, 'toy-dev-000000', 1)
    _overwrite(out / 'toy-dev-000000.tar', offset, np.random.default_rng(0).bytes(size))
    with pytest.raises(ShardFormatError, match=r"toy-dev-000000.tar: sample 's1': pose.npy: "
                                               r"\d+ non-finite values"):
        read_sample(samples[1])
    assert "sample 's1': member 'pose.npy': " in '\n'.join(
        validate_shard(str(out / 'toy-dev-000000.tar')))


def test_pose_problem_margins():
    pose = np.zeros((2, 133, 3), np.float32)
    pose[..., 0], pose[..., 1], pose[..., 2] = 50, 40, 0.9
    assert pose_problem(pose, 100, 80) is None
    slightly_out = pose.copy()
    slightly_out[0, :5, :2] = [-99, 159]           # just past the edge: real estimators do this
    assert pose_problem(slightly_out, 100, 80) is None
    hidden = pose.copy()
    hidden[0, 15:17] = [50, 300, 0.05]             # MediaPipe's extrapolated ankles, low score
    assert pose_problem(hidden, 100, 80) is None
    far = pose.copy()
    far[1, 3, 0] = 201
    assert '1 points scoring above 0.3 lie outside [-W, 2W] x [-H, 2H]' in \
        pose_problem(far, 100, 80)
    far[1, 3, 0] = -101
    assert 'outside' in pose_problem(far, 100, 80)
    broken = pose.copy()
    broken[0, 0, 0], broken[1, 1, 1] = np.nan, np.inf
    assert pose_problem(broken, 100, 80) == '2 non-finite values (NaN or inf)'
    negative = pose.copy()
    negative[0, 0, 2] = -0.5
    assert pose_problem(negative, 100, 80) == '1 negative scores'
    assert 'not a positive number' in pose_problem(pose, 0, 80)
    assert 'not a positive number' in pose_problem(pose, None, 80)
    assert 'shape (2, 17, 3)' in pose_problem(pose[:, :17], 100, 80)


def test_keypoints_far_out_of_frame_are_refused_on_read(tmp_path):
    sample = _sample('far', np.random.default_rng(3))
    sample['pose'][2, 10] = [5 * 300, 10, 0.9]      # a confident point five frames to the right
    tar_path = tmp_path / 'toy-dev-000000.tar'
    with ShardWriter(str(tar_path)) as writer:
        writer.write(sample)
        writer.finish()
    write_split_index(str(tmp_path), 'toy', 'dev', num_shards=1)
    with pytest.raises(ShardFormatError, match=re.escape(f"{tar_path}: sample 'far': pose.npy: 1 "
                                                         f"points scoring above 0.3 lie outside")):
        read_sample(load_split_index(str(tmp_path))[0])
    assert validate_shard(str(tar_path)) == [
        f"{tar_path}: sample 'far': member 'pose.npy': 1 points scoring above 0.3 lie outside "
        f"[-W, 2W] x [-H, 2H] of the 300x300 frame, e.g. (1500, 10)"]


def test_binary_or_malformed_index_files_are_one_error_naming_the_file(written):
    out, _ = written
    shard_index = out / 'toy-dev-000001.json'
    shard_index.write_bytes(np.random.default_rng(0).bytes(300) + b'\xff')
    with pytest.raises(ShardFormatError, match=re.escape(f'{shard_index}: shard index is not '
                                                         f'UTF-8 text')):
        load_split_index(str(out))
    assert f'{shard_index}: malformed shard index ({shard_index}: shard index is not UTF-8' in \
        validate_shard(str(out / 'toy-dev-000001.tar'))[0]
    split_index = out / 'toy-dev.index.json'
    for content, message in ((b'\x80\x81binary', 'split index is not UTF-8 text'),
                             (b'[1, 2]', 'split index is a JSON list, expected an object'),
                             (b'{"format": "unisign_fla-split/1", "shards": 3}',
                              'expected a split index with "format"')):
        split_index.write_bytes(content)
        with pytest.raises(ShardFormatError, match=re.escape(f'{split_index}: {message}')):
            load_split_index(str(split_index))
    for name in ('../../elsewhere.json', '/etc/passwd', 'a/b.json', '.hidden.json'):
        split_index.write_text(json.dumps({'format': 'unisign_fla-split/1', 'shards': [
            {'shard': 'toy-dev-000000.tar', 'index': name}]}))
        with pytest.raises(ShardFormatError, match=re.escape(f'{split_index}: shards[0] is '
                                                             f'malformed (index = {name!r}')):
            load_split_index(str(split_index))


def test_writer_replaces_a_planted_temporary_instead_of_writing_through_it(tmp_path):
    victim = tmp_path / 'victim.bin'
    victim.write_bytes(b'precious')
    (tmp_path / 'out').mkdir()
    os.symlink(victim, tmp_path / 'out' / 'toy-dev-000000.tar.tmp')
    with ShardWriter(str(tmp_path / 'out' / 'toy-dev-000000.tar')) as writer:
        writer.write(_sample('a', np.random.default_rng(0)))
        writer.finish()
    assert victim.read_bytes() == b'precious'
    assert sorted(os.listdir(tmp_path / 'out')) == ['toy-dev-000000.json', 'toy-dev-000000.tar']


def test_unreadable_meta_without_checksums_is_a_shard_format_error(written):
    out, _ = written
    _as_version_1(out / 'toy-dev-000000.json')
    entry = json.loads((out / 'toy-dev-000000.json').read_text())['samples'][0]
    offset, size = entry['members']['meta.json']
    _overwrite(out / 'toy-dev-000000.tar', offset, b'\xff' * size)
    with pytest.raises(ShardFormatError, match=r"sample 's0': meta.json: not a JSON object"):
        read_sample(load_split_index(str(out))[0])
    problems = validate_shard(str(out / 'toy-dev-000000.tar'))
    assert len(problems) == 1 and problems[0].count("sample 's0'") == 1
    assert "sample 's0': member 'meta.json': not a JSON object" in problems[0]


def test_a_current_index_without_checksums_is_refused(written):
    """Dropping the CRC from a format-2 entry must not switch the loader's check off."""
    out, _ = written
    path = out / 'toy-dev-000000.json'
    index = json.loads(path.read_text())
    index['samples'][1]['members']['pose.npy'] = index['samples'][1]['members']['pose.npy'][:2]
    path.write_text(json.dumps(index))
    with pytest.raises(ShardFormatError, match=r'toy-dev-000000\.json: samples\[1\] is '
                                               r'malformed .*\[offset, size, crc32\]'):
        load_split_index(str(out))
    problems = validate_shard(str(out / 'toy-dev-000000.tar'))
    assert any('malformed shard index' in p for p in problems)
