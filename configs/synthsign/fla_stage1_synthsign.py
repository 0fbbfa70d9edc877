# Quick-start stage 1 on SynthSign, sized for a 2-core CPU: a narrow per-part ST-GCN and a small
# Light-T with the tokenizer of the language model that tools/quickstart.py prepares.
#   python tools/train.py configs/synthsign/fla_stage1_synthsign.py
_base_ = [
    '../_base_/default_runtime.py', '../_base_/schedules/cpu_iters.py',
    '../_base_/datasets/synthsign.py', '../_base_/models/stage1_light_t.py',
]
lm_dir = 'data/synthsign/lm'
model = dict(
    encoder=dict(embed_channels=32, spatial_channels=(32, 32), temporal_layers=2,
                 out_channels=256, temporal_stride=2, dropout=0.0),
    head=dict(tokenizer_dir=lm_dir, num_encoder_layers=2, num_decoder_layers=2, d_model=256,
              num_heads=4, ffn_channels=512, label_smoothing=0.1, max_target_length=48),
    generation=dict(max_new_tokens=40, num_beams=1))
max_iters = 500
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=50),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=50, end=max_iters, eta_min=0.0),
]
default_hooks = dict(checkpoint=dict(interval=max_iters), logger=dict(interval=100))
