"""The rtmpose backend on real ONNX Runtime sessions of graphs exported by the tests.

``onnx_models['spot']`` (conftest.py) is a SimCC model whose every keypoint is the brightest spot
of its input crop, so a dot drawn in a frame must come back at the dot's pixel: that checks the
box padding, the affine warp, the SimCC decoding and the mapping back to source pixels end to end.
"""
import json

import numpy as np
import pytest

pytest.importorskip('onnxruntime')
pytest.importorskip('onnx')

from unisign_fla.extraction.backends import PoseEstimationError, RTMPoseBackend
from unisign_fla.extraction.backends.base import ClipContext
from unisign_fla.extraction.backends.person_detector import non_max_suppression
from unisign_fla.extraction.backends.signer_track import (
    interpolate_boxes,
    keyframe_rows,
    pick_signer,
)
from unisign_fla.extraction.job import ExtractionConfig, ExtractionJob
from unisign_fla.formats.shard_index import load_split_index
from unisign_fla.formats.shards import read_sample
from unisign_fla.keypoints import HANDS
from unisign_fla.testing.rtm_architectures import (
    RTMPoseStandIn,
    export_onnx,
    export_rtmdet,
)

WIDTH, HEIGHT = 160, 120


def dot_frames(points, size=(HEIGHT, WIDTH)):
    """BGR frames, black but for a 1-pixel white dot at each (x, y)."""
    frames = np.zeros((len(points),) + size + (3,), np.uint8)
    for t, (x, y) in enumerate(points):
        frames[t, y, x] = 255
    return frames


def context(frames):
    return ClipContext('root', 'root/clip.mp4', 25.0, frames.shape[2], frames.shape[1],
                       list(range(len(frames))))


@pytest.mark.parametrize('model', ['spot', 'spot_batch1'])
def test_keypoints_come_back_at_the_source_pixel(onnx_models, model):
    points = [(20, 30), (80, 60), (150, 110), (5, 100), (120, 10)]
    frames = dot_frames(points)
    backend = RTMPoseBackend(onnx_models[model], batch_size=2)
    pose = backend.estimate(frames, {}, context(frames))
    assert pose.shape == (5, 133, 3) and pose.dtype == np.float32
    # One input pixel covers 160 * 1.25 / 192 ~ 1.04 source pixels (padding 1.25, width-bound).
    np.testing.assert_allclose(pose[:, :, :2], np.repeat(np.array(points, np.float32)[:, None],
                                                         133, 1), atol=1.1)
    assert np.all((pose[..., 2] > 0) & (pose[..., 2] <= 1))


def test_detector_boxes_drive_the_crop(onnx_models):
    frames = dot_frames([(50, 60)] * 7)
    backend = RTMPoseBackend(onnx_models['spot'], detector=onnx_models['person'], detect_interval=3)
    boxes = backend.signer_boxes(frames, context(frames))
    # The 0.9 box, scaled back by the letterbox ratio 4 (the overlapping 0.7 box fell to NMS).
    np.testing.assert_allclose(boxes, np.tile([[10, 10, 100, 110]], (7, 1)))
    pose = backend.estimate(frames, {}, context(frames))
    np.testing.assert_allclose(pose[..., :2].reshape(-1, 2), np.tile([[50, 60]], (7 * 133, 1)),
                               atol=1.0)


def test_no_person_fails_the_clip_or_falls_back_to_the_frame(onnx_models):
    frames = dot_frames([(50, 60)] * 4)
    with pytest.raises(PoseEstimationError, match='no person detected on any of 2 keyframes'):
        RTMPoseBackend(onnx_models['spot'], detector=onnx_models['nobody'],
                       detect_interval=3).estimate(frames, {}, context(frames))
    backend = RTMPoseBackend(onnx_models['spot'], detector=onnx_models['nobody'],
                             no_person='full_frame')
    np.testing.assert_allclose(backend.signer_boxes(frames, context(frames)),
                               np.tile([[0, 0, WIDTH, HEIGHT]], (4, 1)))


def test_signer_is_prominent_then_followed_and_interpolated():
    assert keyframe_rows(10, 4).tolist() == [0, 4, 8, 9]
    assert keyframe_rows(1, 50).tolist() == [0]
    big_corner, small_centre = np.array([0, 0, 60, 60.]), np.array([70, 40, 110, 90.])
    central = np.array([40, 20, 120, 110.])
    track = pick_signer([(np.stack([big_corner, central]), np.array([0.9, 0.8])),
                         (np.empty((0, 4)), np.empty(0)),
                         (np.stack([small_centre, central + 6]), np.array([0.9, 0.5]))],
                        WIDTH, HEIGHT)
    assert track[0].tolist() == central.tolist() and track[1] is None
    assert track[2].tolist() == (central + 6).tolist()   # overlap beats score
    boxes = interpolate_boxes(np.array([0, 4, 8]), track, 9)
    np.testing.assert_allclose(boxes[4], central + 3)     # keyframe without a person: bridged
    np.testing.assert_allclose(boxes[8], central + 6)
    assert interpolate_boxes(np.array([0, 4]), [None, None], 5) is None


def test_nms_keeps_the_best_of_overlapping_boxes():
    boxes = np.array([[0, 0, 10, 10], [1, 0, 11, 10], [20, 20, 30, 30]], np.float32)
    assert non_max_suppression(boxes, np.array([0.5, 0.9, 0.7]), 0.45).tolist() == [1, 2]


def test_bad_options_and_files_are_named(onnx_models, tmp_path):
    with pytest.raises(FileNotFoundError, match='pose model file not found: .*missing.onnx'):
        RTMPoseBackend(str(tmp_path / 'missing.onnx'))
    (tmp_path / 'junk.onnx').write_bytes(b'not a model')
    with pytest.raises(ValueError, match='junk.onnx: cannot load as an ONNX pose model'):
        RTMPoseBackend(str(tmp_path / 'junk.onnx'))
    with pytest.raises(ValueError, match='no_person'):
        RTMPoseBackend(onnx_models['spot'], no_person='skip')
    with pytest.raises(ValueError, match='detection interval'):
        RTMPoseBackend(onnx_models['spot'], detect_interval=0)
    with pytest.raises(ValueError, match='device must be "cpu", "cuda" or "cuda:N", got \'gpu\''):
        RTMPoseBackend(onnx_models['spot'], device='gpu')
    import onnxruntime
    if 'CUDAExecutionProvider' not in onnxruntime.get_available_providers():
        with pytest.raises(PoseEstimationError, match="device='cuda:1' but this onnxruntime"):
            RTMPoseBackend(onnx_models['spot'], device='cuda:1')


def test_job_with_the_real_architectures(tmp_path, helpers):
    """RTMPose and RTMDet stand-ins (reduced width, random weights) through tools' job: every
    clip is written with 133 finite keypoints per frame, and the estimator is recorded."""
    pose_path = export_onnx(RTMPoseStandIn(deepen=0.33, widen=0.125), str(tmp_path / 'p.onnx'),
                            (1, 3, 256, 192), 'input', ['simcc_x', 'simcc_y'], True)
    detector_path = export_rtmdet(str(tmp_path / 'd.onnx'), 'tiny', input_size=320)
    root = str(tmp_path / 'data')
    rng = np.random.default_rng(0)
    records = [helpers.make_clip(root, f'clip{i}', 5 + i, rng, seed=i) for i in range(3)]
    manifest = helpers.write_jsonl(str(tmp_path / 'm.jsonl'), records)
    cfg = ExtractionConfig(manifest=manifest, video_root=root, out=str(tmp_path / 'out'),
                           backend='rtmpose', crop_size=16, backend_args=dict(
                               pose_model=pose_path, detector=detector_path,
                               no_person='full_frame', detect_interval=2))
    summary = ExtractionJob(cfg).run()
    assert (summary.clips, summary.failures) == (3, 0)
    for entry, record in zip(load_split_index(cfg.out, 'toy', 'train'), records):
        sample = read_sample(entry)
        assert sample['pose'].shape == (int(record['id'][-1]) + 5, 133, 3)
        assert np.isfinite(sample['pose']).all()
        estimator = sample['meta']['estimator']
        assert estimator['name'] == 'rtmpose' and 'detector=d.onnx;every=2' in estimator['version']
    assert json.loads((tmp_path / 'out' / 'toy-train.index.json').read_text())['num_samples'] == 3
    assert {'setup', 'decode', 'estimate', 'crops', 'write'} <= set(summary.stage_times.stages)

    # One single-threaded session per worker (the CPU default with 2 threads) writes what one
    # session over all cores writes: same keypoints, same crops.
    assert summary.pose_workers == 2
    one = ExtractionJob(ExtractionConfig(**dict(vars(cfg), out=str(tmp_path / 'one'),
                                                pose_workers=1))).run()
    assert one.pose_workers == 1
    for a, b in zip(load_split_index(cfg.out, 'toy', 'train'),
                    load_split_index(str(tmp_path / 'one'), 'toy', 'train')):
        a, b = read_sample(a), read_sample(b)
        np.testing.assert_array_equal(a['pose'], b['pose'])
        for hand in HANDS:
            np.testing.assert_array_equal(a[hand]['crops'], b[hand]['crops'])
