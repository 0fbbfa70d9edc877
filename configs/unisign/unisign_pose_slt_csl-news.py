# Uni-Sign's released CSL-News stage-1 checkpoint (pose-only generative pretraining), converted,
# evaluated on the CSL-News hold-out (Uni-Sign's last 1 %, data_prep's documented split):
#   python tools/convert_checkpoint.py unisign csl_stage1_weight.pth \
#       --out work_dirs/unisign_csl_news_stage1.pth
#   python tools/test.py configs/unisign/unisign_pose_slt_csl-news.py \
#       work_dirs/unisign_csl_news_stage1.pth
# The converted file is also what the recipes that build on it read (docs/unisign_checkpoints.md):
# unisign_pose_lora_slt_csl-daily.py, fla_llm/fla_stage2_mbart_csl-daily_unisign-pose.py.
_base_ = ['../_base_/schedules/uni_sign_20e.py', '../_base_/datasets/csl_news.py',
          '../_base_/datasets/unisign_compat_pipelines.py',
          '../_base_/models/unisign_compat_pose.py']
train_dataloader = dict(dataset=dict(pipeline=_base_.uni_sign_train_pipeline))
val_dataloader = dict(batch_size=1, dataset=dict(pipeline=_base_.uni_sign_test_pipeline))
test_dataloader = dict(batch_size=1, dataset=dict(pipeline=_base_.uni_sign_test_pipeline))
