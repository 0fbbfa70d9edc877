"""Readers of keypoints computed elsewhere (unisign_fla.formats.keypoint_files): Uni-Sign's
released pose pickles and ``.pose`` files, down to the shards that ``--backend precomputed``
writes from them."""
import os
import pickle

import numpy as np
import pytest

from unisign_fla.extraction.backends import PoseEstimationError, PrecomputedBackend
from unisign_fla.extraction.backends.base import ClipContext
from unisign_fla.formats.keypoint_files import ClipFrames, KeypointFileError, read_keypoint_file
from unisign_fla.formats.keypoint_files.holistic_to_wholebody import (
    MESH_TO_FACE68,
    holistic_to_wholebody,
)
from unisign_fla.keypoints import FACE, INDEX, LEFT_HAND

WIDTH, HEIGHT = 64, 48


def context(root, frame_indices, width=WIDTH, height=HEIGHT):
    return ClipContext(str(root), 'video.mp4', 25.0, width, height, list(frame_indices))


def unisign_pose(num_frames, people=1, seed=0):
    """Per-frame lists as Uni-Sign's pose_extraction.py writes them: (N, 133, 2) of x / W,
    y / H and (N, 133) scores; person 0 is the signer."""
    rng = np.random.default_rng(seed)
    return {'keypoints': [rng.uniform(0, 1, (people, 133, 2)).astype(np.float32)
                          for _ in range(num_frames)],
            'scores': [rng.uniform(0, 1.2, (people, 133)).astype(np.float32)
                       for _ in range(num_frames)]}


def save_pickle(path, value):
    path.write_bytes(pickle.dumps(value))
    return path.name


def test_unisign_pickle_back_to_pixels(tmp_path):
    backend = PrecomputedBackend()
    pose = unisign_pose(5, people=2)
    name = save_pickle(tmp_path / 'clip.pkl', pose)
    keypoints = backend.estimate(None, {'id': 'c', 'keypoints': name}, context(tmp_path, range(5)))
    assert keypoints.shape == (5, 133, 3) and keypoints.dtype == np.float32
    np.testing.assert_allclose(keypoints[:, :, :2],
                               np.stack(pose['keypoints'])[:, 0] * [WIDTH, HEIGHT], rtol=1e-6)
    np.testing.assert_allclose(keypoints[:, :, 2], np.clip(np.stack(pose['scores'])[:, 0], 0, 1))
    # stacked arrays work too; coordinates are pixels of the video as decoded (here resized
    # from the w_h it was estimated on), and a w_h of another shape is refused
    stacked = {'keypoints': np.stack(pose['keypoints']), 'scores': np.stack(pose['scores']),
               'w_h': (1280, 960)}
    name = save_pickle(tmp_path / 'stacked.pkl', stacked)
    keypoints = backend.estimate(None, {'id': 'c', 'keypoints': name}, context(tmp_path, range(5)))
    np.testing.assert_allclose(keypoints[:, :, :2], stacked['keypoints'][:, 0] * [WIDTH, HEIGHT],
                               rtol=1e-6)
    stacked['w_h'] = (1280, 720)
    name = save_pickle(tmp_path / 'wide.pkl', stacked)
    with pytest.raises(PoseEstimationError, match=r'wide.pkl: w_h 1280x720 does not match the '
                                                  r'shape of video.mp4 \(64x48\)'):
        backend.estimate(None, {'id': 'c', 'keypoints': name}, context(tmp_path, range(5)))


def test_unisign_pickle_whole_video_with_start_end(tmp_path):
    """Rows cover the whole video and start/end mark the clip: the manifest's segment picks
    its source frames, and a segment outside start/end is refused."""
    backend = PrecomputedBackend()
    pose = dict(unisign_pose(20), start=5, end=12)
    name = save_pickle(tmp_path / 'video.pkl', pose)
    record = {'id': 'c', 'keypoints': name, 'start': 5, 'end': 12, 'time_unit': 'frame'}
    keypoints = backend.estimate(None, record, context(tmp_path, range(5, 12)))
    np.testing.assert_allclose(keypoints[:, 0, :2],
                               np.stack(pose['keypoints'][5:12])[:, 0, 0] * [WIDTH, HEIGHT])
    with pytest.raises(PoseEstimationError, match=r'holds frames 5..11 as its clip, but the '
                                                  r'manifest asks for frames 0..19'):
        backend.estimate(None, {'id': 'c', 'keypoints': name}, context(tmp_path, range(20)))


def test_keypoint_files_of_a_whole_video_serve_its_segments(tmp_path):
    backend = PrecomputedBackend()
    pose = np.random.default_rng(0).uniform(0, 1, (30, 133, 3)).astype(np.float32)
    np.save(tmp_path / 'whole.npy', pose)
    segment = {'id': 's', 'keypoints': 'whole.npy', 'start': 10, 'end': 14, 'time_unit': 'frame'}
    np.testing.assert_array_equal(
        backend.estimate(None, segment, context(tmp_path, range(10, 14))), pose[10:14])
    with pytest.raises(PoseEstimationError, match=r"30 keypoint rows, but the clip has 4 "
                                                  r"frames .*the clip's frames$"):
        backend.estimate(None, {'id': 's', 'keypoints': 'whole.npy'},
                         context(tmp_path, range(4)))


def test_bad_unisign_pickles_are_named(tmp_path):
    backend = PrecomputedBackend()
    cases = {
        'evil.pkl': ({'keypoints': [os.system], 'scores': []}, 'refuses to load posix.system'),
        'keys.pkl': ({'kp': []}, "expected a Uni-Sign pose dict with 'keypoints' and 'scores', "
                                 "found \\['kp'\\]"),
        'shape.pkl': ({'keypoints': [np.zeros((1, 17, 2))] * 2, 'scores': [np.zeros((1, 17))] * 2},
                      r'keypoints\[0\] has shape \(1, 17, 2\), expected \(people, 133, 2\)'),
        'count.pkl': ({'keypoints': [np.zeros((1, 133, 2))] * 2, 'scores': []},
                      '2 keypoint frames but 0 score frames'),
    }
    for name, (value, message) in cases.items():
        save_pickle(tmp_path / name, value)
        with pytest.raises(PoseEstimationError, match=f'{name}: {message}'):
            backend.estimate(None, {'id': 'c', 'keypoints': name}, context(tmp_path, range(2)))


def test_a_frame_with_nobody_scores_zero(tmp_path):
    pose = unisign_pose(3)
    pose['keypoints'][1] = np.zeros((0, 133, 2), np.float32)
    pose['scores'][1] = []
    name = save_pickle(tmp_path / 'gap.pkl', pose)
    keypoints = PrecomputedBackend().estimate(None, {'id': 'c', 'keypoints': name},
                                              context(tmp_path, range(3)))
    assert (keypoints[1] == 0).all() and (keypoints[0, :, 2] > 0).any()


HOLISTIC = [('POSE_LANDMARKS', 'XYZC', [f'P{i}' for i in range(33)]),
            ('FACE_LANDMARKS', 'XYZC', [str(i) for i in range(468)]),
            ('LEFT_HAND_LANDMARKS', 'XYZC', [f'L{i}' for i in range(21)]),
            ('RIGHT_HAND_LANDMARKS', 'XYZC', [f'R{i}' for i in range(21)])]


def holistic_data(num_frames, people=1, seed=0):
    """Points inside the WIDTH x HEIGHT frame (the loader refuses confident ones far outside)."""
    rng = np.random.default_rng(seed)
    data = rng.uniform(0, HEIGHT, (num_frames, people, 543, 3)).astype(np.float32)
    confidence = rng.uniform(0.1, 1, (num_frames, people, 543)).astype(np.float32)
    return data, confidence


def test_holistic_pose_file_maps_like_the_mediapipe_backend(tmp_path, pose_file_writer):
    data, confidence = holistic_data(6, people=2)
    confidence[:, 0] *= 0.1                              # person 1 is the confident signer
    confidence[2, 1, 501:522] = 0                        # left hand missing on frame 2
    pose_file_writer(tmp_path / 'clip.pose', HOLISTIC, data, confidence, version=0.1)
    keypoints = PrecomputedBackend().estimate(None, {'id': 'c', 'keypoints': 'clip.pose'},
                                              context(tmp_path, range(6)))
    signer = np.concatenate([data[:, 1, :, :2], confidence[:, 1, :, None]], axis=-1)
    signer[2, 501:522] = 0
    expected = holistic_to_wholebody(signer[:, :33], signer[:, 33:501], signer[:, 501:522],
                                     signer[:, 522:543])
    np.testing.assert_allclose(keypoints, expected)
    assert (keypoints[2, LEFT_HAND] == 0).all() and (keypoints[3, LEFT_HAND, 2] > 0).all()


def test_pose_file_with_contour_face_and_coco_layout(tmp_path, pose_file_writer):
    """A face kept as a subset of the mesh is placed by vertex name; a 133-point
    COCO-WholeBody file is taken as it is; anything else is named."""
    contour = [str(i) for i in range(1, 468, 4)] + ['152']
    components = [HOLISTIC[0], ('FACE_LANDMARKS', 'XYZC', contour)] + HOLISTIC[2:]
    points = 33 + len(contour) + 42
    data = np.arange(points * 3, dtype=np.float32).reshape(1, 1, points, 3)
    pose_file_writer(tmp_path / 'contour.pose', components, data, np.ones((1, 1, points)))
    keypoints = PrecomputedBackend().estimate(None, {'id': 'c', 'keypoints': 'contour.pose'},
                                              context(tmp_path, [0]))
    chin = 33 + contour.index('152')
    assert keypoints[0, INDEX['face_jaw_8']].tolist() == [3 * chin, 3 * chin + 1, 1]
    assert keypoints[0, INDEX['face_jaw_0'], 2] == 0          # vertex 127 is not in the file
    found = set(MESH_TO_FACE68) & set(map(int, contour))
    assert (keypoints[0, FACE, 2] == 1).sum() == len(found)

    coco = [('BODY', 'XYC', [f'b{i}' for i in range(23)]),
            ('FACE', 'XYC', [f'f{i}' for i in range(68)]),
            ('LEFT_HAND', 'XYC', [f'l{i}' for i in range(21)]),
            ('RIGHT_HAND', 'XYC', [f'r{i}' for i in range(21)])]
    data = np.random.default_rng(1).uniform(0, 50, (2, 1, 133, 2)).astype(np.float32)
    pose_file_writer(tmp_path / 'coco.pose', coco, data, np.full((2, 1, 133), 0.5))
    keypoints = PrecomputedBackend().estimate(None, {'id': 'c', 'keypoints': 'coco.pose'},
                                              context(tmp_path, range(2)))
    np.testing.assert_allclose(keypoints[..., :2], data[:, 0])

    pose_file_writer(tmp_path / 'odd.pose', [('BODY_25', 'XYC', [f'b{i}' for i in range(25)])],
                     np.zeros((2, 1, 25, 2)), np.ones((2, 1, 25)))
    with pytest.raises(PoseEstimationError, match=r'odd.pose: unknown keypoint layout '
                                                  r'\(BODY_25 \(25\)\)'):
        PrecomputedBackend().estimate(None, {'id': 'c', 'keypoints': 'odd.pose'},
                                      context(tmp_path, range(2)))


def test_read_keypoint_file_without_the_extraction_job(tmp_path):
    """Converters and tools read keypoint files directly: the clip is a ClipFrames, each failure
    a KeypointFileError naming the file."""
    pose = np.random.default_rng(0).random((6, 133, 3)).astype(np.float16)
    np.save(tmp_path / 'video.npy', pose)
    clip = ClipFrames('video.mp4', WIDTH, HEIGHT, (2, 3, 4), is_segment=True)
    np.testing.assert_array_equal(read_keypoint_file(str(tmp_path / 'video.npy'), clip),
                                  pose[2:5].astype(np.float32))
    not_a_segment = ClipFrames('video.mp4', WIDTH, HEIGHT, (2, 3, 4))
    with pytest.raises(KeypointFileError, match=r'video.npy: 6 keypoint rows, but the clip has 3'):
        read_keypoint_file(str(tmp_path / 'video.npy'), not_a_segment)
    (tmp_path / 'broken.pose').write_bytes(b'\x00' * 3)
    with pytest.raises(KeypointFileError, match=r'broken.pose: file ends inside version'):
        read_keypoint_file(str(tmp_path / 'broken.pose'), clip)
    with pytest.raises(KeypointFileError, match=r'missing.pkl: keypoint file not found'):
        read_keypoint_file(str(tmp_path / 'missing.pkl'), clip)
