"""Hand shapes as finger joint angles, and the 21-joint hand that they produce.

A hand shape is a vector of joint angles (``SHAPE_DIM`` numbers) so that shapes can be
interpolated during transitions (co-articulation). Forward kinematics is planar: each finger
segment is flexed out of the image plane, so its projected length is ``L * cos(cumulative
flexion)``; a closed fist therefore folds the fingertips back over the palm, as a camera sees it.
"""

import numpy as np

# Hand-local frame of a right hand with the palm towards the camera and fingers up: wrist at the
# origin, y down, thumb on +x (the signer's midline side); unit = hand length (wrist to tip).
_MCP = np.array([[0.12, -0.45], [0.03, -0.47], [-0.06, -0.45], [-0.14, -0.40]])
_SEGMENTS = np.array([[0.23, 0.14, 0.11], [0.25, 0.16, 0.12], [0.23, 0.15, 0.11],
                      [0.18, 0.11, 0.10]])
_SPLAY = np.radians([7.0, 0.0, -7.0, -14.0])           # finger directions at spread 1
_THUMB_CMC = np.array([0.13, -0.13])
_THUMB_SEGMENTS = np.array([0.20, 0.15, 0.13])
PALM_CENTER = np.array([0.0, -0.38])                  # where a sign's location is aimed

_CURLS = {'E': (0, 0, 0), 'C': (30, 40, 25), 'O': (45, 60, 35), 'F': (88, 100, 60),
          'bent': (82, 0, 0), 'claw': (15, 80, 55)}
# name: (index, middle, ring, pinky curls), spread, thumb direction (deg towards +x), thumb curl
_SHAPES: dict[str, tuple] = {
    'B': (('E', 'E', 'E', 'E'), 0.2, 12, (10, 10)),
    '5': (('E', 'E', 'E', 'E'), 1.8, 70, (0, 0)),
    'A': (('F', 'F', 'F', 'F'), 0.0, 15, (0, 0)),
    'S': (('F', 'F', 'F', 'F'), 0.0, -30, (30, 40)),
    '1': (('E', 'F', 'F', 'F'), 0.0, -30, (30, 40)),
    'V': (('E', 'E', 'F', 'F'), 2.2, -30, (30, 40)),
    'W': (('E', 'E', 'E', 'F'), 1.6, -30, (40, 40)),
    'Y': (('F', 'F', 'F', 'E'), 1.2, 75, (0, 0)),
    'L': (('E', 'F', 'F', 'F'), 0.3, 85, (0, 0)),
    'C': (('C', 'C', 'C', 'C'), 0.3, 50, (20, 20)),
    'O': (('O', 'O', 'O', 'O'), 0.2, 30, (45, 45)),
    'claw': (('claw', 'claw', 'claw', 'claw'), 1.5, 55, (20, 30)),
    'bent': (('bent', 'bent', 'bent', 'bent'), 0.2, 20, (10, 10)),
    'horns': (('E', 'F', 'F', 'E'), 1.3, -30, (30, 40)),
    'relaxed': (('C', 'C', 'C', 'C'), 0.5, 25, (10, 10)),   # rest position, not a sign
}
SHAPE_DIM = 4 * 3 + 1 + 1 + 2


def shape_vector(name: str) -> np.ndarray:
    """The angle vector of a named hand shape (degrees; spread is a factor)."""
    if name not in _SHAPES:
        raise KeyError(f'unknown hand shape {name!r}, expected one of {sorted(_SHAPES)}')
    curls, spread, thumb_dir, thumb_curl = _SHAPES[name]
    return np.array([a for c in curls for a in _CURLS[c]] + [spread, thumb_dir, *thumb_curl],
                    dtype=np.float64)


def _chain(base: np.ndarray, direction: np.ndarray, lengths: np.ndarray,
           flex: np.ndarray) -> np.ndarray:
    """Joints after ``base`` along ``direction`` (T, F, 2) with flexions (T, F, 3) ->
    (T, F, 3, 2)."""
    projected = lengths * np.cos(np.cumsum(flex, axis=-1))           # (T, F, 3)
    return base + np.cumsum(projected[..., None] * direction[..., None, :], axis=-2)


def hand_joints(shape: np.ndarray, wrist: np.ndarray, angle: np.ndarray, size: float,
                mirror: bool) -> np.ndarray:
    """21 COCO-order hand joints in pixels.

    shape (T, SHAPE_DIM) angle vectors, wrist (T, 2) pixels, angle (T,) degrees of in-plane
    rotation towards the midline, size = hand length in pixels, mirror for a left hand.
    """
    t = shape.shape[0]
    flex = np.radians(shape[:, :12].reshape(t, 4, 3))
    spread, thumb_dir = shape[:, 12], np.radians(shape[:, 13])
    finger_angle = _SPLAY[None] * spread[:, None]                   # (T, 4)
    finger_dir = np.stack([np.sin(finger_angle), -np.cos(finger_angle)], -1)
    mcp = np.broadcast_to(_MCP, (t, 4, 2))[:, :, None]
    fingers = np.concatenate([mcp, _chain(mcp, finger_dir, _SEGMENTS, flex)], 2)  # (T, 4, 4, 2)
    thumb_vec = np.stack([np.sin(thumb_dir), -np.cos(thumb_dir)], -1)[:, None]
    thumb_flex = np.radians(np.concatenate([np.zeros((t, 1)), shape[:, 14:16]], 1))[:, None]
    thumb = _chain(np.broadcast_to(_THUMB_CMC, (t, 1, 2))[:, :, None], thumb_vec,
                   _THUMB_SEGMENTS, thumb_flex)[:, 0]
    local = np.concatenate([np.zeros((t, 1, 2)), np.broadcast_to(_THUMB_CMC, (t, 1, 2)), thumb,
                            fingers.reshape(t, 16, 2)], 1)              # (T, 21, 2)
    rad = np.radians(angle)
    cos, sin = np.cos(rad)[:, None], np.sin(rad)[:, None]
    x, y = local[..., 0], local[..., 1]
    rotated = np.stack([x * cos - y * sin, x * sin + y * cos], -1)
    if mirror:
        rotated[..., 0] *= -1
    return wrist[:, None] + size * rotated


def wrist_from_palm(palm: np.ndarray, angle: np.ndarray, size: float, mirror: bool) -> np.ndarray:
    """Wrist position that puts the palm centre at ``palm`` (T, 2) for the given rotation."""
    rad = np.radians(angle)
    offset = np.stack([-PALM_CENTER[1] * np.sin(rad), PALM_CENTER[1] * np.cos(rad)], -1)
    offset[:, 0] *= -1 if mirror else 1
    return palm - size * offset
