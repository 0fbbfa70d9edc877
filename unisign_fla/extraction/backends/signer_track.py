"""One signer per clip from per-keyframe person detections (docs/formats.md).

The detector runs on keyframes only (every ``interval`` frames, and the last one); the signer is
the most prominent person on the first keyframe that has one (large and central), then the
detection that overlaps the previous signer box most, and frames in between get boxes
interpolated linearly between the neighbouring keyframes. Interpolation, unlike tracking from
the previous frame's keypoints, leaves every frame's box known before any pose is run, so the
pose model sees the whole clip in large batches.
"""

import numpy as np

from unisign_fla.extraction.backends.base import ClipContext, PoseEstimationError
from unisign_fla.extraction.backends.person_detector import PersonDetector, box_iou

NO_PERSON_POLICIES = ('fail', 'full_frame')


def keyframe_rows(num_frames: int, interval: int) -> np.ndarray:
    if interval < 1:
        raise ValueError(f'detection interval must be >= 1 frame, got {interval}')
    rows = np.arange(0, num_frames, interval)
    return rows if rows[-1] == num_frames - 1 else np.append(rows, num_frames - 1)


def prominence(boxes: np.ndarray, width: int, height: int) -> np.ndarray:
    """Area, discounted by the box centre's distance from the frame centre (0 at a corner)."""
    area = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    centre = (boxes[:, :2] + boxes[:, 2:]) / 2
    offset = np.hypot(centre[:, 0] - width / 2, centre[:, 1] - height / 2)
    return area * (1 - offset / np.hypot(width / 2, height / 2))


def pick_signer(detections: list[tuple[np.ndarray, np.ndarray]], width: int, height: int,
                min_iou: float = 0.3) -> list[np.ndarray | None]:
    """The signer's box on each keyframe, or None where nobody was detected."""
    track, previous = [], None
    for boxes, _scores in detections:
        if not len(boxes):
            track.append(None)
            continue
        if previous is not None:
            overlap = box_iou(previous, boxes)
            if overlap.max() >= min_iou:
                previous = boxes[int(overlap.argmax())]
                track.append(previous)
                continue
        previous = boxes[int(prominence(boxes, width, height).argmax())]
        track.append(previous)
    return track


def interpolate_boxes(rows: np.ndarray, boxes: list[np.ndarray | None],
                      num_frames: int) -> np.ndarray | None:
    """(T, 4) boxes for every frame from keyframe boxes (None: no person), or None if none."""
    known = [i for i, box in enumerate(boxes) if box is not None]
    if not known:
        return None
    key_rows = rows[known]
    key_boxes = np.stack([boxes[i] for i in known])
    frames = np.arange(num_frames)
    return np.stack([np.interp(frames, key_rows, key_boxes[:, c]) for c in range(4)],
                    axis=1).astype(np.float32)


class SignerBoxes:
    """Every frame's signer box for a top-down pose model.

    Without a detector every frame's box is the whole frame (data sets already cropped to the
    signer, such as PHOENIX-2014T). A clip where no keyframe shows a person fails, unless
    ``no_person='full_frame'``.
    """

    def __init__(self, detector: PersonDetector | None, detect_interval: int = 50,
                 no_person: str = 'fail'):
        if no_person not in NO_PERSON_POLICIES:
            raise ValueError(f'no_person must be one of {NO_PERSON_POLICIES}, got {no_person!r}')
        keyframe_rows(1, detect_interval)   # validates the interval now, not on the first clip
        self.detector, self.detect_interval, self.no_person = detector, detect_interval, no_person

    def __call__(self, frames: np.ndarray, context: ClipContext) -> np.ndarray:
        """(T, 4) x0, y0, x1, y1 of the signer on every frame (BGR frames)."""
        height, width = frames.shape[1:3]
        full_frame = np.tile(np.array([0, 0, width, height], np.float32), (len(frames), 1))
        if self.detector is None:
            return full_frame
        rows = keyframe_rows(len(frames), self.detect_interval)
        track = pick_signer(self.detector.detect([frames[r] for r in rows]), width, height)
        boxes = interpolate_boxes(rows, track, len(frames))
        if boxes is not None:
            return boxes
        if self.no_person == 'full_frame':
            return full_frame
        raise PoseEstimationError(f'{context.video_path}: no person detected on any of '
                                  f'{len(rows)} keyframes (every {self.detect_interval} frames)')
