# FLa-LLM stage 2 on CSL-Daily (Chinese): the stage-1 encoder frozen, an MLP adapter, and mBART-
# large-cc25 with LoRA (rank 16; LoRA LR 2e-4, adapter 1e-3).
#   python tools/train.py configs/fla_llm/fla_stage2_mbart-lora_csl-daily.py
_base_ = ['../_base_/schedules/fla_llm_stage2_lora_20e.py', '../_base_/datasets/csl_daily.py',
          '../_base_/models/stage2_mbart_lora.py']
model = dict(encoder_checkpoint='work_dirs/fla_stage1_light-t_csl-daily/epoch_20.pth')
