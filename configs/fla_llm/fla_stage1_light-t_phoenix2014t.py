# FLa-LLM stage 1 on PHOENIX-2014T (German): the visual encoder (stride-4 sign-wise tokens)
# trained with Light-T, which uses the stage-2 LM's tokenizer (mBART-large-cc25).
#   python tools/train.py configs/fla_llm/fla_stage1_light-t_phoenix2014t.py
_base_ = ['../_base_/schedules/uni_sign_20e.py', '../_base_/datasets/phoenix2014t.py',
          '../_base_/models/stage1_light_t.py']
