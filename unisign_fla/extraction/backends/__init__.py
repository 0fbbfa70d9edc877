"""Pose estimators for ``tools/extract_pose.py``, registered in ``POSE_BACKENDS`` by name."""
from .base import ClipContext, PoseBackend, PoseEstimationError
from .precomputed import KEYPOINT_IMPORTERS, PrecomputedBackend, keypoint_importer

__all__ = ['ClipContext', 'PoseBackend', 'PoseEstimationError', 'PrecomputedBackend',
           'KEYPOINT_IMPORTERS', 'keypoint_importer']
