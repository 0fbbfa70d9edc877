"""Pose estimators for ``tools/extract_pose.py``, registered in ``POSE_BACKENDS`` by name."""
from .base import ClipContext, PoseBackend, PoseEstimationError
from .precomputed import KEYPOINT_IMPORTERS, PrecomputedBackend, keypoint_importer
from .mediapipe_holistic import MediaPipeHolisticBackend
from .rtmpose import RTMPoseBackend

__all__ = ['ClipContext', 'MediaPipeHolisticBackend', 'PoseBackend', 'PoseEstimationError',
           'PrecomputedBackend', 'RTMPoseBackend', 'KEYPOINT_IMPORTERS', 'keypoint_importer']
