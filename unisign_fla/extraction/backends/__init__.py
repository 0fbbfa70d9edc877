"""Pose estimators for ``tools/extract_pose.py``, registered in ``POSE_BACKENDS`` by name, and the
keypoint-file importers of ``--backend precomputed``, registered by suffix."""
from .base import ClipContext, PoseBackend, PoseEstimationError
from .precomputed import KEYPOINT_IMPORTERS, PrecomputedBackend, keypoint_importer
from .mediapipe_holistic import MediaPipeHolisticBackend
from .mmpose_topdown import MMPoseBackend
from .pose_format_file import load_pose_file
from .rtmpose import RTMPoseBackend
from .unisign_pose_pickle import load_unisign_pickle

__all__ = ['ClipContext', 'PoseBackend', 'PoseEstimationError', 'PrecomputedBackend',
           'MediaPipeHolisticBackend', 'MMPoseBackend', 'RTMPoseBackend', 'KEYPOINT_IMPORTERS',
           'keypoint_importer', 'load_pose_file', 'load_unisign_pickle']
