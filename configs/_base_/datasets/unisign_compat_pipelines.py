# Pipelines for Uni-Sign's own checkpoints (models/unisign_compat_pose.py): Uni-Sign's
# normalisation (x / W, y / H from each sample's frame size) and no keypoint augmentation, as in
# Uni-Sign's loader. Frames are chosen first and only they are normalised (Uni-Sign's order: the
# body box of a long clip comes from its sampled frames). Evaluation takes evenly spaced frames
# of clips over 256 frames (Uni-Sign draws them at random). A recipe sets them on its loaders; evaluating one clip per batch gives
# each clip Uni-Sign's own output (its BatchNorm and temporal convolutions see batch padding).
uni_sign_normalize = dict(type='NormalizeKeypoints', score_threshold=0.3, mode='uni_sign')
uni_sign_train_pipeline = [
    dict(type='LoadShardSample', with_crops=False),
    dict(type='SampleFrames', max_frames=256, random=True),
    uni_sign_normalize,
    dict(type='PackSignInputs'),
]
uni_sign_test_pipeline = [
    dict(type='LoadShardSample', with_crops=False),
    dict(type='SampleFrames', max_frames=256, random=False),
    uni_sign_normalize,
    dict(type='PackSignInputs'),
]
