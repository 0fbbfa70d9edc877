"""Pose estimators for ``tools/extract_pose.py``, registered in ``POSE_BACKENDS`` by name."""
from .base import ClipContext, PoseBackend, PoseEstimationError
from .precomputed import KEYPOINT_IMPORTERS, PrecomputedBackend, keypoint_importer
from .mediapipe_holistic import MediaPipeHolisticBackend
from .pose_format_file import load_pose_file
from .rtmpose import RTMPoseBackend
from .unisign_pose_pickle import load_unisign_pickle

__all__ = ['ClipContext', 'MediaPipeHolisticBackend', 'PoseBackend', 'PoseEstimationError',
           'PrecomputedBackend', 'RTMPoseBackend', 'KEYPOINT_IMPORTERS', 'keypoint_importer',
           'load_pose_file', 'load_unisign_pickle']
