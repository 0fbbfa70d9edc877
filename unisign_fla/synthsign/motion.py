"""Timelines: per-frame articulation (palm positions, hand rotations, hand shapes, face) of a
sequence of signs, with smooth transitions, handshape anticipation and co-articulation.

Coordinates are in the signer's body units (shoulder width = 1, origin at the neck base, y down).
Each hand's x is stored in its *own* frame (negative = towards its own side), so the two hands
of a symmetric sign have identical channels; the skeleton mirrors the left hand.
"""
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from unisign_fla.synthsign.face import EYE_LINE, FACE_DIM, face_vector
from unisign_fla.synthsign.hand import SHAPE_DIM, shape_vector
from unisign_fla.synthsign.signer import Signer
from unisign_fla.synthsign.vocabulary import Sign

_MOVEMENT_FRAMES = {'tap': 5, 'circle': 7, 'up': 6, 'down': 6, 'across': 6, 'out': 6,
                    'zigzag': 7, 'arc': 6, 'twist': 6}
REST_PALM = np.array([-0.3, 1.32])
REST_ANGLE = 170.0
BASE_PALM = np.array([-0.05, 0.72])       # the non-dominant flat hand of 'base' signs
BASE_ANGLE = 90.0
FACING = {'palm': 0, 'back': 1}


def head_centre(signer: Signer) -> np.ndarray:
    """Head centre in body units: the chin (jaw bottom) sits just above the neck base."""
    return np.array([0.0, -0.18 - (EYE_LINE + 0.6) * signer.head])


def locations(signer: Signer) -> dict:
    """Palm targets of the dominant hand for each location, in body units."""
    head, h = head_centre(signer), signer.head
    return {'forehead': head + [-0.05 * h, -0.33 * h], 'eyes': head + [-0.22 * h, EYE_LINE * h],
            'nose': head + [0.0, 0.2 * h], 'chin': head + [0.0, 0.6 * h],
            'cheek': head + [-0.42 * h, 0.22 * h], 'shoulder': np.array([-0.42, 0.08]),
            'chest': np.array([0.02, 0.35]), 'stomach': np.array([-0.02, 0.95]),
            'neutral': np.array([-0.3, 0.62]), 'side': np.array([-0.78, 0.45])}


def movement(name: str, u: np.ndarray):
    """Offset (T, 2) in body units (+x towards the midline) and extra rotation (T,) in degrees
    along the eased phase ``u`` in [0, 1]."""
    zero = np.zeros_like(u)
    if name == 'tap':
        off = np.stack([zero, -0.09 * np.abs(np.sin(2 * np.pi * u))], -1)
    elif name == 'circle':
        a = 2 * np.pi * u
        off = np.stack([0.17 * (np.cos(a) - 1), 0.17 * np.sin(a)], -1)
    elif name in ('up', 'down'):
        off = np.stack([zero, (0.2 - 0.4 * u) * (1 if name == 'up' else -1)], -1)
    elif name in ('across', 'out'):
        off = np.stack([(0.4 * u - 0.2) * (1 if name == 'across' else -1), zero], -1)
    elif name == 'zigzag':
        off = np.stack([0.13 * np.sin(3 * np.pi * u), 0.3 * u - 0.15], -1)
    elif name == 'arc':
        off = np.stack([-0.22 * np.cos(np.pi * u), -0.2 * np.sin(np.pi * u)], -1)
    elif name == 'twist':
        return np.stack([zero, zero], -1), 80.0 * u - 40.0
    else:
        raise KeyError(f'unknown movement {name!r}, expected one of {sorted(_MOVEMENT_FRAMES)}')
    return off, zero


@dataclass
class Timeline:
    """Per-frame articulation; hand axis 0 = right (dominant), 1 = left."""
    palm: np.ndarray          # (T, 2, 2) body units, own-frame x
    angle: np.ndarray         # (T, 2) degrees
    shape: np.ndarray         # (T, 2, SHAPE_DIM)
    face: np.ndarray          # (T, FACE_DIM)
    facing: np.ndarray        # (T, 2) 0 = palm, 1 = back towards the camera (RGB only)
    sign_index: np.ndarray    # (T,) index of the sign being articulated, -1 in rests/transitions

    @property
    def num_frames(self) -> int:
        return len(self.sign_index)


def _smoothstep(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3 - 2 * x)


_P, _A, _S = slice(0, 4), slice(4, 6), slice(6, 6 + 2 * SHAPE_DIM)
_F = slice(_S.stop, _S.stop + FACE_DIM)
_FACING = slice(_F.stop, _F.stop + 2)
_WIDTH = _FACING.stop + 1          # flat frame row: palm 4, angle 2, shapes, face, facing 2, index


def _rest_row() -> np.ndarray:
    row = np.zeros(_WIDTH)
    row[_P] = np.tile(REST_PALM, 2)
    row[_A] = REST_ANGLE
    row[_S] = np.tile(shape_vector('relaxed'), 2)
    row[_FACING] = FACING['back']
    row[-1] = -1
    return row


def _sign_block(sign: Sign, index: int, n: int, signer: Signer,
                rng: np.random.Generator) -> np.ndarray:
    p = sign.params
    u = _smoothstep(np.linspace(0.0, 1.0, n))
    offset, twist = movement(p.movement, u)
    amplitude = rng.uniform(0.85, 1.15)
    jitter = rng.normal(0.0, 0.025, 2)
    dominant = locations(signer)[p.location] + jitter + amplitude * offset
    block = np.repeat(_rest_row()[None], n, 0)
    block[:, 0:2] = dominant
    block[:, 4] = p.orientation + twist
    block[:, _S.start:_S.start + SHAPE_DIM] = shape_vector(p.handshape)
    if p.hands == 'symmetric':
        block[:, 2:4] = dominant
        block[:, 5] = block[:, 4]
        block[:, _S.start + SHAPE_DIM:_S.stop] = shape_vector(p.handshape)
    elif p.hands == 'base':
        block[:, 2:4] = BASE_PALM + jitter
        block[:, 5] = BASE_ANGLE
        block[:, _S.start + SHAPE_DIM:_S.stop] = shape_vector('B')
    block[:, _F] = face_vector(p.face)
    block[:, _FACING] = [FACING[p.facing], FACING[p.facing] if p.hands == 'symmetric' else 0]
    if p.hands == 'one':
        block[:, _FACING.start + 1] = FACING['back']
    block[:, -1] = index
    return block


def _transition(start: np.ndarray, end: np.ndarray, m: int) -> np.ndarray:
    """``m`` in-between frames; hand shapes and face anticipate the next sign (arrive early)."""
    k = np.arange(1, m + 1)[:, None] / (m + 1)
    pos = _smoothstep(k)
    early = _smoothstep(1.6 * k)
    block = start + pos * (end - start)
    for part in (_S, _F):
        block[:, part] = start[part] + early * (end[part] - start[part])
    block[:, _FACING] = np.where(k < 0.5, start[_FACING], end[_FACING])
    block[:, -1] = -1
    return block


def build_timeline(signs: Sequence[Sign], signer: Signer, rng: np.random.Generator,
                   rest_frames: int = 2) -> Timeline:
    """Rest, then each sign preceded by a transition, then back to rest."""
    if rest_frames < 1 or not signs:
        raise ValueError(f'a timeline needs rest_frames >= 1 and at least one sign, got '
                         f'rest_frames={rest_frames} and {len(signs)} signs')
    rest = _rest_row()
    rows = [np.repeat(rest[None], rest_frames, 0)]
    for i, sign in enumerate(signs):
        base = _MOVEMENT_FRAMES[sign.params.movement]
        n = int(np.clip(round(base * signer.speed * rng.uniform(0.92, 1.08)), 5, 8))
        block = _sign_block(sign, i, n, signer, rng)
        rows += [_transition(rows[-1][-1], block[0], signer.transition), block]
    rows += [_transition(rows[-1][-1], rest, signer.transition),
             np.repeat(rest[None], rest_frames, 0)]
    data = np.concatenate(rows, 0)
    # Co-articulation: a light temporal blur makes signs undershoot towards their neighbours.
    padded = np.concatenate([data[:1], data, data[-1:]], 0)
    smooth = 0.25 * padded[:-2] + 0.5 * padded[1:-1] + 0.25 * padded[2:]
    data[:, :_A.stop] = smooth[:, :_A.stop]
    t = len(data)
    return Timeline(palm=data[:, _P].reshape(t, 2, 2), angle=data[:, _A],
                    shape=data[:, _S].reshape(t, 2, SHAPE_DIM), face=data[:, _F],
                    facing=data[:, _FACING].astype(np.int64), sign_index=data[:, -1].astype(int))
