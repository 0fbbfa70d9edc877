# Iteration-based schedule for CPU runs with a known time budget (SynthSign, the quick start):
# fp32 AdamW 1e-3, 50 warm-up iterations, cosine to 0, grad clip 1.0, 500 iterations with one
# validation and one checkpoint at the end. A resumed run skips the batches it
# already trained on by index instead of loading them again (ResumableIterBasedTrainLoop).
_base_ = ['../default_runtime.py']
max_iters = 500
train_cfg = dict(type='ResumableIterBasedTrainLoop', max_iters=max_iters,
                 val_interval=max_iters)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='AdamW', lr=1e-3, weight_decay=1e-4),
    clip_grad=dict(max_norm=1.0))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=50),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=50, end=max_iters, eta_min=0.0),
]
default_hooks = dict(checkpoint=dict(interval=max_iters), logger=dict(interval=100))
