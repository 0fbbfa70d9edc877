# FLa-LLM stage 2 on CSL-Daily with the frozen encoder of Uni-Sign's CSL-News pretraining (the
# RGB-pose stage: one token per frame, prior-guided fusion) instead of a stage-1 Light-T run:
# generative pretraining on 1,985 h of news, then the factorised LLM head on the downstream set.
#   python tools/train.py configs/fla_llm/fla_stage2_mbart_csl-daily_unisign-encoder.py
_base_ = ['../_base_/schedules/fla_llm_stage2_20e.py', '../_base_/datasets/csl_daily.py',
          '../_base_/datasets/rgb_crop_steps.py', '../_base_/models/stage2_llm.py',
          '../_base_/models/rgb_branch.py']
model = dict(encoder=dict(temporal_stride=1, rgb=_base_.rgb_branch),
             encoder_checkpoint='work_dirs/unisign_stage2_rgb-pose_csl-news/epoch_5.pth')
train_pipeline = _base_.rgb_train_steps + _base_.train_pipeline[1:]
test_pipeline = _base_.rgb_test_steps + _base_.test_pipeline[1:]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
