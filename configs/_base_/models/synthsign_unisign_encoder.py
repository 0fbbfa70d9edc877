# Uni-Sign's pose encoder (UniSignPoseEncoder) in place of ours, for the side-by-side comparison
# on SynthSign (benchmarks/encoder_choice.py, docs/encoder.md "Which encoder to pick"): the
# quick start's widths (32 -> 32, 32, 2 temporal blocks of kernel 5, 256 out) but Uni-Sign's
# layers, one token per frame (Uni-Sign has no temporal stride), and the input normalisation its
# layers expect (mode='uni_sign'), with the same augmentation as ours in training. The Light-T
# head's input projection (in_channels -> d_model) is the adapter. Used as variables by
# configs/synthsign/unisign_*_synthsign.py: `_delete_` replaces our encoder's config whole.
_base_ = ['../datasets/unisign_compat_pipelines.py']
unisign_encoder = dict(_delete_=True, type='UniSignPoseEncoder', embed_channels=32,
                       spatial_channels=(32, 32), temporal_layers=2, temporal_kernel=5,
                       out_channels=256)
unisign_augmented_train_pipeline = [
    dict(type='LoadShardSample', with_crops=False),
    dict(type='SampleFrames', max_frames=256, random=True),
    {{_base_.uni_sign_normalize}},
    dict(type='RandomKeypointAffine', scale=0.1, rotation_deg=8.0, shift=0.05),
    dict(type='PackSignInputs'),
]
