"""What every keypoint-file importer shares: the clip it reads for, its error, the suffix registry
and the rule that picks the clip's rows from a file.

A file holds either exactly the clip's frames or, for a clip that is a segment of a longer video,
the whole video's frames; ``clip_rows`` tells which from the row count.
"""
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


class KeypointFileError(ValueError):
    """A keypoint file that cannot give the clip's keypoints; the message names the file."""


@dataclass(frozen=True)
class ClipFrames:
    """The frames an importer must return and the geometry it converts coordinates to."""
    video_path: str
    width: int
    height: int
    frame_indices: tuple[int, ...]   # source frame of each row to return
    is_segment: bool = False         # a clip cut from a longer video (start/end in the manifest)

    @property
    def num_frames(self) -> int:
        return len(self.frame_indices)


# suffix -> function(path, clip) returning float32 (clip.num_frames, 133, 3) of x, y in source
# pixels and a score in [0, 1].
KeypointImporter = Callable[[str, ClipFrames], np.ndarray]
KEYPOINT_IMPORTERS: dict[str, KeypointImporter] = {}


def keypoint_importer(suffix: str):
    """Register an importer for keypoint files ending in ``suffix``."""
    def register(function: KeypointImporter) -> KeypointImporter:
        KEYPOINT_IMPORTERS[suffix] = function
        return function
    return register


def clip_rows(num_rows: int, path: str, clip: ClipFrames) -> np.ndarray:
    """Rows of a keypoint file that hold the clip's frames, in order."""
    if num_rows == clip.num_frames:
        return np.arange(num_rows)
    if clip.is_segment and num_rows > clip.frame_indices[-1]:
        return np.asarray(clip.frame_indices)   # the whole video, indexed by source frame
    raise KeypointFileError(
        f'{path}: {num_rows} keypoint rows, but the clip has {clip.num_frames} frames '
        f'(source frames {clip.frame_indices[0]}..{clip.frame_indices[-1]} of '
        f'{clip.video_path}); a keypoint file must hold the clip\'s frames'
        + (' or the whole video\'s' if clip.is_segment else ''))
