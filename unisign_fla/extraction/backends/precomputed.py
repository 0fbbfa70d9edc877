"""Keypoints computed elsewhere and named by the manifest's ``keypoints`` field, read by the
importers of ``unisign_fla.formats.keypoint_files`` (``.npy``, Uni-Sign's ``.pkl``, ``.pose``)."""
import numpy as np

from unisign_fla.extraction.backends.base import (
    ClipContext,
    PoseBackend,
    PoseEstimationError,
    resolve_input,
)
from unisign_fla.formats.keypoint_files import ClipFrames, KeypointFileError, read_keypoint_file
from unisign_fla.registry import POSE_BACKENDS


@POSE_BACKENDS.register_module(name='precomputed')
class PrecomputedBackend(PoseBackend):
    """Reads keypoints instead of estimating them (no frames needed)."""
    name = 'precomputed'
    version = '1'
    needs_frames = False

    def estimate(self, frames: np.ndarray | None, record: dict,
                 context: ClipContext) -> np.ndarray:
        if not record.get('keypoints'):
            raise PoseEstimationError(f'clip {record["id"]!r}: the manifest record has no '
                                      f'\'keypoints\' field, which --backend precomputed needs')
        path = resolve_input(context.video_root, record['keypoints'], 'keypoints',
                             context.allow_outside_root)
        clip = ClipFrames(context.video_path, context.width, context.height,
                          tuple(context.frame_indices),
                          is_segment='start' in record or 'end' in record)
        try:
            return read_keypoint_file(path, clip)
        except KeypointFileError as error:
            raise PoseEstimationError(str(error)) from None
