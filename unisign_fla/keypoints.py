"""The one source of truth for keypoint layouts: COCO-WholeBody 133, the Uni-Sign part subsets
(69 points), each part's skeleton graph and the whole-body skeleton drawn by overlays.

Every other module (extraction backends, SynthSign, normalisation, the encoder) indexes keypoints
through the names defined here, never through literal numbers.
"""
from dataclasses import dataclass

import numpy as np

NUM_KEYPOINTS = 133

BODY_NAMES = ['nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear', 'left_shoulder',
              'right_shoulder', 'left_elbow', 'right_elbow', 'left_wrist', 'right_wrist',
              'left_hip', 'right_hip', 'left_knee', 'right_knee', 'left_ankle', 'right_ankle']
FOOT_NAMES = ['left_big_toe', 'left_small_toe', 'left_heel', 'right_big_toe', 'right_small_toe',
              'right_heel']
# iBUG 300-W 68-point face: jaw 0-16, eyebrows 17-26, nose 27-35, eyes 36-47, lips 48-67.
FACE_NAMES = ([f'face_jaw_{i}' for i in range(17)] + [f'face_brow_{i}' for i in range(10)]
              + [f'face_nose_{i}' for i in range(9)] + [f'face_eye_{i}' for i in range(12)]
              + [f'face_lip_outer_{i}' for i in range(12)]
              + [f'face_lip_inner_{i}' for i in range(8)])
HAND_JOINT_NAMES = ['wrist',
                    'thumb_cmc', 'thumb_mcp', 'thumb_ip', 'thumb_tip',
                    'index_mcp', 'index_pip', 'index_dip', 'index_tip',
                    'middle_mcp', 'middle_pip', 'middle_dip', 'middle_tip',
                    'ring_mcp', 'ring_pip', 'ring_dip', 'ring_tip',
                    'pinky_mcp', 'pinky_pip', 'pinky_dip', 'pinky_tip']
KEYPOINT_NAMES = (BODY_NAMES + FOOT_NAMES + FACE_NAMES
                  + [f'left_hand_{n}' for n in HAND_JOINT_NAMES]
                  + [f'right_hand_{n}' for n in HAND_JOINT_NAMES])
assert len(KEYPOINT_NAMES) == NUM_KEYPOINTS

BODY = range(0, 17)
FEET = range(17, 23)
FACE = range(23, 91)
LEFT_HAND = range(91, 112)
RIGHT_HAND = range(112, 133)
# The hands as shards, samples and the RGB branch name them (left first everywhere).
HANDS = ('left_hand', 'right_hand')
# A hand is seen in a frame when the mean score of its 21 joints exceeds this (Uni-Sign's 0.3).
# Extraction cuts crops only for such frames, and score-aware sampling chooses among them, so
# the two must agree: both default to this constant.
HAND_SCORE_THRESHOLD = 0.3
# A joint counts (normalisation uses it, overlays draw it solid, the shard range check holds it
# to the frame) when its own score exceeds this (Uni-Sign's thr = 0.3).
JOINT_SCORE_THRESHOLD = 0.3
INDEX = {name: i for i, name in enumerate(KEYPOINT_NAMES)}

# Hand-local indices (0 = wrist) of the five fingertips: their scores drive score-aware sampling.
FINGERTIPS = (4, 8, 12, 16, 20)


def _hand_edges() -> list[tuple[int, int]]:
    edges = []
    for finger_root in (1, 5, 9, 13, 17):
        chain = [0] + list(range(finger_root, finger_root + 4))
        edges += list(zip(chain[:-1], chain[1:]))
    return edges



def _chain(names, closed: bool = False) -> list[tuple[int, int]]:
    idx = [INDEX[n] for n in names]
    return list(zip(idx, idx[1:] + idx[:1] if closed else idx[1:]))


def _wholebody_edges() -> tuple[tuple[int, int], ...]:
    """COCO-WholeBody skeleton in 133-point indices: what a pose overlay draws."""
    body = [('left_ankle', 'left_knee'), ('left_knee', 'left_hip'), ('right_ankle', 'right_knee'),
            ('right_knee', 'right_hip'), ('left_hip', 'right_hip'), ('left_shoulder', 'left_hip'),
            ('right_shoulder', 'right_hip'), ('left_shoulder', 'right_shoulder'),
            ('left_shoulder', 'left_elbow'), ('right_shoulder', 'right_elbow'),
            ('left_elbow', 'left_wrist'), ('right_elbow', 'right_wrist'), ('left_eye', 'right_eye'),
            ('nose', 'left_eye'), ('nose', 'right_eye'), ('left_eye', 'left_ear'),
            ('right_eye', 'right_ear'), ('left_ear', 'left_shoulder'),
            ('right_ear', 'right_shoulder')]
    for side in ('left', 'right'):
        body += [(f'{side}_ankle', f'{side}_{toe}') for toe in ('big_toe', 'small_toe', 'heel')]
        body.append((f'{side}_wrist', f'{side}_hand_wrist'))
    edges = [(INDEX[a], INDEX[b]) for a, b in body]
    # iBUG 68 contours: jaw, brows, nose bridge, nostrils (open); eyes and lips (closed).
    for prefix, first, stop, closed in (('jaw', 0, 17, False), ('brow', 0, 5, False),
                                        ('brow', 5, 10, False), ('nose', 0, 4, False),
                                        ('nose', 4, 9, False), ('eye', 0, 6, True),
                                        ('eye', 6, 12, True), ('lip_outer', 0, 12, True),
                                        ('lip_inner', 0, 8, True)):
        edges += _chain([f'face_{prefix}_{i}' for i in range(first, stop)], closed)
    for hand in (LEFT_HAND, RIGHT_HAND):
        edges += [(hand[a], hand[b]) for a, b in _hand_edges()]
    return tuple(edges)


WHOLEBODY_EDGES = _wholebody_edges()

@dataclass(frozen=True)
class Part:
    """A body part fed to its own ST-GCN branch.

    ``indices`` select rows of the 133-point array; ``edges`` use part-local indices;
    ``context`` is the COCO index of the body joint whose feature is added to the part (the wrist
    for a hand, the nose for the face; ``None`` for the body itself); ``root`` is the part-local
    joint that coordinates are expressed relative to (``None`` for the body, which is
    normalised by the body box).
    """
    name: str
    indices: tuple[int, ...]
    edges: tuple[tuple[int, int], ...]
    context: int | None
    root: int | None = None

    @property
    def num_joints(self) -> int:
        return len(self.indices)

    def adjacency(self) -> np.ndarray:
        """Symmetric 0/1 adjacency with self-loops (self + 1-hop), shape (V, V)."""
        adj = np.eye(self.num_joints, dtype=np.float32)
        for a, b in self.edges:
            adj[a, b] = adj[b, a] = 1.0
        return adj


_body_indices = tuple(INDEX[n] for n in ['nose', 'left_ear', 'right_ear', 'left_shoulder',
                                         'right_shoulder', 'left_elbow', 'right_elbow',
                                         'left_wrist', 'right_wrist'])
# Face: every other jaw point (9), the inner lips (8), then the nose tip last (Uni-Sign order).
_face_indices = (tuple(range(23, 40, 2)) + tuple(range(83, 91)) + (INDEX['face_nose_3'],))

UNISIGN_PARTS: dict[str, Part] = {
    'body': Part('body', _body_indices,
                 edges=((0, 1), (0, 2), (0, 3), (0, 4), (3, 4), (3, 5), (5, 7), (4, 6), (6, 8)),
                 context=None),
    'left_hand': Part('left_hand', tuple(LEFT_HAND), edges=tuple(_hand_edges()),
                      context=INDEX['left_wrist'], root=0),
    'right_hand': Part('right_hand', tuple(RIGHT_HAND), edges=tuple(_hand_edges()),
                       context=INDEX['right_wrist'], root=0),
    'face': Part('face', _face_indices,
                 edges=(tuple((i, i + 1) for i in range(8))                      # jaw chain
                        + tuple((9 + i, 9 + (i + 1) % 8) for i in range(8))      # inner-lip loop
                        + ((17, 4), (17, 9), (17, 13))),                          # nose tip
                 context=INDEX['nose'], root=17),
}
PART_ORDER = ('body', 'left_hand', 'right_hand', 'face')
NUM_UNISIGN_JOINTS = sum(p.num_joints for p in UNISIGN_PARTS.values())
assert NUM_UNISIGN_JOINTS == 69


def with_scores(xy: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Float32 (..., 3) of x, y and the score clipped to [0, 1]: some estimators' confidences
    (RTMPose's SimCC maxima, for one) exceed 1, and score thresholds assume [0, 1]."""
    return np.concatenate([np.asarray(xy, np.float32),
                           np.clip(np.asarray(scores, np.float32), 0, 1)[..., None]], axis=-1)
