# FLa-LLM stage 2 with LoRA: the LoRA weights at LR 2e-4 (full fine-tuning's 1e-5 is too small
# for freshly initialised low-rank updates), the MLP adapter at 1e-3 as in full fine-tuning.
_base_ = ['./fla_llm_stage2_20e.py']
optim_wrapper = dict(optimizer=dict(lr=2e-4),
                     paramwise_cfg=dict(custom_keys={'head.adapter': dict(lr_mult=5.0)}))
