# Uni-Sign's released pose-only translation checkpoints, converted, evaluated on CSL-Daily
# (other data sets: --cfg-options test_dataloader.dataset.data_root=... ann_file=...):
#   python tools/convert_checkpoint.py unisign CSL_DAILY_POSE.pth --out work_dirs/unisign.pth
#   python tools/test.py configs/unisign/unisign_pose_slt.py work_dirs/unisign.pth
# Training from here fine-tunes it as Uni-Sign would (20 epochs, every weight).
_base_ = ['../_base_/schedules/uni_sign_20e.py', '../_base_/datasets/csl_daily.py',
          '../_base_/datasets/unisign_compat_pipelines.py',
          '../_base_/models/unisign_compat_pose.py']
train_dataloader = dict(dataset=dict(pipeline=_base_.uni_sign_train_pipeline))
val_dataloader = dict(batch_size=1, dataset=dict(pipeline=_base_.uni_sign_test_pipeline))
test_dataloader = dict(batch_size=1, dataset=dict(pipeline=_base_.uni_sign_test_pipeline))
