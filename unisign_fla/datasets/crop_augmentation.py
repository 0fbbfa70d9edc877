"""Photometric augmentation of the hand crops that score-aware sampling kept (training only).

Signers differ in skin tone, clothing, background and lighting far more than in how a hand
shape looks, and a data set has few signers: an RGB branch can separate training clips by such
colours, which do not carry over to new signers. Random brightness, contrast, saturation and
per-channel gains take that shortcut away and leave shape and texture (fingernails, palm creases).
"""
import numpy as np

from unisign_fla.registry import TRANSFORMS

from .transforms import HANDS

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

    def __call__(self, results: dict) -> dict:
        for hand in HANDS:
            crops = results[hand]['crops']
            if len(crops) == 0:
                continue
            num = len(crops)
            x = crops.astype(np.float32)
            x *= self._factors(num, self.brightness, 1, 1, 1)
            x *= self._factors(num, self.channel_gain, 1, 1, 3)
            grey = x @ LUMA                                                  # (K, S, S)
            x = grey[..., None] + (x - grey[..., None]) * self._factors(num, self.saturation,
                                                                        1, 1, 1)
            mean = grey.mean(axis=(1, 2))[:, None, None, None]
            x = mean + (x - mean) * self._factors(num, self.contrast, 1, 1, 1)
            results[hand] = dict(results[hand], crops=np.clip(x + 0.5, 0, 255).astype(np.uint8))
        return results
