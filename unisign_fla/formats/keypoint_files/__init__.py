"""Keypoint files made elsewhere (native ``.npy``, Uni-Sign's ``.pkl`` pose pickles, ``.pose``
files), read into the clip's (T, 133, 3) pixel keypoints by one importer per suffix.

``--backend precomputed``, ``tools/infer.py`` and the converters' ``--poses`` all read through
``read_keypoint_file``; importing this package registers every importer.
"""
import os

import numpy as np

from unisign_fla.formats.keypoint_files.base import (
    KEYPOINT_IMPORTERS,
    ClipFrames,
    KeypointFileError,
    clip_rows,
    keypoint_importer,
)
from unisign_fla.formats.keypoint_files.native_npy import load_native_npy
from unisign_fla.formats.keypoint_files.pose_format_file import load_pose_file
from unisign_fla.formats.keypoint_files.unisign_pose_pickle import load_unisign_pickle


def read_keypoint_file(path: str, clip: ClipFrames) -> np.ndarray:
    """The clip's float32 (T, 133, 3) keypoints from ``path``, by its suffix. Keypoint files are
    often downloaded, so whatever breaks a parser becomes a ``KeypointFileError`` naming the
    file rather than a traceback from deep inside it."""
    suffix = os.path.splitext(path)[1].lower()
    if suffix not in KEYPOINT_IMPORTERS:
        raise KeypointFileError(f'{path}: no importer for {suffix!r} keypoint files; '
                                f'supported: {sorted(KEYPOINT_IMPORTERS)}')
    if not os.path.isfile(path):
        raise KeypointFileError(f'{path}: keypoint file not found')
    try:
        return KEYPOINT_IMPORTERS[suffix](path, clip)
    except KeypointFileError:
        raise
    except Exception as error:
        raise KeypointFileError(f'{path}: unreadable {suffix} keypoint file '
                                f'({type(error).__name__}: {error})') from None


__all__ = ['KEYPOINT_IMPORTERS', 'ClipFrames', 'KeypointFileError', 'clip_rows',
           'keypoint_importer', 'load_native_npy', 'load_pose_file', 'load_unisign_pickle',
           'read_keypoint_file']
