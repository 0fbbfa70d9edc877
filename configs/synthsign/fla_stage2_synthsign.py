# Quick-start stage 2 on SynthSign: the stage-1 encoder frozen, an MLP adapter and the small
# pretrained language model that tools/quickstart.py prepares (loaded with from_pretrained).
#   python tools/train.py configs/synthsign/fla_stage2_synthsign.py \
#       --cfg-options model.encoder_checkpoint=work_dirs/fla_stage1_synthsign/iter_500.pth
_base_ = ['../_base_/schedules/cpu_iters.py', '../_base_/datasets/synthsign.py',
          '../_base_/models/synthsign_stage2.py']
# The adapter and the LM must learn to read the video from scratch, and steps are what a CPU
# budget lacks: on stage-1 features, 450 steps at LR 2e-3 / 3e-3 gave dev BLEU-4 45.6 / 50.2
# (300 steps at 3e-4, the first setting, gave 6.2).
max_iters = 450
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
optim_wrapper = dict(optimizer=dict(lr=3e-3),
                     paramwise_cfg=dict(custom_keys={'head.adapter': dict(lr_mult=3.0)},
                                        bypass_duplicate=True))  # tied LM embeddings
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0, end=75),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=75, end=max_iters, eta_min=0.0),
]
default_hooks = dict(checkpoint=dict(interval=max_iters))
