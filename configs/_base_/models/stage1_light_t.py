# Stage 1 of FLa-LLM / generative pretraining: Uni-Sign's per-part ST-GCN at reference sizes
# (docs/recipes.md: 64 -> 64/128/256, 3 temporal blocks of kernel 5) with FLa-LLM's stride-4
# "sign-wise" tokens + Light-T (3 + 3 layers, width 512, 8 heads, FFN 2048, label smoothing 0.2)
# using the stage-2 language model's tokenizer: mBART-large-cc25's, as in the paper.
lm_dir = 'checkpoints/mbart-large-cc25'
model = dict(
    type='SignTranslator',
    encoder=dict(type='PoseEncoder', embed_channels=64, spatial_channels=(64, 128, 256),
                 temporal_layers=3, temporal_kernel=5, out_channels=512, temporal_stride=4,
                 dropout=0.1),
    head=dict(type='LightTranslator', tokenizer_dir=lm_dir, num_encoder_layers=3,
              num_decoder_layers=3, d_model=512, num_heads=8, ffn_channels=2048, dropout=0.1,
              label_smoothing=0.2, max_target_length=128),
    generation=dict(max_new_tokens=100, num_beams=4))
