# FLa-LLM stage 1 on CSL-Daily: the visual encoder trained with Light-T, which uses the stage-2
# language model's tokenizer (mBART-large-cc25 in the paper), stride-4 "sign-wise" tokens.
#   python tools/train.py configs/fla_stage1_csl_daily.py
_base_ = [
    '_base_/default_runtime.py', '_base_/schedules/uni_sign_epochs.py',
    '_base_/datasets/csl_daily.py', '_base_/models/stage1_light_t.py',
]
model = dict(head=dict(tokenizer_dir='checkpoints/mbart-large-cc25'))
default_hooks = dict(checkpoint=dict(by_epoch=True, interval=1))
log_processor = dict(by_epoch=True)
