"""The overlay of a clip from real shards: video frames, crop marks on chosen frames only, mp4."""
import cv2
import numpy as np
import pytest

from tests.conftest import write_shard_set, write_video
from unisign_fla.formats.shard_index import load_split_index
from unisign_fla.formats.shards import read_sample
from unisign_fla.visualization import (
    choose_crops,
    clip_frames,
    render_overlay,
    sheet_rows,
    write_mp4,
)
from unisign_fla.visualization.pose_drawing import CROP_COLORS
from unisign_fla.visualization.pose_overlay import BLANK_GRAY

FRAMES = 12


@pytest.fixture
def clip(tmp_path):
    """One shard clip 'a' (256 x 256, left-hand crops on even frames, every score 0.95)."""
    write_shard_set(tmp_path, 'synthsign', 'test', [{'id': 'a', 'text': 'hi'}], frames=FRAMES)
    return read_sample(load_split_index(str(tmp_path), 'synthsign', 'test')[0])


def test_evaluation_choice_is_the_samplers(clip):
    choice = choose_crops(clip, fraction=0.5)
    left, right = choice['left_hand'], choice['right_hand']
    assert list(left.candidates) == [0, 2, 4, 6, 8, 10]
    assert list(left.chosen) == [0, 2, 4]           # equal scores: the earliest frames
    assert left.chosen_crops.shape == (3, 16, 16, 3) and left.chosen_boxes.shape == (3, 4)
    assert len(right.chosen) == 0 and len(right.candidates) == 0


def test_crop_marks_appear_on_chosen_frames_only(clip):
    choice = choose_crops(clip, fraction=0.5)
    frames, source = clip_frames(clip, None)
    assert 'blank' in source and (frames == BLANK_GRAY).all()
    drawn = render_overlay(clip, frames, choice)
    assert len(drawn) == FRAMES and drawn[0].shape == (512, 512, 3)   # enlarged to draw
    for row, image in enumerate(drawn):
        top_border = tuple(image[2, image.shape[1] // 2])
        assert (top_border == CROP_COLORS['L']) == (row in (0, 2, 4)), row


def test_frames_come_from_the_clip_video(clip, tmp_path):
    color = (200, 30, 30)
    write_video(str(tmp_path / 'a.mp4'), np.full((FRAMES, 256, 256, 3), color, np.uint8))
    frames, source = clip_frames(clip, str(tmp_path))
    assert source.endswith('a.mp4') and frames.shape == (FRAMES, 256, 256, 3)
    assert np.abs(frames[:, 128, 128].astype(int) - color).max() < 12
    missing, source = clip_frames(clip, str(tmp_path / 'elsewhere'))
    assert 'not found' in source and (missing == BLANK_GRAY).all()


def test_the_mp4_has_one_frame_per_pose_row(clip, tmp_path):
    frames, _ = clip_frames(clip, None)
    path = str(tmp_path / 'overlay.mp4')
    write_mp4(render_overlay(clip, frames, choose_crops(clip)), path, clip['meta']['fps'])
    capture = cv2.VideoCapture(path)
    count = 0
    while capture.read()[0]:
        count += 1
    assert count == FRAMES
    assert capture.get(cv2.CAP_PROP_FPS) == pytest.approx(25.0)
    assert capture.get(cv2.CAP_PROP_FRAME_WIDTH) == 512


def test_a_sheet_shows_the_chosen_frames_then_evenly_spaced_ones():
    assert list(sheet_rows(12, np.array([5, 3]), 4)) == [0, 3, 5, 11]
    assert list(sheet_rows(3, np.array([]), 8)) == [0, 1, 2]
    assert list(sheet_rows(40, np.arange(20), 4)) == [0, 1, 2, 3]
