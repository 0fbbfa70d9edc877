# Uni-Sign's optimisation (docs/recipes.md): AdamW 3e-4, weight decay 1e-4, grad
# clip 1.0, bf16 autocast on GPUs (tools/train.py falls back to fp32 without one). Epoch-based
# schedules inherit it and set their length; checkpoints and logs then count epochs.
_base_ = ['../default_runtime.py']
optim_wrapper = dict(
    type='AmpOptimWrapper', dtype='bfloat16',
    optimizer=dict(type='AdamW', lr=3e-4, weight_decay=1e-4),
    clip_grad=dict(max_norm=1.0))
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(checkpoint=dict(by_epoch=True, interval=1))
log_processor = dict(by_epoch=True)
