"""Estimator-like keypoints: scores and noise as a whole-body pose estimator would return them.

Scores drop where real estimators fail (a hand in front of the face or of the other hand, motion
blur on fast hands, random dropouts, points outside the frame) and coordinates get noisier where
scores drop, so that score-aware models have something real to exploit.
"""
from dataclasses import dataclass

import numpy as np

from unisign_fla.keypoints import BODY, FACE, FEET, INDEX, LEFT_HAND, RIGHT_HAND
from unisign_fla.synthsign.signer import FRAME_SIZE, Signer
from unisign_fla.synthsign.skeleton import Pose

Range = tuple[float, float]   # a uniform draw between the two values


@dataclass(frozen=True)
class EstimatorNoise:
    """How hard SynthSign's keypoints are: every score range and noise factor in one place.

    The defaults are what every SynthSign data set so far was generated with (docs/synthsign.md);
    another instance makes a harder or easier set (``simulate_estimator(..., noise=...)``).
    Per-signer knobs (``Signer.noise_px``, ``Signer.dropout``) vary between signers on top.
    """
    # Scores of visible points, per part; points outside the frame; feet (never in view).
    body_score: Range = (0.82, 0.97)
    face_score: Range = (0.8, 0.95)
    hand_score: Range = (0.7, 0.95)
    outside_score: Range = (0.01, 0.12)
    feet_score: Range = (0.0, 0.05)
    # Occlusion. A hand's box is its joints padded by this share of the hand length.
    hand_box_pad: float = 0.1
    face_behind_hand: Range = (0.1, 0.4)      # factor on face points inside a hand's box
    hand_over_face_share: float = 0.5         # share of a hand's joints over the face box...
    hand_over_face: Range = (0.6, 0.85)       # ...above which the hand's scores get this factor
    left_behind_share: float = 0.3            # share of the left hand inside the right's box...
    left_behind: Range = (0.35, 0.7)          # ...above which the left hand gets this factor
    # Motion blur: above ``blur_start`` hand lengths per frame of wrist speed, scores fall as
    # exp(-(speed - start) / scale), from ``blur_distal[0]`` of that at the wrist to the whole
    # of it at the fingertips.
    blur_start: float = 0.5
    blur_scale: float = 0.8
    blur_distal: Range = (0.5, 1.0)
    dropout_score: Range = (0.02, 0.25)       # a dropped hand's scores (rate: Signer.dropout)
    # Coordinate noise: Signer.noise_px x (1 + growth x (1 - score)); feet x feet_factor; face and
    # hands x small_part_factor (small parts are located more precisely in pixels).
    noise_growth: float = 6.0
    feet_noise_factor: float = 4.0
    small_part_noise_factor: float = 0.45


DEFAULT_NOISE = EstimatorNoise()


def _hands_box(points: np.ndarray, rows: range, pad: float) -> np.ndarray:
    """(T, 4) x0, y0, x1, y1 of a hand's joints, padded by ``pad`` pixels."""
    part = points[:, rows.start:rows.stop]
    return np.concatenate([part.min(1) - pad, part.max(1) + pad], -1)


def _inside(points: np.ndarray, box: np.ndarray) -> np.ndarray:
    """(T, N) whether each point lies in the frame's box (T, 4)."""
    b = box[:, None]
    return ((points[..., 0] >= b[..., 0]) & (points[..., 0] <= b[..., 2])
            & (points[..., 1] >= b[..., 1]) & (points[..., 1] <= b[..., 3]))


def simulate_estimator(pose: Pose, signer: Signer, rng: np.random.Generator,
                       noise: EstimatorNoise = DEFAULT_NOISE) -> np.ndarray:
    """(T, 133, 3) float32 of noisy x, y (pixels) and scores in [0, 1]."""
    pts = pose.points
    t, n = pts.shape[:2]
    score = np.empty((t, n))
    score[:, BODY.start:BODY.stop] = rng.uniform(*noise.body_score, (t, len(BODY)))
    score[:, FACE.start:FACE.stop] = rng.uniform(*noise.face_score, (t, len(FACE)))
    for rows in (LEFT_HAND, RIGHT_HAND):
        score[:, rows.start:rows.stop] = rng.uniform(*noise.hand_score, (t, len(rows)))
    width, height = FRAME_SIZE
    outside = ((pts[..., 0] < 0) | (pts[..., 0] >= width) | (pts[..., 1] < 0)
               | (pts[..., 1] >= height))
    score[outside] = rng.uniform(*noise.outside_score, outside.sum())
    score[:, FEET.start:FEET.stop] = rng.uniform(*noise.feet_score, (t, len(FEET)))

    hand_pad = noise.hand_box_pad * pose.hand_size
    boxes = {rows.start: _hands_box(pts, rows, hand_pad) for rows in (RIGHT_HAND, LEFT_HAND)}
    face_pts = pts[:, FACE.start:FACE.stop]
    face_box = np.concatenate([face_pts.min(1), face_pts.max(1)], -1)
    for rows, other in ((RIGHT_HAND, LEFT_HAND), (LEFT_HAND, RIGHT_HAND)):
        sl = slice(rows.start, rows.stop)
        # Face points behind a hand are lost; the hand itself is less certain over a face.
        hidden = _inside(face_pts, boxes[rows.start])
        score[:, FACE.start:FACE.stop][hidden] *= rng.uniform(*noise.face_behind_hand, hidden.sum())
        over_face = _inside(pts[:, sl], face_box).mean(1) > noise.hand_over_face_share
        score[over_face, sl] *= rng.uniform(*noise.hand_over_face, (over_face.sum(), 1))
        # The left hand is behind the dominant right one when they overlap.
        if rows is LEFT_HAND:
            behind = _inside(pts[:, sl], boxes[other.start]).mean(1) > noise.left_behind_share
            score[behind, sl] *= rng.uniform(*noise.left_behind, (behind.sum(), 1))
        # Motion blur: fast wrists blur the fingers, fingertips most.
        wrist = pts[:, rows.start]
        speed = np.linalg.norm(np.diff(wrist, axis=0, prepend=wrist[:1]), axis=-1) / pose.hand_size
        blur = np.exp(-np.clip(speed - noise.blur_start, 0, None) / noise.blur_scale)
        distal = np.linspace(*noise.blur_distal, len(rows))
        score[:, sl] *= 1 - (1 - blur[:, None]) * distal
        # Random dropouts: the estimator loses the hand for a frame.
        drop = rng.random(t) < signer.dropout
        score[drop, sl] = rng.uniform(*noise.dropout_score, (drop.sum(), len(rows)))
    score = np.clip(score, 0.0, 1.0)

    # Small parts are located more precisely in pixels than the body; lost points are guesses.
    sigma = signer.noise_px * (1 + noise.noise_growth * (1 - score))
    sigma[:, FEET.start:FEET.stop] *= noise.feet_noise_factor
    for rows in (FACE, LEFT_HAND, RIGHT_HAND):
        sigma[:, rows.start:rows.stop] *= noise.small_part_noise_factor
    noisy = pts + rng.normal(0.0, 1.0, pts.shape) * sigma[..., None]
    out = np.concatenate([noisy, score[..., None]], -1).astype(np.float32)
    # Wrist rows of the body and the hand roots come from the same estimate.
    out[:, INDEX['right_wrist'], :2] = out[:, RIGHT_HAND.start, :2]
    out[:, INDEX['left_wrist'], :2] = out[:, LEFT_HAND.start, :2]
    return out
