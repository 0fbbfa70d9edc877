# Uni-Sign's downstream model: the RGB-pose model (uni_sign.py + the RGB hand branch), its
# weights loaded by name from the RGB-pose CSL-News pretraining (stage 2).
_base_ = ['./uni_sign.py', './rgb_branch.py']
model = dict(encoder=dict(rgb=_base_.rgb_branch),
             init_checkpoint='work_dirs/unisign_stage2_rgb-pose_csl-news/epoch_5.pth')
