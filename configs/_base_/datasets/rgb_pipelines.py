# Data pipelines for encoders with an RGB hand branch (PoseEncoder(rgb=...)): the pose pipelines
# of pose_pipelines.py plus the hand crops, of which score-aware sampling keeps
# ``rgb_crop_fraction`` of each hand's candidate frames (Uni-Sign: 10 %), drawn at random in
# training and chosen deterministically (least reliable fingertips first) in evaluation.
# Training crops get photometric jitter. Use with a model whose ``encoder.rgb`` is set
# (configs/synthsign/pgf_stage1_synthsign.py).
rgb_crop_fraction = 0.1
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
