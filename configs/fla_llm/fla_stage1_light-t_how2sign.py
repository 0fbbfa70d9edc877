# FLa-LLM stage 1 on How2Sign (English): the visual encoder (stride-4 sign-wise tokens) trained
# with Light-T, which uses the stage-2 LM's tokenizer (mBART-large-cc25). Targets and generations
# up to 160 tokens (docs/recipes.md).
#   python tools/train.py configs/fla_llm/fla_stage1_light-t_how2sign.py
_base_ = ['../_base_/schedules/uni_sign_20e.py', '../_base_/datasets/how2sign.py',
          '../_base_/models/stage1_light_t.py']
model = dict(head=dict(max_target_length=_base_.target_tokens),
             generation=dict(max_new_tokens=_base_.target_tokens))
