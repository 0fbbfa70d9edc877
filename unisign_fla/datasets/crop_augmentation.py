"""Photometric augmentation of the hand crops that score-aware sampling kept (training only).

Signers differ in skin tone, clothing, background and lighting far more than in how a hand
shape looks, and a data set has few signers: an RGB branch can separate training clips by such
colours, which do not carry over to new signers. Random brightness, contrast, saturation and
per-channel gains take that shortcut away and leave shape and texture (fingernails, palm creases).

All four are linear in the pixel values, so each crop gets a single 3 x 4 affine colour map
(``cv2.transform``, uint8 in and out). Applied one by one in float numpy they took 19.6 ms per
SynthSign training sentence, three quarters of the RGB data pipeline's time; the map takes 1.4.
"""
import cv2
import numpy as np

from unisign_fla.keypoints import HANDS
from unisign_fla.registry import TRANSFORMS

# ITU-R BT.601 luma weights, for the grey image that contrast and saturation blend towards.
LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)


@TRANSFORMS.register_module()
class RandomCropColorJitter:
    """Per crop, independent random factors in ``[1 - x, 1 + x]``:

    Args:
        brightness: scales all pixel values.
        contrast: scales the distance from the crop's mean grey level.
        saturation: scales the distance from each pixel's grey level.
        channel_gain: scales each of R, G, B separately (colour cast, skin tone).

    Runs after ``ScoreAwareCropSampling``, so only the kept crops are touched. Crops stay uint8.
    """

    def __init__(self, brightness: float = 0.3, contrast: float = 0.3, saturation: float = 0.3,
                 channel_gain: float = 0.15):
        for name, value in (('brightness', brightness), ('contrast', contrast),
                            ('saturation', saturation), ('channel_gain', channel_gain)):
            if not 0.0 <= value < 1.0:
                raise ValueError(f'{name} must be in [0, 1), got {value}')
        self.brightness, self.contrast = brightness, contrast
        self.saturation, self.channel_gain = saturation, channel_gain

    def _factors(self, num: int, spread: float, *shape: int) -> np.ndarray:
        return np.random.uniform(1.0 - spread, 1.0 + spread, (num, *shape)).astype(np.float32)

    def colour_maps(self, crops: np.ndarray) -> np.ndarray:
        """Random (K, 3, 4) affine maps, one per crop, equal to applying in turn: brightness b,
        channel gains g, saturation s (blend towards the pixel's grey, ``LUMA . x``) and
        contrast c (blend towards the crop's mean grey m), i.e.
        ``c * (s * I + (1 - s) * 1 LUMA^T) * diag(b * g) x + (1 - c) * m``. Saturation keeps
        every pixel's grey level, so m is the mean grey after brightness and gains."""
        num = len(crops)
        gains = self._factors(num, self.brightness, 1) * self._factors(num, self.channel_gain, 3)
        saturation = self._factors(num, self.saturation, 1, 1)
        contrast = self._factors(num, self.contrast, 1, 1)
        blend = saturation * np.eye(3, dtype=np.float32) + (1.0 - saturation) * LUMA
        linear = contrast * blend * gains[:, None, :]                               # (K, 3, 3)
        channel_means = np.array([cv2.mean(crop)[:3] for crop in crops], np.float32)
        mean_grey = (gains * channel_means) @ LUMA                                  # (K,)
        offset = (1.0 - contrast[:, :, 0]) * mean_grey[:, None]                     # (K, 1)
        return np.concatenate([linear, np.repeat(offset[:, :, None], 3, axis=1)], axis=2)

    def __call__(self, results: dict) -> dict:
        for hand in HANDS:
            crops = results[hand]['crops']
            if len(crops) == 0:
                continue
            maps = self.colour_maps(crops)
            jittered = np.stack([cv2.transform(crop, colour_map)
                                 for crop, colour_map in zip(crops, maps)])
            results[hand] = dict(results[hand], crops=jittered)
        return results
