# Uni-Sign's released How2Sign pose-only translation checkpoint, converted, evaluated on How2Sign
# test (English prompt: the shards' language). Shards from Uni-Sign's released How2Sign pose
# pickles (docs/unisign_checkpoints.md):
#   python tools/convert_checkpoint.py unisign HOW2SIGN_CHECKPOINT.pth --out work_dirs/h2s.pth
#   python tools/test.py configs/unisign/unisign_pose_slt_how2sign.py work_dirs/h2s.pth
# Uni-Sign's own settings are kept (targets cut to 50 tokens, 100 new tokens); Uni-Sign's How2Sign
# labels have no dev split, so training from here needs the official release's (how2sign.py).
_base_ = ['../_base_/schedules/uni_sign_20e.py', '../_base_/datasets/how2sign.py',
          '../_base_/datasets/unisign_compat_pipelines.py',
          '../_base_/models/unisign_compat_pose.py']
train_dataloader = dict(dataset=dict(pipeline=_base_.uni_sign_train_pipeline))
val_dataloader = dict(batch_size=1, dataset=dict(pipeline=_base_.uni_sign_test_pipeline))
test_dataloader = dict(batch_size=1, dataset=dict(pipeline=_base_.uni_sign_test_pipeline))
