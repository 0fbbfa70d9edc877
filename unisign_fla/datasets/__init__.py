"""Data pipeline: shards -> normalised, sampled, batched clips."""
from .collate import sign_collate
from .crop_augmentation import RandomCropColorJitter
from .decode_clip_frames import DecodeClipFrames
from .length_grouped_sampler import LengthGroupedSampler
from .multi_task_dataset import MultiTaskDataset
from .normalization import normalize_unisign
from .score_aware_sampling import ScoreAwareCropSampling
from .sign_dataset import SignShardDataset
from .transforms import (LoadShardSample, NormalizeKeypoints, PackSignInputs,
                         RandomKeypointAffine, SampleFrames)
from .unisign_hand_crops import UniSignHandCrops

__all__ = ['sign_collate', 'RandomCropColorJitter', 'LengthGroupedSampler', 'MultiTaskDataset',
           'normalize_unisign',
           'ScoreAwareCropSampling', 'SignShardDataset', 'LoadShardSample', 'NormalizeKeypoints',
           'PackSignInputs', 'RandomKeypointAffine', 'SampleFrames', 'DecodeClipFrames',
           'UniSignHandCrops']
