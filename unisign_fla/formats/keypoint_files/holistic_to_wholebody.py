"""MediaPipe Holistic landmarks (pose 33, face mesh 468, two hands of 21) in COCO-WholeBody 133.

Used by the ``mediapipe`` backend and by the importer of Holistic ``.pose`` files, so both give
identical keypoints for the same landmarks. The correspondences:

* body 17: the MediaPipe pose landmarks named like COCO's (nose, eyes, ears, shoulders, elbows,
  wrists, hips, knees, ankles);
* feet 6: big toe = ``*_FOOT_INDEX``, heel = ``*_HEEL``; MediaPipe has no small toe, so that row
  copies the big toe's position with score 0;
* hands: 21 -> 21 in the same order (wrist, then thumb, index, middle, ring, pinky from base
  to tip);
* face 68: the mesh vertices at iBUG 300-W positions in the map published with the
  sign-language-processing ``pose`` library (``pose_format/utils/pose_converter.py``), chosen over
  other circulating lists because it is the one ``.pose`` users already know.

Both sources name left and right from the signer's point of view, as COCO does: no swap.
"""
import numpy as np

from unisign_fla.keypoints import BODY, FACE, FEET, LEFT_HAND, NUM_KEYPOINTS, RIGHT_HAND

NUM_POSE_LANDMARKS = 33
NUM_MESH_LANDMARKS = 468
NUM_HAND_LANDMARKS = 21

POSE_TO_BODY = (0, 2, 5, 7, 8, 11, 12, 13, 14, 15, 16, 23, 24, 25, 26, 27, 28)
POSE_TO_FEET = (31, 31, 29, 32, 32, 30)
SMALL_TOE_ROWS = (1, 4)   # rows of POSE_TO_FEET with no MediaPipe counterpart
MESH_TO_FACE68 = (
    127, 234, 93, 132, 58, 172, 136, 149, 152, 378, 365, 397, 288, 361, 323, 454, 356,  # jaw
    70, 63, 105, 66, 107, 336, 296, 334, 293, 300,                                      # brows
    168, 197, 5, 4, 219, 237, 1, 457, 439,                                              # nose
    33, 160, 158, 133, 153, 144, 362, 385, 387, 263, 373, 380,                          # eyes
    61, 40, 37, 0, 267, 270, 291, 321, 314, 17, 84, 91,                                 # outer lips
    78, 81, 13, 311, 308, 402, 14, 178)                                                 # inner lips
assert len(MESH_TO_FACE68) == len(FACE)


def _check(name: str, part: np.ndarray, num_frames: int, min_points: int) -> None:
    if part.ndim != 3 or part.shape[0] != num_frames or part.shape[1] < min_points \
            or part.shape[2] != 3:
        raise ValueError(f'{name}: expected ({num_frames}, {min_points}, 3) x, y, score, '
                         f'got {part.shape}')


def holistic_to_wholebody(pose: np.ndarray, face: np.ndarray, left_hand: np.ndarray,
                          right_hand: np.ndarray) -> np.ndarray:
    """Float32 (T, 133, 3) from Holistic parts, each (T, points, 3) of x, y and a score.

    A part missing on a frame must have score 0 there; it stays 0. ``face`` may carry the 10
    refined iris points after the 468 mesh vertices (they are not used).
    """
    num_frames = len(pose)
    _check('pose', pose, num_frames, NUM_POSE_LANDMARKS)
    _check('face', face, num_frames, NUM_MESH_LANDMARKS)
    _check('left_hand', left_hand, num_frames, NUM_HAND_LANDMARKS)
    _check('right_hand', right_hand, num_frames, NUM_HAND_LANDMARKS)
    wholebody = np.zeros((num_frames, NUM_KEYPOINTS, 3), np.float32)
    wholebody[:, BODY] = pose[:, POSE_TO_BODY]
    wholebody[:, FEET] = pose[:, POSE_TO_FEET]
    wholebody[:, [FEET[row] for row in SMALL_TOE_ROWS], 2] = 0
    wholebody[:, FACE] = face[:, MESH_TO_FACE68]
    wholebody[:, LEFT_HAND] = left_hand[:, :NUM_HAND_LANDMARKS]
    wholebody[:, RIGHT_HAND] = right_hand[:, :NUM_HAND_LANDMARKS]
    return wholebody
