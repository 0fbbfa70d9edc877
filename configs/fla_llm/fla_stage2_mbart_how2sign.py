# FLa-LLM stage 2 on How2Sign (English): the stage-1 encoder frozen, an MLP adapter, and mBART-
# large-cc25 fully fine-tuned (LM LR 1e-5, adapter 1e-3), as in the paper. Targets and generations
# up to 160 tokens (docs/recipes.md).
#   python tools/train.py configs/fla_llm/fla_stage2_mbart_how2sign.py
_base_ = ['../_base_/schedules/fla_llm_stage2_20e.py', '../_base_/datasets/how2sign.py',
          '../_base_/models/stage2_llm.py']
model = dict(encoder_checkpoint='work_dirs/fla_stage1_light-t_how2sign/epoch_20.pth',
             head=dict(max_target_length=_base_.target_tokens),
             generation=dict(max_new_tokens=_base_.target_tokens))
