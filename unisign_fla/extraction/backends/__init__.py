"""Pose estimators for ``tools/extract_pose.py``, registered in ``POSE_BACKENDS`` by name
(``precomputed`` reads keypoint files through ``unisign_fla.formats.keypoint_files``)."""
from unisign_fla.extraction.backends.base import ClipContext, PoseBackend, PoseEstimationError
from unisign_fla.extraction.backends.mediapipe_holistic import MediaPipeHolisticBackend
from unisign_fla.extraction.backends.mmpose_topdown import MMPoseBackend
from unisign_fla.extraction.backends.precomputed import PrecomputedBackend
from unisign_fla.extraction.backends.rtmpose import RTMPoseBackend

__all__ = ['ClipContext', 'PoseBackend', 'PoseEstimationError', 'PrecomputedBackend',
           'MediaPipeHolisticBackend', 'MMPoseBackend', 'RTMPoseBackend']
