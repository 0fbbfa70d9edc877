# FLa-LLM stage 2 on CSL-Daily over the frozen pose encoder of Uni-Sign's released CSL-News
# stage-1 checkpoint (`tools/convert_checkpoint.py unisign csl_stage1_weight.pth --out
# work_dirs/unisign_csl_news_stage1.pth`) instead of a stage-1 Light-T run: Uni-Sign's encoder
# and its input normalisation, its 768-wide tokens through the MLP adapter into mBART-large-cc25,
# fully fine-tuned as in the paper (LoRA: model.head.lora as in stage2_mbart_lora.py).
#   python tools/train.py configs/fla_llm/fla_stage2_mbart_csl-daily_unisign-pose.py
_base_ = ['../_base_/schedules/fla_llm_stage2_20e.py', '../_base_/datasets/csl_daily.py',
          '../_base_/datasets/unisign_compat_pipelines.py', '../_base_/models/stage2_llm.py',
          '../_base_/models/unisign_pose_encoder.py']
model = dict(encoder=dict(_base_.unisign_pose_encoder, _delete_=True),
             encoder_checkpoint='work_dirs/unisign_csl_news_stage1.pth')
train_dataloader = dict(dataset=dict(pipeline=_base_.uni_sign_train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=_base_.uni_sign_test_pipeline))
test_dataloader = dict(dataset=dict(pipeline=_base_.uni_sign_test_pipeline))
