import io
import json
import os
import tarfile
import zlib

import cv2
import numpy as np
import pytest
from webdataset import TarWriter

from unisign_fla.formats.shard_index import (ShardFormatError, load_split_index,
                                             tar_member_offsets, write_split_index)
from unisign_fla.formats.shards import ShardWriter, main, read_sample, validate_shard


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
