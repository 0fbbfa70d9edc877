"""Decode a sample's video frames at load time, for models that cut their own crops from them.

Our shards keep only keypoints and per-frame hand crops; Uni-Sign's RGB branch needs crops cut
from whole frames with one box size per clip (``UniSignHandCrops``), so its checkpoints need the
video again. The shard's meta names the video relative to the extraction's ``--video-root`` and
the source frame of each keypoint row (``frame_indices``).
"""
import numpy as np

from unisign_fla.extraction.backends.base import resolve_input
from unisign_fla.extraction.video_reader import VideoReadError, read_clip
from unisign_fla.registry import TRANSFORMS


@TRANSFORMS.register_module()
class DecodeClipFrames:
    """Add ``results['frames']`` (K, H, W, 3) RGB uint8: one frame per keypoint row kept (the
    rows ``SampleFrames`` chose, else every row).

    Args:
        video_root: the folder the extraction read the videos from (its ``--video-root``).
        allow_outside_root: read a ``video`` that resolves outside ``video_root`` (a shard from
            a manifest you trust).
    """

    def __init__(self, video_root: str, allow_outside_root: bool = False):
        self.video_root, self.allow_outside_root = video_root, allow_outside_root

    def __call__(self, results: dict) -> dict:
        meta = results['meta']
        source = np.asarray(meta['frame_indices'], np.int64)
        rows = results.get('frame_rows', np.arange(len(source)))
        wanted = source[rows]
        path = resolve_input(self.video_root, meta['video'], 'video', self.allow_outside_root)
        first, last = int(wanted.min()), int(wanted.max())
        clip = read_clip(path, first, last + 1, 'frame')
        if first + clip.num_frames <= last:
            raise VideoReadError(f'{path}: sample {meta.get("id")!r} needs frames up to {last}, '
                                 f'the video has {first + clip.num_frames}')
        results['frames'] = clip.frames[wanted - first]
        return results
