"""Per-sample transforms of the data pipeline, composed by mmengine from the config.

Each transform takes and returns the sample dict, so configs can reorder, drop or add steps:
``LoadShardSample`` -> ``NormalizeKeypoints`` -> ``SampleFrames`` -> ``PackSignInputs``.
"""
import numpy as np
import torch

from unisign_fla.datasets.normalization import normalize_unisign
from unisign_fla.datasets.unisign_squashed_normalization import normalize_unisign_squashed
from unisign_fla.formats.shards import read_sample
from unisign_fla.keypoints import HANDS, JOINT_SCORE_THRESHOLD, UNISIGN_PARTS
from unisign_fla.registry import TRANSFORMS
from unisign_fla.structures.hand_crops import ROW, HandCrops, crop_rows, select_crops

NUM_BODY_JOINTS = UNISIGN_PARTS['body'].num_joints


@TRANSFORMS.register_module()
class LoadShardSample:
    """Read one sample from its shard by offset. Hand crops are decoded only when the model uses
    RGB (``with_crops``): JPEG decoding dominates loading time otherwise."""

    def __init__(self, with_crops: bool = False):
        self.with_crops = with_crops

    def __call__(self, results: dict) -> dict:
        sample = read_sample(results['shard_sample'], with_crops=self.with_crops)
        results['pose'] = sample['pose']
        results['meta'] = sample['meta']
        if self.with_crops:
            for hand in HANDS:
                results[hand] = sample[hand]
        return results


@TRANSFORMS.register_module()
class NormalizeKeypoints:
    """Pixels -> the encoder's input.

    ``mode='aspect'`` (default): Uni-Sign's normalisation with the aspect ratio kept
    (``normalize_unisign``). ``mode='uni_sign'``: exactly Uni-Sign's, x / W and y / H from the
    frame size in the sample's meta (``normalize_unisign_squashed``), which Uni-Sign's
    checkpoints (``UniSignPoseEncoder``) need. After ``SampleFrames`` only the sampled frames
    (``frame_rows``) are normalised, so the clip's body box comes from them, as in Uni-Sign.
    """

    MODES = ('aspect', 'uni_sign')

    def __init__(self, score_threshold: float = JOINT_SCORE_THRESHOLD, mode: str = 'aspect'):
        if mode not in self.MODES:
            raise ValueError(f'NormalizeKeypoints: mode={mode!r}, expected one of {self.MODES}')
        self.score_threshold, self.mode = score_threshold, mode

    def __call__(self, results: dict) -> dict:
        pose = results['pose']
        if 'frame_rows' in results:
            pose = pose[results['frame_rows']]
        if self.mode == 'uni_sign':
            meta = results['meta']
            results['keypoints'] = normalize_unisign_squashed(
                pose, meta['width'], meta['height'], self.score_threshold)
        else:
            results['keypoints'] = normalize_unisign(pose, self.score_threshold)
        return results


@TRANSFORMS.register_module()
class RandomKeypointAffine:
    """Small random scale, rotation and shift of the normalised keypoints (training only).

    Signers differ in size, position and camera angle; without this a model trained on a few
    signers overfits their proportions. Missing joints stay exactly zero.
    """

    def __init__(self, scale: float = 0.1, rotation_deg: float = 8.0, shift: float = 0.05):
        self.scale, self.rotation, self.shift = scale, np.deg2rad(rotation_deg), shift

    def __call__(self, results: dict) -> dict:
        rng = np.random
        angle = rng.uniform(-self.rotation, self.rotation)
        scale = rng.uniform(1 - self.scale, 1 + self.scale)
        matrix = scale * np.array([[np.cos(angle), -np.sin(angle)],
                                   [np.sin(angle), np.cos(angle)]], dtype=np.float32)
        points = results['keypoints']
        valid = points[..., 2:] > 0
        xy = points[..., :2] @ matrix.T
        # Body joints are absolute positions; hands and face are relative to their root.
        xy[:, :NUM_BODY_JOINTS] += rng.uniform(-self.shift, self.shift, size=2).astype(np.float32)
        points = np.concatenate([xy, points[..., 2:]], axis=-1) * valid
        results['keypoints'] = points.astype(np.float32)
        return results


@TRANSFORMS.register_module()
class SampleFrames:
    """Cap the clip at ``max_frames``.

    Training draws a random sorted subset of frames (a fresh one each epoch); evaluation takes
    evenly spaced frames, so the same checkpoint and data always give the same predictions (the
    reference code samples randomly at test time too). Placed before ``NormalizeKeypoints`` it
    only chooses ``frame_rows`` (rows of the pixel ``pose``), and normalisation then sees only
    those frames, which is Uni-Sign's order; after it, it also cuts the normalised keypoints.
    """

    def __init__(self, max_frames: int = 256, random: bool = False):
        self.max_frames, self.random = max_frames, random

    def __call__(self, results: dict) -> dict:
        num_frames = len(results['keypoints'] if 'keypoints' in results else results['pose'])
        if num_frames <= self.max_frames:
            rows = np.arange(num_frames)
        elif self.random:
            rows = np.sort(np.random.choice(num_frames, self.max_frames, replace=False))
        else:
            rows = np.linspace(0, num_frames - 1, self.max_frames).round().astype(np.int64)
        if 'keypoints' in results:
            results['keypoints'] = results['keypoints'][rows]
        results['frame_rows'] = rows
        for hand in HANDS:
            if hand in results:
                results[hand] = remap_crops(results[hand], rows)
        return results


def remap_crops(hand: HandCrops, rows: np.ndarray) -> HandCrops:
    """Keep the crops of kept frames (with their ``joints``, if any) and renumber their pose row
    to the sampled timeline."""
    new_index = np.full(int(rows.max()) + 1 if len(rows) else 0, -1, dtype=np.int64)
    new_index[rows] = np.arange(len(rows))
    source_rows = crop_rows(hand)
    in_range = source_rows < len(new_index)
    keep = np.zeros(len(source_rows), dtype=bool)
    keep[in_range] = new_index[source_rows[in_range]] >= 0
    kept = select_crops(hand, keep)
    kept['boxes'][:, ROW] = new_index[source_rows[keep]]
    return kept


@TRANSFORMS.register_module()
class PackSignInputs:
    """Turn the sample dict into ``{'inputs': tensors, 'data_samples': plain metadata}``."""

    META_KEYS = ('id', 'target', 'task', 'language', 'signer', 'dataset')

    def __call__(self, results: dict) -> dict:
        inputs = {'keypoints': torch.from_numpy(np.ascontiguousarray(results['keypoints']))}
        for hand in HANDS:
            if hand in results:
                inputs[hand] = {key: torch.from_numpy(np.ascontiguousarray(results[hand][key]))
                                for key in HandCrops.__annotations__ if key in results[hand]}
        if 'unisign_rgb' in results:   # UniSignHandCrops
            inputs['unisign_rgb'] = {key: torch.from_numpy(np.ascontiguousarray(value))
                                     for key, value in results['unisign_rgb'].items()}
        data_sample = {k: results.get(k) for k in self.META_KEYS}
        return {'inputs': inputs, 'data_samples': data_sample}

