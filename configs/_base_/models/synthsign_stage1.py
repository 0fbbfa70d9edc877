# Stage 1 sized for SynthSign on a 2-core CPU: a narrow per-part ST-GCN (stride 2) and a small
# Light-T with the tokenizer of the language model that tools/quickstart.py prepares.
_base_ = ['./stage1_light_t.py']
lm_dir = 'data/synthsign/lm'
model = dict(
    encoder=dict(embed_channels=32, spatial_channels=(32, 32), temporal_layers=2,
                 out_channels=256, temporal_stride=2, dropout=0.0),
    head=dict(tokenizer_dir=lm_dir, num_encoder_layers=2, num_decoder_layers=2, d_model=256,
              num_heads=4, ffn_channels=512, label_smoothing=0.1, max_target_length=48),
    generation=dict(max_new_tokens=40, num_beams=1))
