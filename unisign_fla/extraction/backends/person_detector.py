"""An ONNX person detector (RTMDet or YOLOX, as exported end-to-end by mmdeploy / rtmlib).

The file maps a letterboxed image to ``dets`` (1, K, 5): x0, y0, x1, y1 in input pixels and a
score, and ``labels`` (1, K). Class 0 is the person (COCO order, and the only class of person
detectors). NMS runs here too, so files exported with or without it behave the same.
"""

import cv2
import numpy as np

from unisign_fla.extraction.backends.onnx_session import input_geometry, open_session

# Input normalisation of mmdet's detectors; both take BGR pixels.
DETECTOR_PRESETS = {
    'rtmdet': dict(mean=(103.53, 116.28, 123.675), std=(57.375, 57.12, 58.395)),
    'yolox': dict(mean=(0.0, 0.0, 0.0), std=(1.0, 1.0, 1.0)),
}
LETTERBOX_FILL = 114


def non_max_suppression(boxes: np.ndarray, scores: np.ndarray, iou_threshold: float) -> np.ndarray:
    """Indices of the boxes kept by greedy NMS, best first."""
    order = np.argsort(-scores, kind='stable')
    areas = (np.clip(boxes[:, 2] - boxes[:, 0], 0, None)
             * np.clip(boxes[:, 3] - boxes[:, 1], 0, None))
    keep = []
    while len(order):
        best, rest = order[0], order[1:]
        keep.append(best)
        overlap = box_iou(boxes[best], boxes[rest], areas[best], areas[rest])
        order = rest[overlap <= iou_threshold]
    return np.array(keep, np.int64)


def box_iou(box: np.ndarray, others: np.ndarray, area: float | None = None,
            other_areas: np.ndarray | None = None) -> np.ndarray:
    """IoU of one ``(4,)`` box with each row of ``(N, 4)``."""
    if area is None:
        area = max(box[2] - box[0], 0) * max(box[3] - box[1], 0)
    if other_areas is None:
        other_areas = (np.clip(others[:, 2] - others[:, 0], 0, None)
                       * np.clip(others[:, 3] - others[:, 1], 0, None))
    w = np.clip(np.minimum(box[2], others[:, 2]) - np.maximum(box[0], others[:, 0]), 0, None)
    h = np.clip(np.minimum(box[3], others[:, 3]) - np.maximum(box[1], others[:, 1]), 0, None)
    inter = w * h
    return inter / np.maximum(area + other_areas - inter, 1e-9)


class PersonDetector:
    """People in BGR frames (OpenCV's order, which mmdet's detectors take): for each frame, boxes
    ``(N, 4)`` in frame pixels and scores ``(N,)``."""

    def __init__(self, path: str, kind: str = 'rtmdet', device: str = 'cpu',
                 threads: int | None = None, score_threshold: float = 0.3,
                 nms_iou: float = 0.45):
        if kind not in DETECTOR_PRESETS:
            raise ValueError(f'detector kind must be one of {sorted(DETECTOR_PRESETS)}, '
                             f'got {kind!r}')
        self.session = open_session(path, device, threads, what='person detector')
        self.input_name, _, self.height, self.width = input_geometry(self.session, (640, 640))
        preset = DETECTOR_PRESETS[kind]
        self.mean = np.array(preset['mean'], np.float32)
        self.std = np.array(preset['std'], np.float32)
        self.score_threshold, self.nms_iou = score_threshold, nms_iou

    def _letterbox(self, frame_bgr: np.ndarray) -> tuple[np.ndarray, float]:
        ratio = min(self.height / frame_bgr.shape[0], self.width / frame_bgr.shape[1])
        size = (max(1, round(frame_bgr.shape[1] * ratio)),
                max(1, round(frame_bgr.shape[0] * ratio)))
        canvas = np.full((self.height, self.width, 3), LETTERBOX_FILL, np.float32)
        canvas[:size[1], :size[0]] = cv2.resize(frame_bgr, size, interpolation=cv2.INTER_LINEAR)
        canvas = (canvas - self.mean) / self.std
        return canvas.transpose(2, 0, 1)[None], ratio

    def detect(self, frames_bgr: list[np.ndarray]) -> list[tuple[np.ndarray, np.ndarray]]:
        results = []
        for frame in frames_bgr:
            image, ratio = self._letterbox(frame)
            dets, labels = self.session.run(None, {self.input_name: image})[:2]
            dets, labels = dets.reshape(-1, 5), labels.reshape(-1)
            person = (labels == 0) & (dets[:, 4] >= self.score_threshold)
            person &= np.isfinite(dets).all(axis=1)
            boxes, scores = dets[person, :4] / ratio, dets[person, 4]
            boxes[:, 0::2] = boxes[:, 0::2].clip(0, frame.shape[1])
            boxes[:, 1::2] = boxes[:, 1::2].clip(0, frame.shape[0])
            real = (boxes[:, 2] - boxes[:, 0] >= 2) & (boxes[:, 3] - boxes[:, 1] >= 2)
            boxes, scores = boxes[real], scores[real]
            keep = non_max_suppression(boxes, scores, self.nms_iou)
            results.append((boxes[keep].astype(np.float32), scores[keep].astype(np.float32)))
        return results
