import os

import cv2
import numpy as np
import pytest

from unisign_fla.extraction.video_reader import VideoReadError, natural_key, read_clip


def test_reads_file_in_rgb_with_container_geometry(tmp_path, helpers):
    frames = helpers.smooth_frames(10, seed=1)
    frames[..., 0], frames[..., 2] = 230, 20          # red-dominant: catches a BGR mix-up
    path = str(tmp_path / 'v.mp4')
    helpers.write_video(path, frames, fps=20)
    clip = read_clip(path)
    assert clip.frames.shape == (10, helpers.HEIGHT, helpers.WIDTH, 3)
    assert (clip.fps, clip.width, clip.height) == (20, helpers.WIDTH, helpers.HEIGHT)
    assert clip.frame_indices == list(range(10)) and clip.warnings == []
    assert np.abs(clip.frames.astype(int) - frames).mean() < 6
    geometry = read_clip(path, decode=False)
    assert geometry.frames is None and geometry.num_frames == 10


def test_segments_in_frames_and_seconds(tmp_path, helpers):
    path = str(tmp_path / 'v.mp4')
    helpers.write_video(path, helpers.smooth_frames(12, seed=0), fps=10)
    full = read_clip(path, decoder_threads=1)
    part = read_clip(path, start=3, end=7, time_unit='frame')
    assert part.frame_indices == [3, 4, 5, 6]
    np.testing.assert_array_equal(part.frames, full.frames[3:7])
    assert read_clip(path, start=0.5, end=0.8, time_unit='s').frame_indices == [5, 6, 7]
    clipped = read_clip(path, start=8, end=20, time_unit='frame')
    assert clipped.frame_indices == [8, 9, 10, 11] and 'clipped to 12' in clipped.warnings[0]
    assert read_clip(path, start=8, end=20, time_unit='frame', decode=False).num_frames == 4
    with pytest.raises(VideoReadError, match='only 12 frames'):
        read_clip(path, start=12, end=20, time_unit='frame')


def test_folder_of_images_sorted_naturally(tmp_path):
    folder = tmp_path / 'frames'
    folder.mkdir()
    for i in range(1, 13):     # value i in the frame named img_i: string order would break it
        cv2.imwrite(str(folder / f'img_{i}.png'), np.full((8, 10, 3), i, np.uint8))
    (folder / 'notes.txt').write_text('ignored')
    clip = read_clip(str(folder), start=1, end=11, time_unit='frame', folder_fps=30)
    assert clip.frames[:, 0, 0, 0].tolist() == list(range(2, 12))
    assert (clip.fps, clip.width, clip.height) == (30, 10, 8)
    assert sorted(['a10', 'a2', 'a1'], key=natural_key) == ['a1', 'a2', 'a10']
    # 10 frames of 10x8x3 bytes: 2400 bytes decoded; the limit applies to folders too.
    fits = read_clip(str(folder), start=1, end=11, time_unit='frame', max_bytes=2400)
    assert fits.num_frames == 10
    with pytest.raises(VideoReadError, match='frames: 10 frames of 10x8 need 0.00 GiB'):
        read_clip(str(folder), start=1, end=11, time_unit='frame', max_bytes=2399)


def test_unreadable_inputs_name_the_path(tmp_path, helpers):
    empty = tmp_path / 'empty.mp4'
    empty.write_bytes(b'')
    with pytest.raises(VideoReadError, match='empty.mp4'):
        read_clip(str(empty))
    with pytest.raises(VideoReadError, match='missing.mp4: video file not found'):
        read_clip(str(tmp_path / 'missing.mp4'))
    os.mkdir(tmp_path / 'nothing')
    with pytest.raises(VideoReadError, match='holds no frame images'):
        read_clip(str(tmp_path / 'nothing'))
    good = str(tmp_path / 'good.mp4')
    helpers.write_video(good, helpers.smooth_frames(3, seed=0))
    with pytest.raises(VideoReadError, match='time_unit'):
        read_clip(good, start=1, end=2)
