import json
import os
import socket
import subprocess
import sys
import time

import numpy as np
import pytest

from tests.scripts import load_tool
from unisign_fla.extraction.backends import PoseEstimationError, PrecomputedBackend
from unisign_fla.extraction.backends.base import ClipContext
from unisign_fla.extraction.hand_crops import cut_crop
from unisign_fla.extraction.job import ExtractionConfig, ExtractionJob, plan_shards, resolve_worker
from unisign_fla.extraction.video_reader import read_clip
from unisign_fla.formats.shard_index import load_split_index
from unisign_fla.formats.shards import read_sample, validate_shard
from unisign_fla.keypoints import HANDS
from unisign_fla.registry import POSE_BACKENDS

extract_pose = load_tool('extract_pose')


def _config(manifest, root, out, **kwargs):
    kwargs.setdefault('crop_size', 24)
    kwargs.setdefault('samples_per_shard', 3)
    return ExtractionConfig(manifest=manifest, video_root=root, out=str(out), **kwargs)


def _shard_files(out):
    return sorted(n for n in os.listdir(out) if n.startswith('toy-train-'))


def test_round_trip_through_the_job(toy_dataset, tmp_path):
    manifest, root, records = toy_dataset
    summary = ExtractionJob(_config(manifest, root, tmp_path / 'out')).run()
    assert (summary.clips, summary.failures, summary.shards_written) == (7, 0, 3)
    assert summary.frames == sum(6 + i for i in range(7))
    samples = load_split_index(str(tmp_path / 'out'), 'toy', 'train')
    assert [s.id for s in samples] == [r['id'] for r in records]
    assert samples[0].meta['text'] == 'sentence clip0' and samples[0].meta['signer'] == 1
    for entry, record in zip(samples, records):
        got = read_sample(entry)
        expected = np.load(os.path.join(root, record['keypoints'])).astype(np.float32)
        np.testing.assert_allclose(got['pose'], expected, rtol=1e-3)
        meta = got['meta']
        assert meta['estimator'] == {'name': 'precomputed', 'version': '1'}
        assert (meta['fps'], meta['width'], meta['height'], meta['crop_size']) == (25, 64, 48, 24)
        assert meta['frame_indices'] == list(range(len(expected)))
        frames = read_clip(os.path.join(root, record['video'])).frames
        for hand in HANDS:
            crops, boxes = got[hand]['crops'], got[hand]['boxes']
            assert len(crops) == len(boxes) > 0
            for crop, box in zip(crops, boxes):
                reference = cut_crop(frames[int(box[0])], box[1:].astype(int), 24)
                shifted = cut_crop(frames[int(box[0])], box[1:].astype(int) + 4, 24)
                error = np.abs(crop.astype(int) - reference).mean()
                assert error < 4 and error < np.abs(crop.astype(int) - shifted).mean()
    assert 3 not in read_sample(samples[0])['left_hand']['boxes'][:, 0]   # unconfident frame
    assert all(validate_shard(str(tmp_path / 'out' / n)) == []
               for n in _shard_files(tmp_path / 'out') if n.endswith('.tar'))
    assert (tmp_path / 'out' / 'failures.jsonl').read_text() == ''


def test_failures_are_logged_and_the_job_continues(toy_dataset, tmp_path, helpers):
    manifest, root, records = toy_dataset
    rng = np.random.default_rng(5)
    open(os.path.join(root, 'videos', 'clip1.mp4'), 'wb').close()            # zero bytes
    os.remove(os.path.join(root, 'videos', 'clip2.npy'))                      # no keypoints
    np.save(os.path.join(root, 'videos', 'clip3.npy'),                        # row mismatch
            helpers.random_pose(4, rng).astype(np.float16))
    bad_line = json.dumps({'id': 'bad.id', 'dataset': 'toy', 'split': 'train', 'video': 'x',
                           'language': 'en', 'text': 't'})
    helpers.write_jsonl(manifest, records[:4] + [bad_line] + records[4:])
    out = tmp_path / 'out'
    argv = ['--manifest', manifest, '--video-root', root, '--out', str(out),
            '--crop-size', '24', '--samples-per-shard', '3']
    assert extract_pose.main(argv) == 1                                       # 4/8 failed
    failures = [json.loads(line) for line in (out / 'failures.jsonl').read_text().splitlines()]
    by_id = {f['id']: f for f in failures}
    assert set(by_id) == {'clip1', 'clip2', 'clip3', 'bad.id'}
    assert 'OpenCV cannot open' in by_id['clip1']['reason']
    assert 'clip2.npy: keypoint file not found' in by_id['clip2']['reason']
    assert '4 keypoint rows, but the clip has 9 frames' in by_id['clip3']['reason']
    assert by_id['bad.id']['manifest_line'] == 5 and 'bad.id' in by_id['bad.id']['reason']
    assert by_id['clip1']['video'] == 'videos/clip1.mp4'
    ids = [s.id for s in load_split_index(str(out))]
    assert ids == ['clip0', 'clip4', 'clip5', 'clip6']
    # Same outcome under a lenient threshold: the exit status honours --max-failure-rate.
    assert extract_pose.main(argv + ['--max-failure-rate', '0.6']) == 0
    assert len((out / 'failures.jsonl').read_text().splitlines()) == 4       # not duplicated


def test_resume_redoes_only_unfinished_shards(toy_dataset, tmp_path):
    manifest, root, records = toy_dataset
    out = tmp_path / 'out'
    cfg = _config(manifest, root, out)
    ExtractionJob(cfg).run()
    finished_mtime = os.path.getmtime(out / 'toy-train-000000.tar')
    os.remove(out / 'toy-train-000001.json')                  # killed before its index
    os.remove(out / 'toy-train-000002.json')                  # killed while writing
    os.remove(out / 'toy-train-000002.tar')
    (out / 'toy-train-000002.tar.tmp').write_bytes(b'half a tar')
    os.remove(out / 'toy-train.index.json')
    summary = ExtractionJob(cfg).run()
    assert (summary.shards_skipped, summary.shards_written, summary.clips) == (1, 2, 4)
    assert os.path.getmtime(out / 'toy-train-000000.tar') == finished_mtime
    assert not any(n.endswith('.tmp') for n in os.listdir(out))
    ids = [s.id for s in load_split_index(str(out))]
    assert ids == [r['id'] for r in records]                  # every sample exactly once


def test_workers_split_without_overlap_or_gap(toy_dataset, tmp_path, monkeypatch):
    manifest, root, records = toy_dataset
    out = tmp_path / 'out'
    seen = []
    for worker in (1, 0):
        job = ExtractionJob(_config(manifest, root, out, samples_per_shard=2, num_workers=2,
                                    worker_index=worker))
        seen.append([r['id'] for p in job.mine for r in p.records])
        job.run()
        if worker == 1:    # worker 0's shards are missing: no split index yet
            assert not (out / 'toy-train.index.json').exists()
    assert not set(seen[0]) & set(seen[1])
    assert sorted(seen[0] + seen[1]) == sorted(r['id'] for r in records)
    assert [s.id for s in load_split_index(str(out))] == [r['id'] for r in records]
    monkeypatch.setenv('WORLD_SIZE', '4')
    monkeypatch.setenv('RANK', '3')
    assert resolve_worker(None, None) == (4, 3)
    monkeypatch.delenv('WORLD_SIZE')
    monkeypatch.delenv('RANK')
    monkeypatch.setenv('SLURM_NTASKS', '2')
    monkeypatch.setenv('SLURM_PROCID', '1')
    assert resolve_worker(None, None) == (2, 1)
    with pytest.raises(ValueError, match='worker index 2 is not in 0..1'):
        resolve_worker(2, 2)


def test_merge_index_lists_finished_shards(toy_dataset, tmp_path):
    manifest, root, _ = toy_dataset
    out = tmp_path / 'out'
    ExtractionJob(_config(manifest, root, out, num_workers=3, worker_index=0)).run()
    argv = ['--manifest', manifest, '--video-root', root, '--out', str(out),
            '--samples-per-shard', '3', '--merge-index']
    assert extract_pose.main(argv) == 0
    split = json.loads((out / 'toy-train.index.json').read_text())
    assert split['num_shards'] == 1 and split['missing_shards'] == ['toy-train-000001.tar',
                                                                    'toy-train-000002.tar']


def test_no_crops_and_plan_order(toy_dataset, tmp_path):
    manifest, root, records = toy_dataset
    out = tmp_path / 'out'
    ExtractionJob(_config(manifest, root, out, crops=False)).run()
    got = read_sample(load_split_index(str(out))[0])
    assert got['meta']['crop_size'] is None
    assert got['left_hand']['boxes'].shape == (0, 5) and got['left_hand']['crops'].shape[0] == 0
    mixed = [dict(r, split='dev' if i % 2 else 'train') for i, r in enumerate(records)]
    plans = plan_shards(mixed, samples_per_shard=3)
    assert [(p.split, p.index, len(p.records)) for p in plans] == \
        [('train', 0, 3), ('train', 1, 1), ('dev', 0, 3)]


def test_precomputed_backend_contract(tmp_path, helpers):
    backend = POSE_BACKENDS.build(dict(type='precomputed'))
    assert isinstance(backend, PrecomputedBackend) and not backend.needs_frames
    context = ClipContext(str(tmp_path), 'v.mp4', 25.0, 64, 48, list(range(3)))
    np.save(tmp_path / 'obj.npy', np.array([None, 1], dtype=object), allow_pickle=True)
    with pytest.raises(PoseEstimationError, match='not a plain .npy'):
        backend.estimate(None, {'id': 'a', 'keypoints': 'obj.npy'}, context)
    with pytest.raises(PoseEstimationError, match="no importer for '.json'"):
        backend.estimate(None, {'id': 'a', 'keypoints': 'x.json'}, context)
    with pytest.raises(PoseEstimationError, match="has no 'keypoints' field"):
        backend.estimate(None, {'id': 'a'}, context)
    pose = helpers.random_pose(3, np.random.default_rng(0))
    np.save(tmp_path / 'ok.npy', pose)
    np.testing.assert_array_equal(
        backend.estimate(None, {'id': 'a', 'keypoints': 'ok.npy'}, context), pose)


def _ended_pid() -> int:
    return int(subprocess.run([sys.executable, '-c', 'import os; print(os.getpid())'],
                              capture_output=True, text=True, check=True).stdout)


def test_a_rerun_removes_orphan_temporaries_but_not_live_writes(toy_dataset, tmp_path):
    """Temporary files of killed runs go at the next run; those that another worker (on this
    host or another) may be writing right now stay. Two workers: shards 0 and 2 are worker
    0's, shard 1 is worker 1's."""
    manifest, root, _ = toy_dataset
    out = tmp_path / 'out'
    configs = [_config(manifest, root, out, num_workers=2, worker_index=w) for w in (0, 1)]
    for cfg in configs:
        ExtractionJob(cfg).run()
    os.remove(out / 'toy-train-000001.json')     # worker 1 killed while finishing shard 1
    os.remove(out / 'toy-train-000002.json')     # worker 0 killed while finishing shard 2
    host, ended, now = socket.gethostname(), _ended_pid(), time.time()
    orphans = ['toy-train-000000.tar.tmp', f'toy-train-000000.json.tmp.{host}.{ended}',
               'toy-train-000002.tar.tmp', 'toy-train-000002.json.tmp.other-host.5',
               f'toy-train.index.json.tmp.{host}.{ended}', f'failures.jsonl.tmp{ended}',
               'failures.jsonl.tmp.other-host.7']
    worker_1s = ['toy-train-000001.tar.tmp', f'toy-train-000001.json.tmp.{host}.{ended}']
    live = [f'failures.jsonl.tmp.{host}.{os.getppid()}', 'toy-train.index.json.tmp.other-host.8']
    for name in orphans + worker_1s + live:
        (out / name).write_bytes(b'partial')
    for name in (f'failures.jsonl.tmp{ended}', 'failures.jsonl.tmp.other-host.7'):
        os.utime(out / name, (now - 7200, now - 7200))              # two hours old
    ExtractionJob(configs[0]).run()
    assert sorted(n for n in os.listdir(out) if '.tmp' in n) == sorted(worker_1s + live)
    ExtractionJob(configs[1]).run()
    assert sorted(n for n in os.listdir(out) if '.tmp' in n) == sorted(live)
    assert [s.id for s in load_split_index(str(out))] == [f'clip{i}' for i in range(7)]
