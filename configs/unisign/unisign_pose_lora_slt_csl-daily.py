# Building on Uni-Sign's released CSL-News stage-1 checkpoint (converted by
# `tools/convert_checkpoint.py unisign csl_stage1_weight.pth --out
# work_dirs/unisign_csl_news_stage1.pth`): its pose encoder frozen, its mT5-base fine-tuned on
# CSL-Daily with LoRA (rank 16 on mT5's q and v, peft's defaults) at the LoRA learning rate of
# FLa-LLM's stage 2. The checkpoint's plain mT5 weights initialise the LoRA-wrapped model by name.
#   python tools/train.py configs/unisign/unisign_pose_lora_slt_csl-daily.py
_base_ = ['../_base_/schedules/fla_llm_stage2_lora_20e.py', '../_base_/datasets/csl_daily.py',
          '../_base_/datasets/unisign_compat_pipelines.py',
          '../_base_/models/unisign_compat_pose.py']
model = dict(init_checkpoint='work_dirs/unisign_csl_news_stage1.pth', freeze_encoder=True,
             head=dict(lora=dict(r=16, lora_alpha=32, lora_dropout=0.05)))
train_dataloader = dict(dataset=dict(pipeline=_base_.uni_sign_train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=_base_.uni_sign_test_pipeline))
test_dataloader = dict(dataset=dict(pipeline=_base_.uni_sign_test_pipeline))
