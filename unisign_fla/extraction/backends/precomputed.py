"""Keypoints computed elsewhere and named by the manifest's ``keypoints`` field.

Each keypoint file format has one importer keyed by its suffix: the native ``.npy`` now; importers
for Uni-Sign's released pickles and ``.pose`` files plug into ``KEYPOINT_IMPORTERS`` the same way.
"""
import os
from typing import Callable, Dict, Optional

import numpy as np

from ...keypoints import NUM_KEYPOINTS
from ...registry import POSE_BACKENDS
from .base import ClipContext, PoseBackend, PoseEstimationError

# suffix -> function(path) returning float32 (T, 133, 3) x, y in source pixels and a score.
KEYPOINT_IMPORTERS: Dict[str, Callable[[str], np.ndarray]] = {}


def keypoint_importer(suffix: str):
    """Register an importer for keypoint files ending in ``suffix``."""
    def register(function):
        KEYPOINT_IMPORTERS[suffix] = function
        return function
    return register


@keypoint_importer('.npy')
def load_native_npy(path: str) -> np.ndarray:
    """The native format of docs/formats.md: float16/float32 (T, 133, 3) pixels + score."""
    try:
        array = np.load(path, allow_pickle=False)
    except ValueError as e:
        raise PoseEstimationError(f'{path}: not a plain .npy array ({e})') from None
    if array.dtype.kind != 'f' or array.ndim != 3 or array.shape[1:] != (NUM_KEYPOINTS, 3):
        raise PoseEstimationError(f'{path}: expected a float (T, {NUM_KEYPOINTS}, 3) array, got '
                                  f'{array.dtype} {array.shape}')
    return array.astype(np.float32)


@POSE_BACKENDS.register_module(name='precomputed')
class PrecomputedBackend(PoseBackend):
    """Reads keypoints instead of estimating them (no frames needed)."""
    name = 'precomputed'
    version = '1'
    needs_frames = False

    def estimate(self, frames: Optional[np.ndarray], record: dict,
                 context: ClipContext) -> np.ndarray:
        if not record.get('keypoints'):
            raise PoseEstimationError(f'clip {record["id"]!r}: the manifest record has no '
                                      f'\'keypoints\' field, which --backend precomputed needs')
        path = os.path.join(context.video_root, record['keypoints'])
        suffix = os.path.splitext(path)[1].lower()
        if suffix not in KEYPOINT_IMPORTERS:
            raise PoseEstimationError(f'{path}: no importer for {suffix!r} keypoint files; '
                                      f'supported: {sorted(KEYPOINT_IMPORTERS)}')
        if not os.path.isfile(path):
            raise PoseEstimationError(f'{path}: keypoint file not found')
        pose = KEYPOINT_IMPORTERS[suffix](path)
        if len(pose) != context.num_frames:
            raise PoseEstimationError(
                f'{path}: {len(pose)} keypoint rows but the clip has {context.num_frames} frames '
                f'(source frames {context.frame_indices[0]}..{context.frame_indices[-1]} of '
                f'{context.video_path})')
        return pose
