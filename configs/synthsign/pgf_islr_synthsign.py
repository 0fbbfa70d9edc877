# Isolated sign recognition on SynthSign with the RGB hand branch (see pgf_stage1_synthsign.py):
# ten sign pairs differ only in palm / back of the hand facing the camera, visible in RGB only.
#   python tools/train.py configs/synthsign/pgf_islr_synthsign.py
_base_ = ['./islr_synthsign.py', '../_base_/datasets/synthsign_rgb_pipelines.py',
          '../_base_/models/synthsign_rgb_branch.py']
model = dict(encoder=dict(rgb={{_base_.synthsign_rgb_branch}}))
train_dataloader = dict(dataset=dict(pipeline={{_base_.rgb_train_pipeline}}))
val_dataloader = dict(dataset=dict(pipeline={{_base_.rgb_test_pipeline}}))
test_dataloader = dict(dataset=dict(pipeline={{_base_.rgb_test_pipeline}}))
