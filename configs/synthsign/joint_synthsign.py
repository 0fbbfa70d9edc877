# The joint baseline on SynthSign (FLa-LLM's end-to-end setting): the quick start's encoder and
# language model trained together from the start, no stage 1. Each part gets the LR its
# factorised stage uses: LM 3e-3 and adapter 9e-3 as in stage 2, encoder 1e-3 as in stage 1;
# 950 iterations, stage 1's 500 + stage 2's 450 (benchmarks/factorised_vs_joint.py).
#   python tools/train.py configs/synthsign/joint_synthsign.py
_base_ = ['../_base_/schedules/cpu_iters.py', '../_base_/datasets/synthsign.py',
          '../_base_/models/synthsign_stage2.py']
model = dict(encoder_checkpoint=None, freeze_encoder=False)
max_iters = 950
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
optim_wrapper = dict(optimizer=dict(lr=3e-3),
                     # 'head.lm.' (longer, matched first) keeps an encoder-decoder LM's own
                     # encoder layers at the LM's rate
                     paramwise_cfg=dict(custom_keys={'head.adapter': dict(lr_mult=3.0),
                                                     'encoder': dict(lr_mult=1 / 3),
                                                     'head.lm.': dict(lr_mult=1.0)},
                                        bypass_duplicate=True))  # tied LM embeddings
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0, end=75),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=75, end=max_iters, eta_min=0.0),
]
default_hooks = dict(checkpoint=dict(interval=max_iters))
