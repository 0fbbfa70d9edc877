# Uni-Sign's released OpenASL pose-only translation checkpoint, converted, evaluated on OpenASL
# test (English prompt: the shards' language). Shards from Uni-Sign's released OpenASL pose
# pickles (docs/unisign_checkpoints.md):
#   python tools/convert_checkpoint.py unisign OPENASL_CHECKPOINT.pth --out work_dirs/oasl.pth
#   python tools/test.py configs/unisign/unisign_pose_slt_openasl.py work_dirs/oasl.pth
_base_ = ['../_base_/schedules/uni_sign_20e.py', '../_base_/datasets/openasl.py',
          '../_base_/datasets/unisign_compat_pipelines.py',
          '../_base_/models/unisign_compat_pose.py']
train_dataloader = dict(dataset=dict(pipeline=_base_.uni_sign_train_pipeline))
val_dataloader = dict(batch_size=1, dataset=dict(pipeline=_base_.uni_sign_test_pipeline))
test_dataloader = dict(batch_size=1, dataset=dict(pipeline=_base_.uni_sign_test_pipeline))
