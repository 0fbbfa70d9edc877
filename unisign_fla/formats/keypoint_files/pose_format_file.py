"""Importer for ``.pose`` files (sign-language-processing ``pose``), e.g. the MediaPipe Holistic
poses distributed for PHOENIX-2014T, or COCO-WholeBody poses written by its mmpose utility.

Two layouts are understood, both in pixels already:

* MediaPipe Holistic (a ``POSE_LANDMARKS`` component): mapped to COCO-WholeBody exactly as the
  ``mediapipe`` backend maps live output (holistic_to_wholebody.py). Face points are found by
  their names, the mesh vertex numbers, so files that keep only the 128 contour points still
  give every face point they have (the others score 0);
* COCO-WholeBody: components whose points add up to 133, in COCO order.

With several people the signer is the one with the highest total confidence over the file.
"""
import numpy as np

from unisign_fla.formats.keypoint_files.base import (
    ClipFrames,
    KeypointFileError,
    clip_rows,
    keypoint_importer,
)
from unisign_fla.formats.keypoint_files.holistic_to_wholebody import (
    NUM_HAND_LANDMARKS,
    NUM_MESH_LANDMARKS,
    NUM_POSE_LANDMARKS,
    holistic_to_wholebody,
)
from unisign_fla.formats.pose_file import PoseFile, PoseFileError, read_pose_file
from unisign_fla.keypoints import NUM_KEYPOINTS, with_scores

HOLISTIC_PARTS = {'POSE_LANDMARKS': ('pose', NUM_POSE_LANDMARKS),
                  'LEFT_HAND_LANDMARKS': ('left_hand', NUM_HAND_LANDMARKS),
                  'RIGHT_HAND_LANDMARKS': ('right_hand', NUM_HAND_LANDMARKS)}


def _holistic(points: np.ndarray, pose_file: PoseFile, path: str) -> np.ndarray:
    """(T, 133, 3) from a Holistic file's (T, points, 3) x, y, confidence of one person."""
    slices = pose_file.component_slices()
    parts = {}
    for component, (part, size) in HOLISTIC_PARTS.items():
        if component not in slices or slices[component].stop - slices[component].start != size:
            raise KeypointFileError(f'{path}: a Holistic .pose file needs {component} with '
                                      f'{size} points; components: {_describe(pose_file)}')
        parts[part] = points[:, slices[component]]
    face = np.zeros((len(points), NUM_MESH_LANDMARKS, 3), np.float32)
    face_component = next((c for c in pose_file.components if c.name == 'FACE_LANDMARKS'), None)
    if face_component is not None:
        start = slices['FACE_LANDMARKS'].start
        for offset, name in enumerate(face_component.point_names):
            if name.isdigit() and int(name) < NUM_MESH_LANDMARKS:
                face[:, int(name)] = points[:, start + offset]
    return holistic_to_wholebody(face=face, **parts)


def _describe(pose_file: PoseFile) -> str:
    return ', '.join(f'{c.name} ({len(c.point_names)})' for c in pose_file.components)


@keypoint_importer('.pose')
def load_pose_file(path: str, clip: ClipFrames) -> np.ndarray:
    try:
        pose_file = read_pose_file(path)
    except PoseFileError as error:
        raise KeypointFileError(str(error)) from None
    data, confidence = pose_file.data, pose_file.confidence
    if data.shape[3] < 2:
        raise KeypointFileError(f'{path}: points have {data.shape[3]} dimension(s); x and y '
                                  f'are needed')
    rows = clip_rows(len(data), path, clip)
    if data.shape[1] == 0:
        raise KeypointFileError(f'{path}: the file holds no person')
    person = int(np.argmax(confidence.sum(axis=(0, 2))))
    visible = confidence[rows, person][..., None] > 0
    points = np.nan_to_num(with_scores(np.where(visible, data[rows, person, :, :2], 0),
                                       confidence[rows, person]), nan=0, posinf=0, neginf=0)
    if 'POSE_LANDMARKS' in pose_file.component_slices():
        return _holistic(points, pose_file, path)
    if points.shape[1] == NUM_KEYPOINTS:
        return points.astype(np.float32)
    raise KeypointFileError(f'{path}: unknown keypoint layout ({_describe(pose_file)}); '
                              f'expected MediaPipe Holistic components or 133 COCO-WholeBody '
                              f'points')
