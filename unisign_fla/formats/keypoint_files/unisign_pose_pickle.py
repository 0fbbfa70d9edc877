"""Importer for the pose pickles released with Uni-Sign (CSL-News, CSL-Daily, WLASL, How2Sign,
OpenASL), so users who downloaded them skip pose estimation.

Layout (RTMPose whole-body output as Uni-Sign's ``demo/pose_extraction.py`` saves it): a dict with
``keypoints``, per frame an (N, 133, 2) array of x / width and y / height, ``scores``, per frame
(N, 133), and optionally ``w_h`` (the video's width and height) and ``start`` / ``end``, which
mark the clip's frames when the rows cover a whole video. Either per-frame lists or stacked
arrays are read. The pickles are downloaded files, so they go through the restricted unpickler
(numeric arrays only). The normalised coordinates become pixels of the video as decoded here,
which is where hand crops are cut even if the video was resized since; a ``w_h`` of another
aspect ratio means the pickle belongs to another video and is refused. The signer is person 0 on
every frame, as Uni-Sign trains on it.
"""
import numpy as np

from unisign_fla.formats.keypoint_files.base import (
    ClipFrames,
    KeypointFileError,
    clip_rows,
    keypoint_importer,
)
from unisign_fla.formats.safe_pickle import UnsafePickleError, load_restricted_pickle
from unisign_fla.keypoints import NUM_KEYPOINTS, with_scores


def _first_person(frames, path: str, key: str, point_shape: tuple) -> np.ndarray:
    """(T, *point_shape) of person 0, zeros on a frame with nobody."""
    rows = np.zeros((len(frames),) + point_shape, np.float32)
    expected = f'(people, {", ".join(map(str, point_shape))})'
    for t, frame in enumerate(frames):
        if not isinstance(frame, (np.ndarray, list, tuple)):   # np.asarray would say little
            raise KeypointFileError(f'{path}: {key}[{t}] is a {type(frame).__name__}, '
                                      f'expected an array of shape {expected}')
        frame = np.asarray(frame, np.float32)
        if frame.size == 0:
            continue
        if frame.shape[1:] != point_shape:
            raise KeypointFileError(f'{path}: {key}[{t}] has shape {frame.shape}, expected '
                                      f'{expected}')
        rows[t] = frame[0]
    return rows


def _check_size(pose: dict, path: str, clip: ClipFrames) -> None:
    try:
        width, height = (float(v) for v in pose['w_h'])
    except (TypeError, ValueError):
        raise KeypointFileError(f'{path}: w_h is {pose["w_h"]!r}, expected (width, '
                                  f'height)') from None
    if width <= 0 or height <= 0 or abs(width / height * clip.height / clip.width - 1) > 0.01:
        raise KeypointFileError(f'{path}: w_h {width:g}x{height:g} does not match the shape of '
                                  f'{clip.video_path} ({clip.width}x{clip.height})')


def _rows(pose: dict, path: str, clip: ClipFrames) -> np.ndarray:
    if 'start' not in pose:
        return clip_rows(len(pose['scores']), path, clip)
    first, stop = int(pose['start']), int(pose.get('end', len(pose['scores'])))
    stop = min(stop, len(pose['scores']))
    if not first <= clip.frame_indices[0] <= clip.frame_indices[-1] < stop:
        raise KeypointFileError(
            f'{path}: the pickle holds frames {first}..{stop - 1} as its clip, but the manifest '
            f'asks for frames {clip.frame_indices[0]}..{clip.frame_indices[-1]}; give the '
            f'record start/end in frames')
    return np.asarray(clip.frame_indices)


@keypoint_importer('.pkl')
def load_unisign_pickle(path: str, clip: ClipFrames) -> np.ndarray:
    try:
        pose = load_restricted_pickle(path, allow_arrays=True)
    except UnsafePickleError as error:
        raise KeypointFileError(str(error)) from None
    if not isinstance(pose, dict) or not {'keypoints', 'scores'} <= set(pose):
        found = sorted(pose) if isinstance(pose, dict) else type(pose).__name__
        raise KeypointFileError(f'{path}: expected a Uni-Sign pose dict with \'keypoints\' '
                                  f'and \'scores\', found {found}')
    if len(pose['keypoints']) != len(pose['scores']):
        raise KeypointFileError(f'{path}: {len(pose["keypoints"])} keypoint frames but '
                                  f'{len(pose["scores"])} score frames')
    if 'w_h' in pose:
        _check_size(pose, path, clip)
    rows = _rows(pose, path, clip)
    keypoints = _first_person([pose['keypoints'][r] for r in rows], path, 'keypoints',
                              (NUM_KEYPOINTS, 2))
    scores = _first_person([pose['scores'][r] for r in rows], path, 'scores', (NUM_KEYPOINTS,))
    return with_scores(keypoints * np.float32([clip.width, clip.height]), scores)
