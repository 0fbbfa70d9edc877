# Uni-Sign's RGB-pose model as Uni-Sign's code builds it, for its RGB-pose checkpoints
# (csl_daily_rgb_pose_slt.pth, ...) after `python tools/convert_checkpoint.py unisign SRC --out
# DST`: the pose-only model (unisign_compat_pose.py) with Uni-Sign's RGB branch in the hands,
# EfficientNet-B0 on 112 px crops -> rgb_proj -> deformable attention at the joints -> PGF gate,
# before the wrist addition (UniSignRGBFusion). Its input: unisign_compat_rgb_pipelines.py.
_base_ = ['./unisign_compat_pose.py']
model = dict(encoder=dict(rgb=dict(
    type='UniSignRGBFusion',
    backbone=dict(type='EfficientNetB0Features'),
    fusion=dict(type='UniSignDeformableFusion', channels=256, rgb_channels=1280, heads=8,
                head_channels=32, map_cells=16))))
