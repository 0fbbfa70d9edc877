"""The 68-point face (iBUG 300-W order) with mouth and eyebrow movements.

The encoder reads the jaw, the inner lips and the nose tip, so these carry the non-manual
components of signs (mouth open / rounded / stretched, eyebrows raised / lowered). Points are in
head-width units around the head centre, y down; image-left is the signer's right.
"""
import numpy as np

# Face parameter channels, each in [0, 1] except brows in [-1, 1] (+1 raised, -1 lowered).
FACE_CHANNELS = ('open', 'round', 'stretch', 'brows')
FACE_DIM = len(FACE_CHANNELS)
HEAD_HALF_HEIGHT = 0.62                   # head outline, in head widths
EYE_LINE = -0.05

_COMPONENT_VALUES = {'none': (0, 0, 0, 0), 'mouth_open': (1, 0, 0, 0),
                     'mouth_round': (0, 1, 0, 0), 'mouth_stretch': (0, 0, 1, 0),
                     'brows_up': (0, 0, 0, 1), 'brows_down': (0, 0, 0, -1)}


def face_vector(component: str) -> np.ndarray:
    """Parameter vector of a sign's face component (``'none'`` = neutral face)."""
    if component not in _COMPONENT_VALUES:
        raise KeyError(f'unknown face component {component!r}, expected one of '
                       f'{sorted(_COMPONENT_VALUES)}')
    return np.array(_COMPONENT_VALUES[component], dtype=np.float64)


def _neutral() -> np.ndarray:
    pts = np.zeros((68, 2))
    phi = np.pi - np.pi * np.arange(17) / 16                       # jaw: ear to ear via chin
    pts[0:17] = np.stack([0.47 * np.cos(phi), EYE_LINE + 0.6 * np.sin(phi)], -1)
    brow = np.linspace(0, 1, 5)
    pts[17:22] = np.stack([-0.36 + 0.27 * brow, -0.19 - 0.05 * np.sin(np.pi * brow)], -1)
    pts[22:27] = pts[17:22][::-1] * [-1, 1]
    pts[27:31] = np.stack([np.zeros(4), np.linspace(-0.07, 0.17, 4)], -1)
    pts[31:36] = np.stack([np.linspace(-0.09, 0.09, 5), [0.21, 0.225, 0.235, 0.225, 0.21]], -1)
    eye = np.radians([180, 120, 60, 0, -60, -120])
    eye_shape = np.stack([0.085 * np.cos(eye), -0.035 * np.sin(eye)], -1)
    pts[36:42] = eye_shape + [-0.2, EYE_LINE]
    pts[42:48] = eye_shape + [0.2, EYE_LINE]         # both eyes start at their image-left corner
    return pts


_NEUTRAL = _neutral()
_OUTER = np.radians([180, 150, 120, 90, 60, 30, 0, -30, -60, -90, -120, -150])
_INNER = np.radians([180, 135, 90, 45, 0, -45, -90, -135])
_MOUTH_Y = 0.37


def face_points(params: np.ndarray) -> np.ndarray:
    """(T, FACE_DIM) parameters -> (T, 68, 2) points in head-width units."""
    t = params.shape[0]
    open_, rnd, stretch, brows = (params[:, i:i + 1] for i in range(4))
    pts = np.repeat(_NEUTRAL[None], t, 0)
    # the jaw drops with an open mouth, more at the chin than at the ears
    drop = 0.09 * open_ + 0.04 * rnd
    pts[:, 0:17, 1] += drop * np.sin(np.pi * np.arange(17) / 16)
    raise_ = 0.07 * np.clip(brows, 0, None) - 0.04 * np.clip(-brows, 0, None)
    pts[:, 17:27, 1] -= raise_
    pts[:, [21, 22], 0] *= 1 - 0.3 * np.clip(-brows, 0, None)        # frown: inner brows close
    half_w = 0.17 * (1 - 0.35 * rnd + 0.3 * stretch)
    top_h = 0.045 * (1 + 0.6 * rnd - 0.3 * stretch)
    gap = 0.10 * open_ + 0.05 * rnd
    centre_y = _MOUTH_Y + 0.5 * drop
    outer_y = np.where(np.sin(_OUTER) > 0, -top_h * np.sin(_OUTER),
                       -(top_h + 0.01 + gap) * np.sin(_OUTER))
    pts[:, 48:60, 0] = half_w * np.cos(_OUTER)
    pts[:, 48:60, 1] = centre_y + outer_y
    inner_w = half_w * 0.7
    pts[:, 60:68, 0] = inner_w * np.cos(_INNER)
    pts[:, 60:68, 1] = centre_y - 0.5 * gap * np.sin(_INNER) + 0.005
    return pts
