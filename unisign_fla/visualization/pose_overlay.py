"""The pose overlay of one clip: its video frames with the keypoints and the crop choice drawn,
as an mp4 to play or a PNG contact sheet to put in a report.

The frames come from the clip's own video (the shard's ``video`` under the extraction's
``--video-root``, one frame per keypoint row via ``frame_indices``), so a wrong keypoint shows
against the hand it should be on; without the video a blank canvas of the clip's size still shows
the skeleton and its scores.
"""
import math
import os

import cv2
import numpy as np

from unisign_fla.extraction.backends.base import resolve_input
from unisign_fla.extraction.video_reader import VideoReadError, read_clip
from unisign_fla.keypoints import JOINT_SCORE_THRESHOLD
from unisign_fla.visualization.crop_choice import HAND_LETTERS, CropChoice
from unisign_fla.visualization.pose_drawing import (
    draw_crop_box,
    draw_pose,
    draw_score_legend,
    label_scale,
    mark_crops,
    put_label,
)

# Frames are enlarged to at least this short side before drawing, so lines and labels stay
# legible on small clips (SynthSign is 224 px).
MIN_DRAW_SIDE = 480
BLANK_GRAY = 40


def clip_frames(sample: dict, video_root: str | None) -> tuple[np.ndarray, str]:
    """(T, H, W, 3) RGB frames, one per keypoint row, and where they came from (a sentence).
    The video is read when ``video_root`` is given and the file exists; otherwise (or where the
    video has fewer frames) the frames are a dark blank canvas of the meta's width x height."""
    meta = sample['meta']
    num_rows = len(sample['pose'])
    frames = np.full((num_rows, int(meta['height']), int(meta['width']), 3), BLANK_GRAY, np.uint8)
    if not video_root or not meta.get('video'):
        return frames, 'blank canvas (no --video-root)'
    path = resolve_input(video_root, str(meta['video']), 'video')
    if not os.path.exists(path):
        return frames, f'blank canvas ({path} not found)'
    source = np.asarray(meta.get('frame_indices') or range(num_rows), np.int64)
    try:
        clip = read_clip(path, int(source.min()), int(source.max()) + 1, 'frame')
    except VideoReadError as e:
        return frames, f'blank canvas ({e})'
    rows = source - int(source.min())
    found = rows < clip.num_frames
    if clip.frames.shape[1:3] != frames.shape[1:3]:
        frames = np.full((num_rows,) + clip.frames.shape[1:], BLANK_GRAY, np.uint8)
    frames[found] = clip.frames[rows[found]]
    missing = num_rows - int(found.sum())
    return frames, path + (f' ({missing} rows past its end left blank)' if missing else '')


def chosen_by_row(choice: dict[str, CropChoice], num_rows: int) -> list[list[tuple]]:
    """Per row, ``(hand letter, crop box)`` of each hand whose crop was chosen there."""
    marks = [[] for _ in range(num_rows)]
    for hand, crops in choice.items():
        for row, box in zip(crops.chosen, crops.chosen_boxes):
            marks[int(row)].append((HAND_LETTERS[hand], box))
    return marks


def render_overlay(sample: dict, frames: np.ndarray, choice: dict[str, CropChoice],
                   threshold: float = JOINT_SCORE_THRESHOLD) -> list[np.ndarray]:
    """One drawn RGB frame per keypoint row: skeleton coloured by score; on the rows whose crop
    was chosen, the crop's box and the frame's border and label in the hand's colour; the frame
    number (from 0, as in the other figures) and a score legend."""
    pose = sample['pose']
    height, width = frames.shape[1:3]
    scale = max(1, math.ceil(MIN_DRAW_SIDE / min(height, width)))
    radius = max(2, round(min(height, width) * scale / 160))
    marks = chosen_by_row(choice, len(pose))
    out = []
    for row, frame in enumerate(frames):
        image = cv2.resize(frame, (width * scale, height * scale), interpolation=cv2.INTER_CUBIC)
        keypoints = pose[row].copy()
        keypoints[:, :2] *= scale
        draw_pose(image, keypoints, threshold, radius)
        for letter, box in marks[row]:
            draw_crop_box(image, box, letter, scale)
        mark_crops(image, [letter for letter, _ in marks[row]])
        put_label(image, f'frame {row}/{len(pose) - 1}', (18, image.shape[0] - 18),
                  (255, 255, 255), label_scale(image))
        out.append(draw_score_legend(image, threshold))
    return out


def write_mp4(frames: list[np.ndarray], path: str, fps: float) -> None:
    """RGB frames -> an mp4 (OpenCV 'mp4v') at ``fps``."""
    height, width = frames[0].shape[:2]
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'mp4v'), float(fps), (width, height))
    if not writer.isOpened():
        raise OSError(f'{path}: OpenCV cannot write an mp4v video here')
    try:
        for frame in frames:
            writer.write(cv2.cvtColor(frame, cv2.COLOR_RGB2BGR))
    finally:
        writer.release()


def sheet_rows(num_rows: int, chosen: np.ndarray, count: int) -> np.ndarray:
    """``count`` rows for a contact sheet, in time order: every chosen crop row (up to
    ``count``), the other slots evenly spaced over the remaining rows."""
    count = min(count, num_rows)
    picked = sorted({int(r) for r in chosen})[:count]
    others = np.setdiff1d(np.arange(num_rows), picked)
    spread = np.linspace(0, len(others) - 1, count - len(picked)).round().astype(int)
    return np.sort(np.concatenate([np.array(picked, np.int64), others[spread]]))


def contact_sheet(frames: list[np.ndarray], rows: np.ndarray, columns: int = 4,
                  tile_width: int = 320, gap: int = 4) -> np.ndarray:
    """The drawn ``frames[rows]`` as a grid of tiles ``tile_width`` px wide, ``gap`` px of white
    between them so neighbouring crop borders stay apart (RGB)."""
    height, width = frames[0].shape[:2]
    tile_height = round(height * tile_width / width)
    columns = min(columns, len(rows))
    grid_rows = -(-len(rows) // columns)
    sheet = np.full((grid_rows * (tile_height + gap) - gap, columns * (tile_width + gap) - gap, 3),
                    255, np.uint8)
    for n, row in enumerate(rows):
        tile = cv2.resize(frames[row], (tile_width, tile_height), interpolation=cv2.INTER_AREA)
        y, x = (n // columns) * (tile_height + gap), (n % columns) * (tile_width + gap)
        sheet[y:y + tile_height, x:x + tile_width] = tile
    return sheet


def write_png(image: np.ndarray, path: str) -> None:
    """An RGB image -> a PNG at the strongest compression (sheets are made to be shared: the
    video's gradients make them large)."""
    if not cv2.imwrite(path, cv2.cvtColor(image, cv2.COLOR_RGB2BGR),
                       [cv2.IMWRITE_PNG_COMPRESSION, 9]):
        raise OSError(f'{path}: cannot write the PNG')
