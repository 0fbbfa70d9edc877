"""RGB rendering of a pose into an .mp4 video (OpenCV, 'mp4v').

Frames are drawn from the true pose with a handful of cv2 calls each. The hands carry what 2-D
keypoints lose: the palm side is drawn lighter with crease lines, the back of the hand darker with
fingernails, so minimal pairs that differ only in ``facing`` are separable from RGB alone.
"""

import cv2
import numpy as np

from unisign_fla.fileio import atomic_write
from unisign_fla.keypoints import INDEX, LEFT_HAND, RIGHT_HAND
from unisign_fla.synthsign.face import EYE_LINE, HEAD_HALF_HEIGHT
from unisign_fla.synthsign.signer import FRAME_SIZE, Signer
from unisign_fla.synthsign.skeleton import Pose

FOURCC = 'mp4v'
_SHIFT = 2                                   # fractional bits: sub-pixel drawing
_ONE = 1 << _SHIFT
_PALM = [0, 1, 2, 5, 9, 13, 17]
_FINGERS = [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16], [17, 18, 19, 20]]
# brows, nostrils and the nose bridge (tip repeated) as four 5-point polylines; then the eyes
_FACE_LINES = [list(range(17, 22)), list(range(22, 27)), list(range(31, 36)), [27, 28, 29, 30, 30]]
_EYES = [list(range(36, 42)), list(range(42, 48))]
_ARC = np.linspace(0, np.pi, 9)
_HEAD_TOP = np.stack([0.47 * np.cos(_ARC), EYE_LINE - HEAD_HALF_HEIGHT * np.sin(_ARC)], -1)


def _mix(a, b, w: float):
    return tuple(int(round((1 - w) * x + w * y)) for x, y in zip(a, b))


class _Palette:
    """Per-signer colours, including the two sides of the hand."""

    def __init__(self, signer: Signer):
        self.skin = signer.skin
        self.palm = _mix(signer.skin, (235, 240, 255), 0.45)
        self.back = _mix(signer.skin, (0, 0, 0), 0.35)
        self.crease = _mix(signer.skin, (40, 40, 90), 0.6)
        self.nail = (215, 225, 250)
        self.shirt = signer.shirt
        self.sleeve = _mix(signer.shirt, (255, 255, 255), 0.15)
        self.hair = signer.hair
        self.lips = _mix(signer.skin, (60, 40, 170), 0.5)
        self.features = (40, 40, 50)


def _fx(points: np.ndarray) -> np.ndarray:
    return np.round(points * _ONE).astype(np.int32)


def _hand_geometry(hand: np.ndarray) -> dict:
    """Fixed-point drawing primitives of one hand for all frames: hand (T, 21, 2) int32."""
    w, index, middle, pinky = (hand[:, k:k + 1] for k in (0, 5, 9, 17))
    tips = hand[:, [f[3] for f in _FINGERS]]
    dips = hand[:, [f[2] for f in _FINGERS]]
    creases = np.stack([np.concatenate([w + (index - w) * 2 // 5, w + (index + pinky - 2 * w) // 2,
                                        w + (pinky - w) * 3 // 5], 1),
                        np.concatenate([w + (index - w) * 4 // 5, w + (middle - w) * 3 // 4,
                                        w + (pinky - w) * 5 // 6], 1)], 1)
    return {'palm': np.ascontiguousarray(hand[:, _PALM]),
            'fingers': np.ascontiguousarray(hand[:, _FINGERS]),
            'nails': np.ascontiguousarray(np.stack([(dips + 2 * tips) // 3, tips], 2)),
            'creases': np.ascontiguousarray(creases)}


def _draw_hand(img: np.ndarray, g: dict, t: int, back: bool, colours: _Palette, finger_px: int):
    colour = colours.back if back else colours.palm
    cv2.fillConvexPoly(img, g['palm'][t], colour, cv2.LINE_8, _SHIFT)
    cv2.polylines(img, list(g['fingers'][t]), False, colour, finger_px, cv2.LINE_8, _SHIFT)
    if back:
        cv2.polylines(img, list(g['nails'][t]), False, colours.nail, max(1, finger_px - 1),
                      cv2.LINE_8, _SHIFT)
    else:
        cv2.polylines(img, list(g['creases'][t]), False, colours.crease, 1, cv2.LINE_8, _SHIFT)


def render_frames(pose: Pose, signer: Signer):
    """Yield the BGR frames (H, W, 3) uint8 of a pose. Geometry is prepared for all frames at
    once so that each frame costs only a dozen OpenCV calls."""
    width, height = FRAME_SIZE
    colours = _Palette(signer)
    background = np.empty((height, width, 3), np.uint8)
    ramp = np.linspace(1.0, 0.8, height)[:, None, None]
    background[:] = (np.asarray(signer.background)[None, None] * ramp).astype(np.uint8)
    pts = _fx(pose.points)
    face = pts[:, 23:91]
    head = np.ascontiguousarray(np.concatenate(
        [face[:, 0:17], _fx(pose.head_centre[:, None] + pose.head_size * _HEAD_TOP)], 1))
    hair = _fx(pose.head_centre[:, None] + pose.head_size * 1.08 * _HEAD_TOP
               + [0, -0.02 * pose.head_size])
    lines, eyes = (np.ascontiguousarray(face[:, k]) for k in (_FACE_LINES, _EYES))
    outer_lips, inner_lips = face[:, 48:60].copy(), face[:, 60:68].copy()
    idx = lambda *names: [INDEX[n] for n in names]  # noqa: E731
    pad = np.array([int(0.08 * signer.scale * _ONE), 0])
    torso = pts[:, idx('right_shoulder', 'left_shoulder', 'left_hip', 'right_hip')]
    torso = np.ascontiguousarray(torso + np.array([-pad, pad, pad, -pad]), dtype=np.int32)
    neck = np.ascontiguousarray(np.stack([torso[:, :2].mean(1).astype(np.int32), face[:, 8]], 1))
    arms = [np.ascontiguousarray(pts[:, idx(f'{s}_shoulder', f'{s}_elbow', f'{s}_wrist')][:, None])
            for s in ('left', 'right')]
    hands = [_hand_geometry(pts[:, rows.start:rows.stop]) for rows in (LEFT_HAND, RIGHT_HAND)]
    arm_px = max(3, int(round(0.15 * signer.scale)))
    neck_px = max(3, int(round(0.3 * signer.scale)))
    finger_px = max(2, int(round(0.075 * pose.hand_size)))
    draw = dict(lineType=cv2.LINE_8, shift=_SHIFT)
    for t in range(len(pts)):
        img = background.copy()
        cv2.fillConvexPoly(img, torso[t], colours.shirt, **draw)
        cv2.polylines(img, neck[t:t + 1], False, colours.skin, neck_px, **draw)
        cv2.fillPoly(img, hair[t:t + 1], colours.hair, **draw)
        cv2.fillPoly(img, head[t:t + 1], colours.skin, **draw)
        cv2.fillPoly(img, outer_lips[t:t + 1], colours.lips, **draw)
        cv2.fillPoly(img, inner_lips[t:t + 1], colours.features, **draw)
        cv2.polylines(img, list(lines[t]), False, colours.features, 1, **draw)
        cv2.polylines(img, list(eyes[t]), True, colours.features, 1, **draw)
        for h, (arm, hand) in enumerate(zip(arms, hands)):   # left (behind) first, then right
            cv2.polylines(img, arm[t], False, colours.sleeve, arm_px, **draw)
            _draw_hand(img, hand, t, bool(pose.facing[t, 1 - h]), colours, finger_px)
        yield img


def write_video(path: str, pose: Pose, signer: Signer, fps: float) -> int:
    """Render ``pose`` to ``path`` atomically (temporary .mp4, then rename); returns frames."""
    width, height = FRAME_SIZE
    with atomic_write(path, keep_suffix=True) as tmp:
        writer = cv2.VideoWriter(tmp, cv2.VideoWriter_fourcc(*FOURCC), fps, (width, height))
        if not writer.isOpened():
            raise RuntimeError(f'{path}: OpenCV could not open a {FOURCC!r} video writer')
        count = 0
        try:
            for frame in render_frames(pose, signer):
                writer.write(frame)
                count += 1
        finally:
            writer.release()
    return count
