"""An ONNX top-down whole-body pose model with SimCC outputs (RTMPose, RTMW, DWPose files).

Follows mmpose's conventions so that official exports give official keypoints: the person box is
enlarged by ``padding`` (1.25) and widened or heightened to the model's aspect ratio, warped to
the input size, normalised with ImageNet mean/std in RGB; SimCC decoding takes the arg-max bin of
each axis divided by the split ratio, and the score is the smaller of the two maxima.
Crops of all frames are batched (a model exported with a fixed batch of 1 gets one at a time).
"""

import cv2
import numpy as np

from unisign_fla.extraction.backends.onnx_session import input_geometry, open_session

IMAGENET_MEAN_RGB = np.array([123.675, 116.28, 103.53], np.float32)
IMAGENET_STD_RGB = np.array([58.395, 57.12, 57.375], np.float32)


def box_to_center_scale(boxes: np.ndarray, aspect: float, padding: float):
    """Centres (N, 2) and sizes (N, 2) of the regions to warp: padded, then fixed to ``aspect``
    (width / height) by growing the short side, as mmpose does."""
    center = (boxes[:, :2] + boxes[:, 2:]) / 2
    size = np.maximum(boxes[:, 2:] - boxes[:, :2], 1.0) * padding
    w, h = size[:, 0], size[:, 1]
    w, h = np.where(w > h * aspect, w, h * aspect), np.where(w > h * aspect, w / aspect, h)
    return center, np.stack([w, h], axis=1)


class TopDownPoseModel:
    """(T, 133, 3) keypoints in frame pixels from BGR frames and one person box per frame (only
    the warped crops are converted to the RGB the model takes)."""

    def __init__(self, path: str, device: str = 'cpu', threads: int | None = None,
                 batch_size: int = 16, padding: float = 1.25):
        self.session = open_session(path, device, threads, what='pose model')
        self.input_name, fixed_batch, self.height, self.width = input_geometry(self.session,
                                                                               (256, 192))
        self.batch_size = fixed_batch or batch_size
        self.padding = padding
        outputs = self.session.get_outputs()
        if len(outputs) < 2:
            raise ValueError(f'{path}: expected SimCC outputs (simcc_x, simcc_y), got '
                             f'{[o.name for o in outputs]}')

    def _warp(self, frame: np.ndarray, center: np.ndarray, size: np.ndarray) -> np.ndarray:
        scale = self.width / size[0]
        matrix = np.array([[scale, 0, self.width / 2 - center[0] * scale],
                           [0, scale, self.height / 2 - center[1] * scale]], np.float32)
        return cv2.warpAffine(frame, matrix, (self.width, self.height), flags=cv2.INTER_LINEAR)

    def __call__(self, frames_bgr: np.ndarray, boxes: np.ndarray) -> np.ndarray:
        center, size = box_to_center_scale(np.asarray(boxes, np.float32),
                                           self.width / self.height, self.padding)
        keypoints = []
        for start in range(0, len(frames_bgr), self.batch_size):
            rows = range(start, min(start + self.batch_size, len(frames_bgr)))
            crops = np.stack([self._warp(frames_bgr[t], center[t], size[t]) for t in rows])
            simcc_x, simcc_y = self.session.run(None, {self.input_name: self._normalise(crops)})[:2]
            keypoints.append(self._decode(simcc_x, simcc_y, center[rows.start:rows.stop],
                                          size[rows.start:rows.stop]))
        return np.concatenate(keypoints)

    @staticmethod
    def _normalise(crops_bgr: np.ndarray) -> np.ndarray:
        """uint8 (B, H, W, 3) BGR -> float32 (B, 3, H, W) normalised RGB, one channel at a time
        (six times faster than the broadcast expression over a reversed view)."""
        out = np.empty((len(crops_bgr), 3) + crops_bgr.shape[1:3], np.float32)
        for channel in range(3):
            np.subtract(crops_bgr[..., 2 - channel], IMAGENET_MEAN_RGB[channel],
                        out=out[:, channel])
            out[:, channel] *= 1.0 / IMAGENET_STD_RGB[channel]
        return out

    def _decode(self, simcc_x, simcc_y, center, size) -> np.ndarray:
        split_x = simcc_x.shape[-1] / self.width
        split_y = simcc_y.shape[-1] / self.height
        x = simcc_x.argmax(-1) / split_x                  # (B, K) in input pixels
        y = simcc_y.argmax(-1) / split_y
        score = np.minimum(simcc_x.max(-1), simcc_y.max(-1))
        pixel = size[:, 0:1] / self.width                 # source pixels per input pixel
        out = np.empty(x.shape + (3,), np.float32)
        out[..., 0] = (x - self.width / 2) * pixel + center[:, 0:1]
        out[..., 1] = (y - self.height / 2) * pixel + center[:, 1:2]
        out[..., 2] = np.clip(np.nan_to_num(score), 0.0, 1.0)
        return out
