# Uni-Sign's released RGB-pose translation checkpoints, converted, evaluated on CSL-Daily, with
# the hand crops cut from the videos (the extraction's --video-root; see
# unisign_compat_rgb_pipelines.py):
#   python tools/convert_checkpoint.py unisign csl_daily_rgb_pose_slt.pth --out work_dirs/rgb.pth
#   python tools/test.py configs/unisign/unisign_rgb_pose_slt.py work_dirs/rgb.pth \
#       --cfg-options test_dataloader.dataset.pipeline.3.video_root=data/csl_daily/videos
# Training from here fine-tunes it as Uni-Sign would (20 epochs, every weight).
_base_ = ['../_base_/schedules/uni_sign_20e.py', '../_base_/datasets/csl_daily.py',
          '../_base_/datasets/unisign_compat_rgb_pipelines.py',
          '../_base_/models/unisign_compat_rgb_pose.py']
train_dataloader = dict(dataset=dict(pipeline=_base_.uni_sign_rgb_train_pipeline))
val_dataloader = dict(batch_size=1, dataset=dict(pipeline=_base_.uni_sign_rgb_test_pipeline))
test_dataloader = dict(batch_size=1, dataset=dict(pipeline=_base_.uni_sign_rgb_test_pipeline))
