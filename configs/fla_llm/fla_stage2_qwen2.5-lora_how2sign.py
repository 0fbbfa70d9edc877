# FLa-LLM stage 2 on How2Sign (English): the stage-1 encoder frozen, an MLP adapter, and the
# decoder-only Qwen2.5-0.5B with LoRA (rank 16; LoRA LR 2e-4, adapter 1e-3). Targets and
# generations up to 160 tokens (docs/recipes.md).
#   python tools/train.py configs/fla_llm/fla_stage2_qwen2.5-lora_how2sign.py
_base_ = ['../_base_/schedules/fla_llm_stage2_lora_20e.py', '../_base_/datasets/how2sign.py',
          '../_base_/models/stage2_qwen2.5_lora.py']
model = dict(encoder_checkpoint='work_dirs/fla_stage1_light-t_how2sign/epoch_20.pth',
             head=dict(max_target_length=_base_.target_tokens),
             generation=dict(max_new_tokens=_base_.target_tokens))
