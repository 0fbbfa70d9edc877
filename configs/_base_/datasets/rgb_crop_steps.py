# The first steps of an RGB-pose pipeline: hand crops loaded with the keypoints, score-aware
# sampling of ``rgb_crop_fraction`` of each hand's candidate frames (Uni-Sign: 10 %; at random in
# training, deterministically in evaluation), photometric jitter in training. A recipe puts them
# in front of its data set's pose pipeline, e.g.
#   pipeline=_base_.rgb_train_steps + _base_.train_pipeline[1:]
rgb_crop_fraction = 0.1
rgb_train_steps = [
    dict(type='LoadShardSample', with_crops=True),
    dict(type='ScoreAwareCropSampling', fraction=rgb_crop_fraction, random=True),
    dict(type='RandomCropColorJitter'),
]
rgb_test_steps = [
    dict(type='LoadShardSample', with_crops=True),
    dict(type='ScoreAwareCropSampling', fraction=rgb_crop_fraction, random=False),
]
