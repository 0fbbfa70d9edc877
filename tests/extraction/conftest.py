"""Tiny real videos (mp4v) with matching keypoint files, built per test in tmp_path, and small
ONNX graphs (exported once per session) that the ONNX pose backends run for real."""
import json
import os
from types import SimpleNamespace

import numpy as np
import pytest
import torch
from torch import nn

from tests.conftest import write_video
from unisign_fla.keypoints import LEFT_HAND, RIGHT_HAND

WIDTH, HEIGHT, FPS = 64, 48, 25


def smooth_frames(num_frames: int, seed: int) -> np.ndarray:
    """RGB frames with gradients (JPEG- and mp4v-friendly, unlike noise), distinct per frame."""
    yy, xx = np.mgrid[0:HEIGHT, 0:WIDTH]
    frames = np.empty((num_frames, HEIGHT, WIDTH, 3), np.uint8)
    for t in range(num_frames):
        frames[t, ..., 0] = 2 * xx + 2 * t           # < 256 for the sizes used: no wrap edge
        frames[t, ..., 1] = 3 * yy + 10 * seed
        frames[t, ..., 2] = 128
    return frames


def random_pose(num_frames: int, rng: np.random.Generator) -> np.ndarray:
    """(T, 133, 3) in pixels; hands confident with a small spread inside the frame."""
    pose = np.zeros((num_frames, 133, 3), np.float32)
    pose[..., 0] = rng.uniform(0, WIDTH, (num_frames, 133))
    pose[..., 1] = rng.uniform(0, HEIGHT, (num_frames, 133))
    pose[..., 2] = rng.uniform(0.0, 1.0, (num_frames, 133))
    for hand in (LEFT_HAND, RIGHT_HAND):
        centre = rng.uniform([10, 10], [WIDTH - 10, HEIGHT - 10], (num_frames, 1, 2))
        pose[:, hand, :2] = centre + rng.normal(0, 4, (num_frames, len(hand), 2))
        pose[:, hand, 2] = rng.uniform(0.5, 1.0, (num_frames, len(hand)))
    pose[num_frames // 2, LEFT_HAND, 2] = 0.1   # one frame without a confident left hand
    return pose


def make_clip(root: str, clip_id: str, num_frames: int, rng, seed: int = 0, **fields) -> dict:
    os.makedirs(os.path.join(root, 'videos'), exist_ok=True)
    write_video(os.path.join(root, 'videos', f'{clip_id}.mp4'), smooth_frames(num_frames, seed))
    np.save(os.path.join(root, 'videos', f'{clip_id}.npy'),
            random_pose(num_frames, rng).astype(np.float16))
    record = {'id': clip_id, 'dataset': 'toy', 'split': 'train',
              'video': f'videos/{clip_id}.mp4', 'keypoints': f'videos/{clip_id}.npy',
              'language': 'en', 'text': f'sentence {clip_id}', 'signer': 1}
    record.update(fields)
    return record


def write_jsonl(path: str, rows) -> str:
    with open(path, 'w') as f:
        for row in rows:
            f.write((row if isinstance(row, str) else json.dumps(row)) + '\n')
    return path


@pytest.fixture
def toy_dataset(tmp_path):
    """Seven valid clips of 6..12 frames; returns (manifest path, video root, records)."""
    rng = np.random.default_rng(0)
    root = str(tmp_path / 'data')
    records = [make_clip(root, f'clip{i}', 6 + i, rng, seed=i) for i in range(7)]
    return write_jsonl(str(tmp_path / 'manifest.jsonl'), records), root, records


@pytest.fixture
def helpers():
    """The builders above, for tests that need their own clips (test modules cannot import a
    conftest by name without clashing with tests/conftest.py)."""
    return SimpleNamespace(smooth_frames=smooth_frames, write_video=write_video,
                           random_pose=random_pose, make_clip=make_clip, write_jsonl=write_jsonl,
                           WIDTH=WIDTH, HEIGHT=HEIGHT, FPS=FPS)


class BrightSpotPose(nn.Module):
    """(B, 3, H, W) -> SimCC (B, 133, 2W), (B, 133, 2H) peaking at the brightest row/column."""

    def forward(self, x):
        gray = x.mean(1)
        columns = nn.functional.interpolate(gray.amax(1, keepdim=True), scale_factor=2.0)
        rows = nn.functional.interpolate(gray.amax(2)[:, None], scale_factor=2.0)
        return columns.expand(-1, 133, -1), rows.expand(-1, 133, -1)


class FixedDetector(nn.Module):
    """End-to-end detector output (``dets`` in input pixels, ``labels``) that ignores the image."""

    def __init__(self, dets):
        super().__init__()
        self.register_buffer('dets', torch.tensor(dets, dtype=torch.float32)[None])

    def forward(self, image):
        dets = self.dets + 0 * image.mean()
        return dets, torch.zeros(dets.shape[:2], dtype=torch.int64)


class DotDetector(FixedDetector):
    """The fixed box, with score 0.9 when the frame has a bright pixel and 0 when it is dark."""

    def forward(self, image):
        dets, labels = super().forward(image)
        score = 0.9 * (image.amax() > 0.3).to(dets.dtype)   # letterbox fill: 0.18
        return torch.cat([dets[..., :4], score.expand_as(dets[..., 4:])], dim=-1), labels


@pytest.fixture(scope='session')
def onnx_models(tmp_path_factory):
    """Paths of: 'spot' (BrightSpotPose, dynamic batch), 'spot_batch1' (fixed batch 1), 'person'
    (three boxes: the signer, a corner box, a duplicate of the signer), 'nobody' (one box
    below the detection threshold) and 'dot_person' (DotDetector)."""
    pytest.importorskip('onnxruntime')
    pytest.importorskip('onnx')
    from unisign_fla.testing.rtm_architectures import export_onnx
    root = tmp_path_factory.mktemp('onnx')
    paths = {'spot': export_onnx(BrightSpotPose(), str(root / 'spot.onnx'), (1, 3, 256, 192),
                                 'input', ['simcc_x', 'simcc_y'], dynamic_batch=True),
             'spot_batch1': export_onnx(BrightSpotPose(), str(root / 'spot1.onnx'),
                                        (1, 3, 256, 192), 'input', ['simcc_x', 'simcc_y'],
                                        dynamic_batch=False)}
    # 640x640 letterbox of a 160x120 frame: ratio 4, so input box / 4 = frame box.
    paths['person'] = export_onnx(FixedDetector([[40, 40, 400, 440, 0.9], [0, 0, 60, 60, 0.8],
                                                 [44, 40, 400, 440, 0.7]]),
                                  str(root / 'person.onnx'), (1, 3, 640, 640), 'input',
                                  ['dets', 'labels'], dynamic_batch=False)
    paths['nobody'] = export_onnx(FixedDetector([[40, 40, 400, 440, 0.05]]),
                                  str(root / 'nobody.onnx'), (1, 3, 640, 640), 'input',
                                  ['dets', 'labels'], dynamic_batch=False)
    paths['dot_person'] = export_onnx(DotDetector([[40, 40, 400, 440, 0.9]]),
                                      str(root / 'dot_person.onnx'), (1, 3, 640, 640), 'input',
                                      ['dets', 'labels'], dynamic_batch=False)
    return paths
