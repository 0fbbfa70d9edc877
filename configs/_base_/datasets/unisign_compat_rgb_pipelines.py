# Pipelines for Uni-Sign's RGB-pose checkpoints (models/unisign_compat_rgb_pose.py): those of
# unisign_compat_pipelines.py plus Uni-Sign's own hand crops, cut from the video's frames at load
# time (one box size per clip, which the shards' per-frame crops cannot give). DecodeClipFrames
# reads the video the shard's meta names, under the extraction's --video-root: set `video_root`
# (other data sets: --cfg-options test_dataloader.dataset.pipeline.3.video_root=...).
# Evaluation chooses each hand's crop frames by weight; Uni-Sign draws them at random at test
# time too, so its own scores vary a little from run to run.
_base_ = ['./unisign_compat_pipelines.py']
video_root = 'data/csl_daily/videos'
uni_sign_rgb_train_pipeline = [
    dict(type='LoadShardSample', with_crops=False),
    dict(type='SampleFrames', max_frames=256, random=True),
    {{_base_.uni_sign_normalize}},
    dict(type='DecodeClipFrames', video_root=video_root),
    dict(type='UniSignHandCrops', fraction=0.1, deterministic=False),
    dict(type='PackSignInputs'),
]
uni_sign_rgb_test_pipeline = [
    dict(type='LoadShardSample', with_crops=False),
    dict(type='SampleFrames', max_frames=256, random=False),
    {{_base_.uni_sign_normalize}},
    dict(type='DecodeClipFrames', video_root=video_root),
    dict(type='UniSignHandCrops', fraction=0.1, deterministic=True),
    dict(type='PackSignInputs'),
]
