# Uni-Sign's schedule (DESIGN.md §10): AdamW 3e-4, weight decay 1e-4, cosine to 0, grad clip 1.0,
# bf16 autocast on GPUs. Recipes using it also set epoch-based checkpointing and logging.
max_epochs = 20
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs, val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
optim_wrapper = dict(
    type='AmpOptimWrapper', dtype='bfloat16',
    optimizer=dict(type='AdamW', lr=3e-4, weight_decay=1e-4),
    clip_grad=dict(max_norm=1.0))
param_scheduler = [dict(type='CosineAnnealingLR', by_epoch=True, begin=0, end=max_epochs,
                        eta_min=0.0, convert_to_iter_based=True)]
