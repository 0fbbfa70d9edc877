"""Pose estimators for ``tools/extract_pose.py``, registered in ``POSE_BACKENDS`` by name, and the
keypoint-file importers of ``--backend precomputed``, registered by suffix."""
from unisign_fla.extraction.backends.base import ClipContext, PoseBackend, PoseEstimationError
from unisign_fla.extraction.backends.mediapipe_holistic import MediaPipeHolisticBackend
from unisign_fla.extraction.backends.mmpose_topdown import MMPoseBackend
from unisign_fla.extraction.backends.pose_format_file import load_pose_file
from unisign_fla.extraction.backends.precomputed import (
           KEYPOINT_IMPORTERS,
           PrecomputedBackend,
           keypoint_importer,
)
from unisign_fla.extraction.backends.rtmpose import RTMPoseBackend
from unisign_fla.extraction.backends.unisign_pose_pickle import load_unisign_pickle

__all__ = ['ClipContext', 'PoseBackend', 'PoseEstimationError', 'PrecomputedBackend',
           'MediaPipeHolisticBackend', 'MMPoseBackend', 'RTMPoseBackend', 'KEYPOINT_IMPORTERS',
           'keypoint_importer', 'load_pose_file', 'load_unisign_pickle']
