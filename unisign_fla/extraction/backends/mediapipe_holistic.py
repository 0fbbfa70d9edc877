"""``--backend mediapipe``: MediaPipe Holistic, the pose estimator that runs fully offline.

mediapipe 0.10.21 is the last release whose wheel ships the Holistic models (later releases
download them), so it needs no model files: useful where no RTMPose weights can be fetched, and
for a first look at a new dataset. Uni-Sign's published numbers use RTMPose keypoints: to compare
with them, use ``rtmpose``. Install (its metadata pins numpy<2, which this toolkit does not need)::

    pip install -e .[mediapipe] && pip install --no-deps mediapipe==0.10.21

Holistic tracks the most prominent person from frame to frame; its tracking state is reset at
each clip, so a clip's keypoints never depend on the clip processed before it. Keypoints map to
COCO-WholeBody as documented in formats/keypoint_files/holistic_to_wholebody.py: pose scores are
MediaPipe's visibility, face and hand points score 1 when that part was found on the frame and 0
when not.
"""
import os

import numpy as np

from unisign_fla.extraction.backends.base import ClipContext, PoseBackend
from unisign_fla.formats.keypoint_files.holistic_to_wholebody import (
    NUM_HAND_LANDMARKS,
    NUM_MESH_LANDMARKS,
    NUM_POSE_LANDMARKS,
    holistic_to_wholebody,
)
from unisign_fla.keypoints import HANDS
from unisign_fla.registry import POSE_BACKENDS

INSTALL_HINT = ('pip install -e .[mediapipe] && pip install --no-deps mediapipe==0.10.21')
# model_complexity -> the pose landmark model Holistic loads from the mediapipe package; only
# 'full' ships in the wheel, the others are downloaded on first use (impossible offline).
POSE_LANDMARK_MODELS = {0: 'pose_landmark_lite.tflite', 1: 'pose_landmark_full.tflite',
                        2: 'pose_landmark_heavy.tflite'}


def _import_mediapipe():
    try:
        import mediapipe
        from mediapipe.python.solutions import holistic
    except ImportError as e:
        raise ImportError(f'--backend mediapipe needs mediapipe 0.10.21 ({e}); install it with: '
                          f'{INSTALL_HINT}') from None
    return mediapipe, holistic


def _landmarks(landmark_list, num_points: int, width: int, height: int,
               use_visibility: bool) -> np.ndarray:
    """(num_points, 3) pixels and score from a landmark list; all-zero when the part is absent."""
    if landmark_list is None:
        return np.zeros((num_points, 3), np.float32)
    points = np.array([(p.x * width, p.y * height, p.visibility if use_visibility else 1.0)
                       for p in landmark_list.landmark[:num_points]], np.float32)
    points[:, 2] = np.clip(points[:, 2], 0, 1)
    return points


@POSE_BACKENDS.register_module(name='mediapipe')
class MediaPipeHolisticBackend(PoseBackend):
    name = 'mediapipe'
    needs_frames = True
    channel_order = 'rgb'

    def __init__(self, model_complexity: int = 1, smooth_landmarks: bool = True,
                 min_detection_confidence: float = 0.5, min_tracking_confidence: float = 0.5):
        mediapipe, holistic = _import_mediapipe()
        if model_complexity not in POSE_LANDMARK_MODELS:
            raise ValueError(f'model_complexity must be one of {sorted(POSE_LANDMARK_MODELS)}, '
                             f'got {model_complexity!r}')
        model_file = os.path.join(os.path.dirname(mediapipe.__file__), 'modules', 'pose_landmark',
                                  POSE_LANDMARK_MODELS[model_complexity])
        if not os.path.isfile(model_file):
            raise FileNotFoundError(
                f'model_complexity={model_complexity} needs {model_file}, which the mediapipe '
                f'wheel does not ship and mediapipe would download; copy the file there, or use '
                f'model_complexity=1 (shipped)')
        self.holistic = holistic.Holistic(
            static_image_mode=False, model_complexity=model_complexity,
            smooth_landmarks=smooth_landmarks, refine_face_landmarks=False,
            min_detection_confidence=min_detection_confidence,
            min_tracking_confidence=min_tracking_confidence)
        self.version = f'mediapipe={mediapipe.__version__};holistic;complexity={model_complexity}'

    def estimate(self, frames: np.ndarray | None, record: dict,
                 context: ClipContext) -> np.ndarray:
        self.holistic.reset()
        height, width = frames.shape[1:3]
        parts = {'pose': [], 'face': [], 'left_hand': [], 'right_hand': []}
        for frame in frames:   # Holistic takes one image at a time and tracks between them
            result = self.holistic.process(np.ascontiguousarray(frame))
            parts['pose'].append(_landmarks(result.pose_landmarks, NUM_POSE_LANDMARKS,
                                            width, height, use_visibility=True))
            parts['face'].append(_landmarks(result.face_landmarks, NUM_MESH_LANDMARKS,
                                            width, height, use_visibility=False))
            for hand in HANDS:
                parts[hand].append(_landmarks(getattr(result, f'{hand}_landmarks'),
                                              NUM_HAND_LANDMARKS, width, height,
                                              use_visibility=False))
        return holistic_to_wholebody(**{name: np.stack(rows) for name, rows in parts.items()})

    def close(self) -> None:
        self.holistic.close()
