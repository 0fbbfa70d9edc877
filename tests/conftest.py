"""Shared test fixtures: small shard sets written with the real shard writer, and ``.pose``
files written byte by byte from the published format (for the reader and the importers)."""
import os
import struct

import cv2
import numpy as np
import pytest
import torch

from unisign_fla.formats.shard_index import shard_stem, write_split_index
from unisign_fla.formats.shards import ShardWriter


def write_shard_set(out_dir, dataset, split, records, frames=12, crop_size=16, seed=0):
    """Write ``records`` (manifest-like dicts with ``id`` and targets) as one shard of ``split``.

    Keypoints are random pixels with good scores, plus a per-record signal (the record's index
    shifts the right hand) so a model can tell clips apart. Each hand gets crops on even frames.
    """
    rng = np.random.default_rng(seed)
    with ShardWriter(str(out_dir / (shard_stem(dataset, split, 0) + '.tar'))) as writer:
        for i, record in enumerate(records):
            pose = np.zeros((frames, 133, 3), np.float32)
            pose[..., :2] = rng.uniform(40, 200, (frames, 133, 2))
            pose[:, 112:133, 0] += 5.0 * (i % 7)
            pose[..., 2] = 0.95
            rows = np.arange(0, frames, 2, dtype=np.float32)
            boxes = np.stack([rows, rows, rows, rows + 20, rows + 20], axis=1)
            crops = rng.integers(0, 255, (len(rows), crop_size, crop_size, 3), dtype=np.uint8)
            meta = dict(record, dataset=dataset, split=split, video=f'{record["id"]}.mp4',
                        fps=25.0, width=256, height=256, num_frames=frames,
                        frame_indices=list(range(frames)),
                        estimator={'name': 'test', 'version': '0'}, crop_size=crop_size)
            writer.write({'id': record['id'], 'pose': pose, 'meta': meta,
                          'left_hand': {'crops': crops, 'boxes': boxes},
                          'right_hand': {'crops': crops[:0], 'boxes': boxes[:0]}})
        writer.finish()
    write_split_index(str(out_dir), dataset, split, num_shards=1)
    return out_dir / f'{dataset}-{split}.index.json'


def write_video(path: str, frames_rgb: np.ndarray, fps: float = 25) -> None:
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'mp4v'), fps,
                             (frames_rgb.shape[2], frames_rgb.shape[1]))
    assert writer.isOpened()
    for frame in frames_rgb:
        writer.write(cv2.cvtColor(frame, cv2.COLOR_RGB2BGR))
    writer.release()


@pytest.fixture
def shard_set(tmp_path):
    """A factory: ``shard_set(split, records, **kwargs) -> index path`` inside ``tmp_path``."""
    def make(split, records, dataset='synthsign', **kwargs):
        return write_shard_set(tmp_path, dataset, split, records, **kwargs)
    return make


@pytest.fixture
def single_thread():
    """Tiny models run faster on one thread, and far faster when other jobs share the CPU."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def shared_data_dir():
    """The project's shared real data (annotation files, released predictions): the
    ``UNISIGN_SHARED_DATA`` variable, else ``../shared/data`` beside the repository."""
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    path = os.environ.get('UNISIGN_SHARED_DATA', os.path.join(here, '..', 'shared', 'data'))
    if not os.path.isdir(path):
        pytest.skip(f'shared real data not found at {path} (set UNISIGN_SHARED_DATA)')
    return path


def write_pose_file(path, components, data, confidence, version=0.2, fps=25.0,
                    size=(640, 480, 0)):
    """A ``.pose`` file: ``components`` is a list of (name, point format, point names); ``data``
    (frames, people, points, dims) and ``confidence`` (frames, people, points)."""
    def text(value):
        raw = value.encode('utf-8')
        return struct.pack('<H', len(raw)) + raw
    out = struct.pack('<f3HH', version, *size, len(components))
    for name, point_format, names in components:
        out += text(name) + text(point_format) + struct.pack('<3H', len(names), 1, 1)
        out += b''.join(text(n) for n in names) + struct.pack('<2H', 0, 1)
        out += struct.pack('<3H', 255, 0, 0)
    frames, people = data.shape[:2]
    out += (struct.pack('<3H', int(fps), frames % 65536, people) if version == 0.1
            else struct.pack('<fIH', fps, frames, people))
    out += np.asarray(data, '<f4').tobytes() + np.asarray(confidence, '<f4').tobytes()
    with open(path, 'wb') as f:
        f.write(out)
    return str(path)


@pytest.fixture
def pose_file_writer():
    return write_pose_file
