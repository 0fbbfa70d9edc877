# RGB hand branch sized for the narrow SynthSign encoder (hand part width 32): a backbone that
# turns the shards' 64 px crops into 8 x 8 maps with 79,760 weights, and the reference fusion.
# Configs set ``model.encoder.rgb = _base_.synthsign_rgb_branch``.
_base_ = ['./rgb_branch.py']
synthsign_rgb_branch = dict(
    _base_.rgb_branch,
    backbone=dict(type='HandCropBackbone', stage_channels=(16, 32, 64), stage_strides=(2, 2, 1)))
