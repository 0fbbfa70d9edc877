# Data pipelines for SynthSign encoders with an RGB hand branch (PoseEncoder(rgb=...)): the pose
# pipelines of pose_pipelines.py plus the hand crops, of which score-aware sampling keeps
# ``rgb_crop_fraction`` of each hand's candidate frames, drawn at random in training and chosen
# deterministically (least reliable fingertips first) in evaluation. Training crops get
# photometric jitter. Use with a model whose ``encoder.rgb`` is set
# (configs/synthsign/pgf_stage1_synthsign.py).
#
# Uni-Sign keeps 10 % on real data (25 fps, a sign spans 12-25 frames: 1-3 crops per sign and
# hand). SynthSign runs at 12.5 fps and a single-sign clip is about 17 frames, so 10 % leaves
# 1-2 crops per clip, and RGB did not learn within the ablation's budget; with every candidate
# frame it did (docs/encoder.md, "Does RGB help?"). Real-data configs should use 0.1.
rgb_crop_fraction = 1.0
rgb_train_pipeline = [
    dict(type='LoadShardSample', with_crops=True),
    dict(type='ScoreAwareCropSampling', fraction=rgb_crop_fraction, random=True),
    dict(type='RandomCropColorJitter'),
    dict(type='NormalizeKeypoints', score_threshold=0.3),
    dict(type='RandomKeypointAffine', scale=0.1, rotation_deg=8.0, shift=0.05),
    dict(type='SampleFrames', max_frames=256, random=True),
    dict(type='PackSignInputs'),
]
rgb_test_pipeline = [
    dict(type='LoadShardSample', with_crops=True),
    dict(type='ScoreAwareCropSampling', fraction=rgb_crop_fraction, random=False),
    dict(type='NormalizeKeypoints', score_threshold=0.3),
    dict(type='SampleFrames', max_frames=256, random=False),
    dict(type='PackSignInputs'),
]
