# Runtime shared by every config: registries, hooks, logging, seeding.
# Types resolve in unisign_fla's registries, which import their modules on first use.
default_scope = 'unisign_fla'

default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50),
    param_scheduler=dict(type='ParamSchedulerHook'),
    # Writes <name>.part and renames it; deletes old checkpoints only after that.
    checkpoint=dict(type='AtomicCheckpointHook', by_epoch=False, interval=1000, max_keep_ckpts=2,
                    save_last=True),
    sampler_seed=dict(type='DistSamplerSeedHook'))

# WeightsOnlyCheckpointHook: checkpoints stay loadable by the weights-only loader.
# IterationSeedHook: iteration i draws from (seed, rank, i), so a resumed run is exact.
# NonFiniteGuardHook: a NaN loss stops the run before a poisoned checkpoint is saved.
# BadSampleHook: training clips that fail to load are logged and skipped, up to max_share.
custom_hooks = [dict(type='WeightsOnlyCheckpointHook'), dict(type='IterationSeedHook'),
                dict(type='NonFiniteGuardHook'), dict(type='BadSampleHook', max_share=0.01)]

env_cfg = dict(cudnn_benchmark=False,
               mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
               dist_cfg=dict(backend='nccl'))
# Scalars (loss, learning rate, PGF gate, dev metrics) go to <work_dir>/<time>/vis_data; tools/
# train.py --vis tensorboard / wandb adds those dashboards (README).
visualizer = dict(type='Visualizer', vis_backends=[dict(type='LocalVisBackend')])
log_processor = dict(by_epoch=False, window_size=50)
log_level = 'INFO'
randomness = dict(seed=0)
load_from = None
resume = False
