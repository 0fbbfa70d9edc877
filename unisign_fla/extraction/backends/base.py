"""The interface every pose estimator implements, so the extraction job never cares which runs.

A backend gets a whole clip at once: a GPU estimator (RTMPose, RTMW, DWPose via mmpose or
onnxruntime) is free to batch across frames internally and to keep one model session open across
clips (build it once in ``__init__``, release it in ``close``). It must return one signer per clip
(docs/formats.md, "Keypoints"): a fixed (T, 133, 3) array, never a variable number of people.
"""
import os
from abc import ABCMeta, abstractmethod
from dataclasses import dataclass

import numpy as np

from unisign_fla.formats.names import is_inside


class PoseEstimationError(RuntimeError):
    """A clip whose keypoints cannot be produced; the message names the clip and the file."""


class OutsideRootError(ValueError):
    """A manifest path that leads out of the video root, which is read only on request."""


def resolve_input(root: str, path: str, field: str, allow_outside: bool = False) -> str:
    """``root/path`` for the manifest's ``field``. A manifest may come from anyone, so unless
    ``allow_outside`` a path that resolves (``..``, absolute, symlinks followed) outside ``root``
    is refused rather than read into a shard."""
    joined = os.path.join(root, path)
    if not allow_outside and not is_inside(root, joined):
        raise OutsideRootError(f'{field} {path!r} resolves to {os.path.realpath(joined)}, outside '
                               f'--video-root {root}; pass --allow-outside-root to read files '
                               f'outside it (only for a manifest you trust)')
    return joined


@dataclass
class ClipContext:
    """What a backend may need besides the pixels: where files live and the clip's geometry."""
    video_root: str
    video_path: str
    fps: float
    width: int
    height: int
    frame_indices: list[int]   # source frame of each row the backend must return
    allow_outside_root: bool = False   # may manifest paths leave video_root (resolve_input)

    @property
    def num_frames(self) -> int:
        return len(self.frame_indices)


class PoseBackend(metaclass=ABCMeta):
    """A whole-body pose estimator in COCO-WholeBody order (``unisign_fla.keypoints``).

    ``name`` and ``version`` are recorded in every sample's meta (``estimator``) so that shards
    made by different models are never mixed silently. ``needs_frames`` False lets the job skip
    decoding when it also cuts no crops. ``channel_order`` is the order the backend wants its
    frames in: 'bgr' (OpenCV's own) saves a conversion of every full frame when the backend
    converts only what it crops.
    """
    name: str = ''
    version: str = ''
    needs_frames: bool = True
    channel_order: str = 'rgb'

    @property
    def wants_rgb(self) -> bool:
        return self.needs_frames and self.channel_order == 'rgb'

    @classmethod
    def computes_on_cpu(cls, backend_args: dict) -> bool:
        """Whether the backend built from ``backend_args`` runs its model on the CPU: the job then
        runs one instance per worker thread (job.resolve_pose_workers)."""
        return False

    @classmethod
    def args_per_instance(cls, backend_args: dict, instances: int) -> dict:
        """The arguments of each of ``instances`` copies run side by side (e.g. the CPU threads
        each may use)."""
        return backend_args

    @abstractmethod
    def estimate(self, frames: np.ndarray | None, record: dict,
                 context: ClipContext) -> np.ndarray:
        """Keypoints of one clip: float32 (T, 133, 3) of x, y in source pixels and a score in
        [0, 1], one row per ``context.frame_indices``. ``frames`` is uint8 (T, H, W, 3) in
        ``channel_order``, or None when the job did not decode (only if ``needs_frames`` is
        False)."""

    def close(self) -> None:
        """Release models or sessions; called once when the job ends."""
