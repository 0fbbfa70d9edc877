# The end-to-end baseline FLa-LLM argues against (PHOENIX-2014T test BLEU-4: joint 12.90 vs
# factorised 23.09): the visual encoder and mBART-large-cc25 trained together from the start,
# no stage 1. The encoder gets Uni-Sign's LR 3e-4 (lr_mult 30 over the LM's 1e-5). mmengine
# matches custom keys as substrings, longest first: 'head.lm.' keeps mBART's own encoder layers
# (head.lm.model.encoder.*) at the LM's rate.
#   python tools/train.py configs/fla_llm/fla_joint_mbart_phoenix2014t.py
_base_ = ['../_base_/schedules/fla_llm_stage2_20e.py', '../_base_/datasets/phoenix2014t.py',
          '../_base_/models/stage2_llm.py']
model = dict(freeze_encoder=False)
optim_wrapper = dict(paramwise_cfg=dict(custom_keys={'encoder': dict(lr_mult=30.0),
                                                     'head.lm.': dict(lr_mult=1.0)}))
