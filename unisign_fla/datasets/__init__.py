"""Data pipeline: shards -> normalised, sampled, batched clips."""
from unisign_fla.datasets.collate import sign_collate
from unisign_fla.datasets.crop_augmentation import RandomCropColorJitter
from unisign_fla.datasets.decode_clip_frames import DecodeClipFrames
from unisign_fla.datasets.length_grouped_sampler import LengthGroupedSampler
from unisign_fla.datasets.multi_task_dataset import MultiTaskDataset
from unisign_fla.datasets.normalization import normalize_unisign
from unisign_fla.datasets.score_aware_sampling import ScoreAwareCropSampling
from unisign_fla.datasets.sign_dataset import SignShardDataset
from unisign_fla.datasets.transforms import (
           LoadShardSample,
           NormalizeKeypoints,
           PackSignInputs,
           RandomKeypointAffine,
           SampleFrames,
)
from unisign_fla.datasets.unisign_hand_crops import UniSignHandCrops

__all__ = ['sign_collate', 'RandomCropColorJitter', 'LengthGroupedSampler', 'MultiTaskDataset',
           'normalize_unisign',
           'ScoreAwareCropSampling', 'SignShardDataset', 'LoadShardSample', 'NormalizeKeypoints',
           'PackSignInputs', 'RandomKeypointAffine', 'SampleFrames', 'DecodeClipFrames',
           'UniSignHandCrops']
