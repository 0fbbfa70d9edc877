# Data pipelines from shards: pose only (RGB crops are not decoded), random frame subsets for
# training, evenly spaced frames for evaluation (deterministic predictions).
max_frames = 256
islr_frames = 64   # isolated signs: Uni-Sign samples 64 frames for WLASL and MS-ASL
train_pipeline = [
    dict(type='LoadShardSample', with_crops=False),
    dict(type='NormalizeKeypoints', score_threshold=0.3),
    dict(type='RandomKeypointAffine', scale=0.1, rotation_deg=8.0, shift=0.05),
    dict(type='SampleFrames', max_frames=max_frames, random=True),
    dict(type='PackSignInputs'),
]
test_pipeline = [
    dict(type='LoadShardSample', with_crops=False),
    dict(type='NormalizeKeypoints', score_threshold=0.3),
    dict(type='SampleFrames', max_frames=max_frames, random=False),
    dict(type='PackSignInputs'),
]
