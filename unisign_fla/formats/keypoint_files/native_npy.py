"""Importer for the native keypoint file (docs/formats.md): a plain ``.npy`` array of float16 or
float32 (T, 133, 3), x and y in source pixels and a score in [0, 1]."""
import numpy as np

from unisign_fla.formats.keypoint_files.base import (
    ClipFrames,
    KeypointFileError,
    clip_rows,
    keypoint_importer,
)
from unisign_fla.keypoints import NUM_KEYPOINTS


@keypoint_importer('.npy')
def load_native_npy(path: str, clip: ClipFrames) -> np.ndarray:
    try:
        array = np.load(path, allow_pickle=False)
    except ValueError as e:
        raise KeypointFileError(f'{path}: not a plain .npy array ({e})') from None
    if array.dtype.kind != 'f' or array.ndim != 3 or array.shape[1:] != (NUM_KEYPOINTS, 3):
        raise KeypointFileError(f'{path}: expected a float (T, {NUM_KEYPOINTS}, 3) array, got '
                                f'{array.dtype} {array.shape}')
    return array[clip_rows(len(array), path, clip)].astype(np.float32)
