"""Every kind of bad input fails alone, with its reason in failures.jsonl, and the job goes on;
the exit status turns non-zero only past --max-failure-rate. Also: a job killed at a random
moment and re-run holds every sample exactly once."""
import json
import os
import pickle
import signal
import subprocess
import sys
import time

import cv2
import numpy as np

from tests.scripts import load_tool
from unisign_fla.formats.shard_index import load_split_index
from unisign_fla.formats.shards import read_sample, validate_shard

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
extract_pose = load_tool('extract_pose')


def _record(clip_id, video, **fields):
    return dict({'id': clip_id, 'dataset': 'toy', 'split': 'test', 'video': video,
                 'language': 'en', 'text': 'x'}, **fields)


def _reasons(out):
    """Failure reasons by clip id, from the job's failures.jsonl."""
    return {f['id']: f['reason']
            for f in map(json.loads, (out / 'failures.jsonl').read_text().splitlines())}


def _write(path, frames_bgr, fourcc='mp4v'):
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*fourcc), 25,
                             (frames_bgr.shape[2], frames_bgr.shape[1]))
    for frame in frames_bgr:
        writer.write(frame)
    writer.release()


def test_each_bad_input_is_logged_and_the_job_carries_on(tmp_path, helpers, onnx_models):
    root = tmp_path / 'videos'
    root.mkdir()
    good = helpers.smooth_frames(10, seed=1)[..., ::-1]
    _write(str(root / 'good.mp4'), good)
    _write(str(root / 'one_frame.mp4'), good[:1])
    _write(str(root / 'no_person.mp4'), np.zeros((6, 48, 64, 3), np.uint8))
    (root / 'zero.mp4').write_bytes(b'')
    (root / 'notes.mp4').write_text('this is not a video\n')
    _write(str(root / 'cut.avi'), good.repeat(4, axis=0), fourcc='MJPG')     # 40 frames
    data = (root / 'cut.avi').read_bytes()
    (root / 'cut.avi').write_bytes(data[:len(data) // 2])
    big = np.full((3, 2160, 3840, 3), 200, np.uint8)                         # 23.7 MiB a frame
    _write(str(root / 'big3.mp4'), big)
    _write(str(root / 'big1.mp4'), big[:1])
    records = [_record('good', 'good.mp4'), _record('one_frame', 'one_frame.mp4'),
               _record('no_person', 'no_person.mp4'), _record('zero', 'zero.mp4'),
               _record('notes', 'notes.mp4'), _record('cut', 'cut.avi'),
               _record('big3', 'big3.mp4'), _record('big1', 'big1.mp4'),
               _record('late', 'good.mp4', start=50, end=60, time_unit='frame'),
               _record('overlong', 'good.mp4', start=4, end=30, time_unit='frame'),
               _record('missing', 'missing.mp4')]
    manifest = helpers.write_jsonl(str(tmp_path / 'manifest.jsonl'), records)
    out = tmp_path / 'out'
    argv = ['--manifest', manifest, '--video-root', str(root), '--out', str(out),
            '--backend', 'rtmpose', '--crop-size', '16', '--max-clip-gib', '0.05',
            '--backend-args', json.dumps({'pose_model': onnx_models['spot'],
                                          'detector': onnx_models['dot_person'],
                                          'detect_interval': 4})]
    assert extract_pose.main(argv + ['--max-failure-rate', '0.5']) == 1     # 7 of 11 failed
    reasons = _reasons(out)
    assert set(reasons) == {'no_person', 'zero', 'notes', 'cut', 'big3', 'late', 'missing'}
    assert 'no_person.mp4: no person detected on any of 3 keyframes' in reasons['no_person']
    assert 'zero.mp4: OpenCV cannot open the video' in reasons['zero']
    assert 'notes.mp4: OpenCV cannot open the video' in reasons['notes']
    assert 'cut.avi: truncated or corrupt: the container lists 40 frames' in reasons['cut']
    assert 'big3.mp4: 3 frames of 3840x2160 need 0.07 GiB' in reasons['big3']
    assert 'segment starts at frame 50 but the video has only 10 frames' in reasons['late']
    assert 'missing.mp4: video file not found' in reasons['missing']
    samples = {s.id: read_sample(s) for s in load_split_index(str(out), 'toy', 'test')}
    assert list(samples) == ['good', 'one_frame', 'big1', 'overlong']
    assert [len(s['pose']) for s in samples.values()] == [10, 1, 1, 6]
    assert samples['overlong']['meta']['frame_indices'] == list(range(4, 10))
    assert 'past the last frame; clipped to 10' in samples['overlong']['meta']['warnings'][0]
    np.testing.assert_allclose(samples['big1']['meta']['width'], 3840)
    assert extract_pose.main(argv + ['--max-failure-rate', '0.7']) == 0     # finished: reused


def test_each_bad_keypoint_file_is_logged_and_the_job_carries_on(tmp_path, helpers):
    rng = np.random.default_rng(0)
    root = tmp_path / 'data'
    records = [helpers.make_clip(str(root), f'c{i}', 6, rng, seed=i) for i in range(10)]
    videos = root / 'videos'
    data = (videos / 'c1.npy').read_bytes()
    (videos / 'c1.npy').write_bytes(data[:len(data) // 2])                  # truncated
    (videos / 'c2.npy').write_bytes(b'')                                    # empty
    np.save(videos / 'c3.npy', np.zeros((6, 17, 3), np.float32))            # wrong shape
    (videos / 'c4.pkl').write_bytes(np.random.default_rng(1).bytes(64))      # garbage pickle
    (videos / 'c5.pkl').write_bytes(pickle.dumps({'keypoints': 5, 'scores': 5}))
    np.save(videos / 'c6.npy', np.full((6, 133, 3), np.nan, np.float32))     # NaN
    far = helpers.random_pose(6, rng)
    far[2, 0] = [640, 24, 0.9]                   # a confident nose ten frame widths away
    np.save(videos / 'c7.npy', far)
    huge = helpers.random_pose(6, rng)
    huge[1, 5] = [1e5, 24, 0.1]                  # finite in float32, inf once stored as float16
    np.save(videos / 'c8.npy', huge)
    records[4]['keypoints'], records[5]['keypoints'] = 'videos/c4.pkl', 'videos/c5.pkl'
    manifest = helpers.write_jsonl(str(tmp_path / 'm.jsonl'), records)
    out = tmp_path / 'out'
    assert extract_pose.main(['--manifest', manifest, '--video-root', str(root), '--out',
                              str(out), '--crop-size', '16', '--samples-per-shard', '4',
                              '--max-failure-rate', '0.85']) == 0
    expected = {'c1': 'c1.npy: not a plain .npy array',
                'c2': 'c2.npy: unreadable .npy keypoint file (EOFError',
                'c3': 'c3.npy: expected a float (T, 133, 3) array',
                'c4': 'c4.pkl: not a readable pickle',
                'c5': 'c5.pkl: unreadable .pkl keypoint file (TypeError',
                'c6': "unusable keypoints for clip 'c6': 2394 non-finite values",
                'c7': "unusable keypoints for clip 'c7': 1 points scoring above 0.3 lie outside",
                'c8': "unusable keypoints for clip 'c8': 1 non-finite values"}
    reasons = _reasons(out)
    assert set(reasons) == set(expected)
    for clip_id, reason in expected.items():
        assert reason in reasons[clip_id], reasons[clip_id]
    assert [s.id for s in load_split_index(str(out), 'toy', 'train')] == ['c0', 'c9']


def test_killed_job_resumes_with_every_sample_exactly_once(tmp_path, helpers):
    rng = np.random.default_rng(0)
    root = str(tmp_path / 'data')
    records = [helpers.make_clip(root, f'c{i:03d}', 8, rng, seed=i % 5) for i in range(90)]
    manifest = helpers.write_jsonl(str(tmp_path / 'm.jsonl'), records)
    out = tmp_path / 'out'
    command = [sys.executable, os.path.join(REPO, 'tools', 'extract_pose.py'), '--manifest',
               manifest, '--video-root', root, '--out', str(out), '--crop-size', '16',
               '--samples-per-shard', '3', '--threads', '1']
    job = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           cwd=REPO)
    deadline = time.time() + 120
    while time.time() < deadline and job.poll() is None:
        if out.exists() and len([n for n in os.listdir(out) if n.endswith('.json')]) >= 3:
            break
        time.sleep(0.02)
    assert job.poll() is None, 'the job ended before it could be killed'
    job.send_signal(signal.SIGKILL)
    job.wait()
    finished = [n for n in os.listdir(out) if n.endswith('.json')]
    assert 3 <= len(finished) < 30 and not (out / 'toy-train.index.json').exists()
    assert extract_pose.main(command[2:]) == 0
    names = os.listdir(out)
    assert not any('.tmp' in n for n in names)
    assert all(validate_shard(str(out / n)) == [] for n in names if n.endswith('.tar'))
    ids = [s.id for s in load_split_index(str(out), 'toy', 'train')]
    assert ids == [r['id'] for r in records]
