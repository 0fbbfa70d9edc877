"""Pose synthesis: a timeline and a signer become the true 133 COCO-WholeBody points in pixels.

The body is fixed up to a slow sway; hands are placed from their palm targets and rotations,
elbows follow from two-link inverse kinematics (shoulder -> wrist), and the face follows the
head. The signer is seen from the waist up, so knees, ankles and feet fall below the frame.
"""
from dataclasses import dataclass

import numpy as np

from unisign_fla.keypoints import FEET, INDEX, LEFT_HAND, NUM_KEYPOINTS, RIGHT_HAND
from unisign_fla.synthsign.face import EYE_LINE, face_points
from unisign_fla.synthsign.hand import hand_joints, wrist_from_palm
from unisign_fla.synthsign.motion import Timeline, head_centre
from unisign_fla.synthsign.signer import Signer

# Body-unit positions of the signer's right side (image left); the left side mirrors x.
_SHOULDER = np.array([-0.5, 0.03])
_HIP = np.array([-0.36, 1.62])
_KNEE = np.array([-0.38, 2.4])
_ANKLE = np.array([-0.38, 3.15])
_FOOT = np.array([[-0.3, 3.27], [-0.48, 3.25], [-0.4, 3.18]])  # big toe, small toe, heel


@dataclass
class Pose:
    """True (noise-free) keypoints of a clip plus what the renderer needs beyond them."""
    points: np.ndarray        # (T, 133, 2) pixels
    head_centre: np.ndarray   # (T, 2) pixels
    head_size: float          # head width in pixels
    facing: np.ndarray        # (T, 2) 0 = palm, 1 = back of (right, left) hand to the camera
    hand_size: float          # hand length in pixels


def _mirror(p: np.ndarray) -> np.ndarray:
    return p * np.array([-1.0, 1.0])


def elbow_ik(shoulder: np.ndarray, wrist: np.ndarray, upper: float, fore: float,
             midline: float) -> np.ndarray:
    """Elbow (T, 2) of a two-link arm seen by the camera.

    A bent arm also points towards the camera, so its bones look shorter: the projected lengths
    shrink as the wrist comes closer to the shoulder (to 70 % at most). Of the two solutions the
    lower one is taken, preferring the one away from the ``midline`` when they are level.
    """
    d_vec = wrist - shoulder
    dist = np.linalg.norm(d_vec, axis=-1)
    shrink = np.clip(0.45 + 0.6 * dist / (upper + fore), 0.7, 1.0)
    upper, fore = upper * shrink, fore * shrink
    d = np.clip(dist, np.abs(upper - fore) + 1e-6, upper + fore - 1e-6)
    unit = d_vec / np.maximum(dist, 1e-9)[:, None]
    along = (upper ** 2 - fore ** 2 + d ** 2) / (2 * d)
    across = np.sqrt(np.maximum(upper ** 2 - along ** 2, 0.0))
    normal = np.stack([-unit[:, 1], unit[:, 0]], -1)
    base = shoulder + along[:, None] * unit
    first, second = base + across[:, None] * normal, base - across[:, None] * normal
    outward = np.sign(shoulder[:, 0] - midline)
    pick_first = (first[:, 1] - second[:, 1]) + 0.3 * (first[:, 0] - second[:, 0]) * outward
    return np.where((pick_first >= 0)[:, None], first, second)


def synthesize_pose(timeline: Timeline, signer: Signer, rng: np.random.Generator) -> Pose:
    """True keypoints for every frame of ``timeline`` as performed by ``signer``."""
    t = timeline.num_frames
    neck, scale = np.asarray(signer.neck), signer.scale
    to_px = lambda p: neck + scale * p  # noqa: E731
    phase, freq = rng.uniform(0, 2 * np.pi, 2), rng.uniform(0.03, 0.07, 2)
    frames = np.arange(t)[:, None]
    sway = 0.015 * np.sin(2 * np.pi * freq * frames + phase)        # (T, 2) body units

    pts = np.zeros((t, NUM_KEYPOINTS, 2))
    head = to_px(head_centre(signer) + 1.6 * sway)
    head_px = signer.head * scale
    face = head[:, None] + head_px * face_points(timeline.face)
    pts[:, 23:91] = face
    pts[:, INDEX['nose']] = face[:, 30]
    pts[:, INDEX['right_eye']] = face[:, 36:42].mean(1)
    pts[:, INDEX['left_eye']] = face[:, 42:48].mean(1)
    ear = np.array([0.5, EYE_LINE + 0.08]) * head_px
    pts[:, INDEX['right_ear']] = head + _mirror(ear)
    pts[:, INDEX['left_ear']] = head + ear
    for side, sign in (('right', 1.0), ('left', -1.0)):
        flip = np.array([sign, 1.0])
        pts[:, INDEX[f'{side}_hip']] = to_px(_HIP * flip + 0.3 * sway)
        pts[:, INDEX[f'{side}_knee']] = to_px(_KNEE * flip + 0.2 * sway)
        pts[:, INDEX[f'{side}_ankle']] = to_px(_ANKLE * flip)
    foot = FEET.start
    pts[:, foot + 3:foot + 6] = to_px(_FOOT)
    pts[:, foot:foot + 3] = to_px(_mirror(_FOOT))

    hand_px = signer.hand * scale
    reach = 0.97 * (signer.upper_arm + signer.forearm) * scale
    for h, (side, rows) in enumerate((('right', RIGHT_HAND), ('left', LEFT_HAND))):
        mirror = h == 1
        shoulder = to_px((_mirror(_SHOULDER) if mirror else _SHOULDER) + sway)
        palm_own = timeline.palm[:, h]
        palm = to_px(_mirror(palm_own) if mirror else palm_own)
        wrist = wrist_from_palm(palm, timeline.angle[:, h], hand_px, mirror)
        to_wrist = wrist - shoulder
        dist = np.linalg.norm(to_wrist, axis=-1, keepdims=True)
        wrist = shoulder + to_wrist * np.minimum(1.0, reach / np.maximum(dist, 1e-9))
        joints = hand_joints(timeline.shape[:, h], wrist, timeline.angle[:, h], hand_px, mirror)
        pts[:, rows.start:rows.stop] = joints
        pts[:, INDEX[f'{side}_shoulder']] = shoulder
        pts[:, INDEX[f'{side}_elbow']] = elbow_ik(shoulder, wrist, signer.upper_arm * scale,
                                                  signer.forearm * scale, neck[0])
        pts[:, INDEX[f'{side}_wrist']] = wrist
    return Pose(points=pts, head_centre=head, head_size=head_px, facing=timeline.facing,
                hand_size=hand_px)
