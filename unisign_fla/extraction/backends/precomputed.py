"""Keypoints computed elsewhere and named by the manifest's ``keypoints`` field.

Each keypoint file format has one importer keyed by its suffix: the native ``.npy`` here, Uni-Sign's
released pickles (unisign_pose_pickle.py) and pose-format ``.pose`` files (pose_format_file.py).
A file holds either exactly the clip's frames or, for a clip that is a segment of a longer video,
the whole video's frames; ``clip_rows`` tells which from the row count.
"""
import os
from collections.abc import Callable

import numpy as np

from unisign_fla.extraction.backends.base import (
    ClipContext,
    PoseBackend,
    PoseEstimationError,
    resolve_input,
)
from unisign_fla.keypoints import NUM_KEYPOINTS
from unisign_fla.registry import POSE_BACKENDS

# suffix -> function(path, record, context) returning float32 (context.num_frames, 133, 3) of
# x, y in source pixels and a score in [0, 1].
KEYPOINT_IMPORTERS: dict[str, Callable[[str, dict, ClipContext], np.ndarray]] = {}


def keypoint_importer(suffix: str):
    """Register an importer for keypoint files ending in ``suffix``."""
    def register(function):
        KEYPOINT_IMPORTERS[suffix] = function
        return function
    return register


def clip_rows(num_rows: int, path: str, record: dict, context: ClipContext) -> np.ndarray:
    """Rows of a keypoint file that hold the clip's frames, in order."""
    if num_rows == context.num_frames:
        return np.arange(num_rows)
    is_segment = 'start' in record or 'end' in record
    if is_segment and num_rows > context.frame_indices[-1]:
        return np.asarray(context.frame_indices)   # the whole video, indexed by source frame
    raise PoseEstimationError(
        f'{path}: {num_rows} keypoint rows, but the clip has {context.num_frames} frames '
        f'(source frames {context.frame_indices[0]}..{context.frame_indices[-1]} of '
        f'{context.video_path}); a keypoint file must hold the clip\'s frames'
        + (' or the whole video\'s' if is_segment else ''))


@keypoint_importer('.npy')
def load_native_npy(path: str, record: dict, context: ClipContext) -> np.ndarray:
    """The native format of docs/formats.md: float16/float32 (T, 133, 3) pixels + score."""
    try:
        array = np.load(path, allow_pickle=False)
    except ValueError as e:
        raise PoseEstimationError(f'{path}: not a plain .npy array ({e})') from None
    if array.dtype.kind != 'f' or array.ndim != 3 or array.shape[1:] != (NUM_KEYPOINTS, 3):
        raise PoseEstimationError(f'{path}: expected a float (T, {NUM_KEYPOINTS}, 3) array, got '
                                  f'{array.dtype} {array.shape}')
    return array[clip_rows(len(array), path, record, context)].astype(np.float32)


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
        suffix = os.path.splitext(path)[1].lower()
        if suffix not in KEYPOINT_IMPORTERS:
            raise PoseEstimationError(f'{path}: no importer for {suffix!r} keypoint files; '
                                      f'supported: {sorted(KEYPOINT_IMPORTERS)}')
        if not os.path.isfile(path):
            raise PoseEstimationError(f'{path}: keypoint file not found')
        try:
            return KEYPOINT_IMPORTERS[suffix](path, record, context)
        except PoseEstimationError:
            raise
        except Exception as error:   # a downloaded file: whatever breaks its parser is its fault
            raise PoseEstimationError(f'{path}: unreadable {suffix} keypoint file '
                                      f'({type(error).__name__}: {error})') from None
