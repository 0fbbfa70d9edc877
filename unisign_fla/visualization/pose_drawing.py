"""Drawing one frame's keypoints and its crop marks onto an RGB image.

Coloured by score because the score is what score-aware sampling and the normalisation act on:
a person checking an extraction wants to see at a glance which joints the estimator doubted.
Everything works on RGB uint8 arrays (the shards' and matplotlib's order); writers convert.
"""
from collections.abc import Sequence

import cv2
import numpy as np

from unisign_fla.keypoints import FACE, JOINT_SCORE_THRESHOLD, WHOLEBODY_EDGES

# Border and label colour (RGB) of a frame whose crop the RGB branch sees, per hand letter:
# blue and magenta stay apart from the red-to-green score colours.
CROP_COLORS = {'L': (40, 120, 255), 'R': (255, 0, 255)}
FACE_POINTS = frozenset(FACE)


def score_color(score: float) -> tuple:
    """RGB from red (score 0) through yellow (0.5) to green (1)."""
    s = float(np.clip(score, 0.0, 1.0))
    return (int(255 * min(1.0, 2.0 * (1.0 - s))), int(255 * min(1.0, 2.0 * s)), 0)


def draw_pose(image: np.ndarray, keypoints: np.ndarray, threshold: float = JOINT_SCORE_THRESHOLD,
              radius: int = 3) -> np.ndarray:
    """Draw the COCO-WholeBody skeleton and joints of ``keypoints`` (133, 3: x, y, score in
    ``image`` pixels) onto ``image`` in place and return it.

    Joints scoring at least ``threshold`` are filled discs, lower ones hollow rings; an edge takes
    the colour of its weaker end and is thin when that end is below ``threshold``. A score of 0
    means "not found": such joints and their edges are not drawn."""
    xy = np.round(keypoints[:, :2]).astype(np.int64)
    scores = keypoints[:, 2]
    for a, b in WHOLEBODY_EDGES:
        weaker = min(scores[a], scores[b])
        if weaker <= 0:
            continue
        cv2.line(image, tuple(map(int, xy[a])), tuple(map(int, xy[b])), score_color(weaker),
                 max(1, radius // 2) if weaker >= threshold else 1, cv2.LINE_AA)
    for joint in np.argsort(scores, kind='stable'):     # confident joints end on top
        if scores[joint] <= 0:
            continue
        size = max(1, radius - 1) if joint in FACE_POINTS else radius
        filled = scores[joint] >= threshold
        cv2.circle(image, tuple(map(int, xy[joint])), size, score_color(scores[joint]),
                   -1 if filled else 1, cv2.LINE_AA)
    return image


def put_label(image: np.ndarray, text: str, origin: tuple, color: tuple, scale: float) -> None:
    """Text on a black box (bottom-left corner at ``origin``), readable on any background."""
    thickness = max(1, int(round(2 * scale)))
    (width, height), baseline = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, thickness)
    x, y = origin
    pad = max(2, int(round(4 * scale)))
    cv2.rectangle(image, (x - pad, y - height - pad), (x + width + pad, y + baseline + pad // 2),
                  (0, 0, 0), -1)
    cv2.putText(image, text, (x, y), cv2.FONT_HERSHEY_SIMPLEX, scale, color, thickness,
                cv2.LINE_AA)


def label_scale(image: np.ndarray) -> float:
    """Font scale for labels: legible on the drawn frames and on a contact sheet of them."""
    return max(0.5, image.shape[1] / 700)


def mark_crops(image: np.ndarray, letters: Sequence[str], border: int = 6) -> np.ndarray:
    """Mark a frame where the RGB branch gets a crop: a border per hand (left outside, right
    inside it) and a label ``'L crop'`` / ``'R crop'`` at the top. In place; returns ``image``."""
    height, width = image.shape[:2]
    scale = label_scale(image)
    for n, letter in enumerate(sorted(letters)):
        inset = n * border
        cv2.rectangle(image, (inset, inset), (width - 1 - inset, height - 1 - inset),
                      CROP_COLORS[letter], border)
        text = f'{letter} crop'
        (text_width, text_height), _ = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, 2)
        x = 3 * border if letter == 'L' else width - 3 * border - text_width
        put_label(image, text, (x, 3 * border + text_height), CROP_COLORS[letter], scale)
    return image


def draw_crop_box(image: np.ndarray, box: Sequence[float], letter: str, scale: float = 1.0
                  ) -> np.ndarray:
    """Outline the region a chosen crop was cut from (``x0, y0, x1, y1`` in pose pixels, times
    ``scale``) in its hand's colour. In place; returns ``image``."""
    x0, y0, x1, y1 = (int(round(v * scale)) for v in box)
    cv2.rectangle(image, (x0, y0), (x1, y1), CROP_COLORS[letter], 2, cv2.LINE_AA)
    return image


def draw_score_legend(image: np.ndarray, threshold: float, margin: int = 18) -> np.ndarray:
    """A small red-to-green bar from score 0 to 1 with a white tick at the threshold, bottom
    right. In place; returns ``image``."""
    height, width = image.shape[:2]
    scale = label_scale(image)
    bar_width, bar_height = max(60, width // 5), max(8, height // 50)
    (label_width, _), _ = cv2.getTextSize('1', cv2.FONT_HERSHEY_SIMPLEX, scale, 1)
    x0 = width - 2 * margin - label_width - bar_width
    y0 = height - margin - bar_height
    for i in range(bar_width):
        cv2.line(image, (x0 + i, y0), (x0 + i, y0 + bar_height), score_color(i / (bar_width - 1)))
    tick = x0 + int(round(threshold * (bar_width - 1)))
    cv2.line(image, (tick, y0 - 4), (tick, y0 + bar_height + 4), (255, 255, 255), 2)
    (text_width, _), _ = cv2.getTextSize('score 0', cv2.FONT_HERSHEY_SIMPLEX, scale,
                                         max(1, int(round(2 * scale))))
    put_label(image, 'score 0', (x0 - text_width - 2 * margin // 3, y0 + bar_height),
              (255, 255, 255), scale)
    put_label(image, '1', (x0 + bar_width + margin // 2, y0 + bar_height), (255, 255, 255),
              scale)
    return image
