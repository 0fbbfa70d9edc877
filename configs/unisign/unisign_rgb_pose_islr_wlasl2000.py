# Uni-Sign's released WLASL-2000 RGB-pose isolated-recognition checkpoint, converted, evaluated
# on WLASL-2000 test (top-1 per instance and per class): 64 frames per clip as in Uni-Sign's
# WLASL script, the translation prompt and generation of every Uni-Sign task, the class word as
# the target; hand crops cut from the videos under the extraction's --video-root:
#   python tools/convert_checkpoint.py unisign WLASL_CHECKPOINT.pth --out work_dirs/wlasl.pth
#   python tools/test.py configs/unisign/unisign_rgb_pose_islr_wlasl2000.py work_dirs/wlasl.pth \
#       --cfg-options test_dataloader.dataset.pipeline.3.video_root=data/wlasl2000/videos
_base_ = ['../_base_/schedules/uni_sign_20e.py', '../_base_/datasets/wlasl2000.py',
          '../_base_/datasets/unisign_compat_rgb_pipelines.py',
          '../_base_/models/unisign_compat_rgb_pose.py']
video_root = 'data/wlasl2000/videos'
train_pipeline = [
    dict(step, max_frames=_base_.islr_frames) if step['type'] == 'SampleFrames' else
    dict(step, video_root=video_root) if step['type'] == 'DecodeClipFrames' else step
    for step in _base_.uni_sign_rgb_train_pipeline]
test_pipeline = [
    dict(step, max_frames=_base_.islr_frames) if step['type'] == 'SampleFrames' else
    dict(step, video_root=video_root) if step['type'] == 'DecodeClipFrames' else step
    for step in _base_.uni_sign_rgb_test_pipeline]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(batch_size=1, dataset=dict(pipeline=test_pipeline))
test_dataloader = dict(batch_size=1, dataset=dict(pipeline=test_pipeline))
