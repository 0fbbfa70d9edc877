# FLa-LLM stage 1 on CSL-Daily (Chinese): the visual encoder (stride-4 sign-wise tokens) trained
# with Light-T, which uses the stage-2 LM's tokenizer (mBART-large-cc25).
#   python tools/train.py configs/fla_llm/fla_stage1_light-t_csl-daily.py
_base_ = ['../_base_/schedules/uni_sign_20e.py', '../_base_/datasets/csl_daily.py',
          '../_base_/models/stage1_light_t.py']
