"""Estimator-like keypoints: scores and noise as a whole-body pose estimator would return them.

Scores drop where real estimators fail (a hand in front of the face or of the other hand, motion
blur on fast hands, random dropouts, points outside the frame) and coordinates get noisier where
scores drop, so that score-aware models have something real to exploit.
"""
import numpy as np

from unisign_fla.keypoints import BODY, FACE, FEET, INDEX, LEFT_HAND, RIGHT_HAND
from unisign_fla.synthsign.signer import FRAME_SIZE, Signer
from unisign_fla.synthsign.skeleton import Pose

_BLUR_START = 0.5        # wrist speed in hand lengths per frame where motion blur starts


def _hands_box(points: np.ndarray, rows: range, pad: float) -> np.ndarray:
    """(T, 4) x0, y0, x1, y1 of a hand's joints, padded by ``pad`` pixels."""
    part = points[:, rows.start:rows.stop]
    return np.concatenate([part.min(1) - pad, part.max(1) + pad], -1)


def _inside(points: np.ndarray, box: np.ndarray) -> np.ndarray:
    """(T, N) whether each point lies in the frame's box (T, 4)."""
    b = box[:, None]
    return ((points[..., 0] >= b[..., 0]) & (points[..., 0] <= b[..., 2])
            & (points[..., 1] >= b[..., 1]) & (points[..., 1] <= b[..., 3]))


def simulate_estimator(pose: Pose, signer: Signer, rng: np.random.Generator) -> np.ndarray:
    """(T, 133, 3) float32 of noisy x, y (pixels) and scores in [0, 1]."""
    pts = pose.points
    t, n = pts.shape[:2]
    score = np.empty((t, n))
    score[:, BODY.start:BODY.stop] = rng.uniform(0.82, 0.97, (t, len(BODY)))
    score[:, FACE.start:FACE.stop] = rng.uniform(0.8, 0.95, (t, len(FACE)))
    for rows in (LEFT_HAND, RIGHT_HAND):
        score[:, rows.start:rows.stop] = rng.uniform(0.7, 0.95, (t, len(rows)))
    width, height = FRAME_SIZE
    outside = ((pts[..., 0] < 0) | (pts[..., 0] >= width) | (pts[..., 1] < 0)
               | (pts[..., 1] >= height))
    score[outside] = rng.uniform(0.01, 0.12, outside.sum())
    score[:, FEET.start:FEET.stop] = rng.uniform(0.0, 0.05, (t, len(FEET)))

    hand_pad = 0.1 * pose.hand_size
    boxes = {rows.start: _hands_box(pts, rows, hand_pad) for rows in (RIGHT_HAND, LEFT_HAND)}
    face_pts = pts[:, FACE.start:FACE.stop]
    face_box = np.concatenate([face_pts.min(1), face_pts.max(1)], -1)
    for rows, other in ((RIGHT_HAND, LEFT_HAND), (LEFT_HAND, RIGHT_HAND)):
        sl = slice(rows.start, rows.stop)
        # Face points behind a hand are lost; the hand itself is less certain over a face.
        hidden = _inside(face_pts, boxes[rows.start])
        score[:, FACE.start:FACE.stop][hidden] *= rng.uniform(0.1, 0.4, hidden.sum())
        over_face = _inside(pts[:, sl], face_box).mean(1) > 0.5
        score[over_face, sl] *= rng.uniform(0.6, 0.85, (over_face.sum(), 1))
        # The left hand is behind the dominant right one when they overlap.
        if rows is LEFT_HAND:
            behind = _inside(pts[:, sl], boxes[other.start]).mean(1) > 0.3
            score[behind, sl] *= rng.uniform(0.35, 0.7, (behind.sum(), 1))
        # Motion blur: fast wrists blur the fingers, fingertips most.
        wrist = pts[:, rows.start]
        speed = np.linalg.norm(np.diff(wrist, axis=0, prepend=wrist[:1]), axis=-1) / pose.hand_size
        blur = np.exp(-np.clip(speed - _BLUR_START, 0, None) / 0.8)
        distal = np.linspace(0.5, 1.0, len(rows))
        score[:, sl] *= 1 - (1 - blur[:, None]) * distal
        # Random dropouts: the estimator loses the hand for a frame.
        drop = rng.random(t) < signer.dropout
        score[drop, sl] = rng.uniform(0.02, 0.25, (drop.sum(), len(rows)))
    score = np.clip(score, 0.0, 1.0)

    # Small parts are located more precisely in pixels than the body; lost points are guesses.
    sigma = signer.noise_px * (1 + 6 * (1 - score))
    sigma[:, FEET.start:FEET.stop] *= 4
    for rows in (FACE, LEFT_HAND, RIGHT_HAND):
        sigma[:, rows.start:rows.stop] *= 0.45
    noisy = pts + rng.normal(0.0, 1.0, pts.shape) * sigma[..., None]
    out = np.concatenate([noisy, score[..., None]], -1).astype(np.float32)
    # Wrist rows of the body and the hand roots come from the same estimate.
    out[:, INDEX['right_wrist'], :2] = out[:, RIGHT_HAND.start, :2]
    out[:, INDEX['left_wrist'], :2] = out[:, LEFT_HAND.start, :2]
    return out
