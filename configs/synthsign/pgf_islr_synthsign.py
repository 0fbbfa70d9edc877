# Isolated sign recognition on SynthSign with the RGB hand branch (see pgf_stage1_synthsign.py):
# ten sign pairs differ only in palm / back of the hand facing the camera, visible in RGB only.
#   python tools/train.py configs/synthsign/pgf_islr_synthsign.py
_base_ = ['../_base_/schedules/cpu_iters.py', '../_base_/datasets/synthsign_islr.py',
          '../_base_/datasets/synthsign_rgb_crop_steps.py',
          '../_base_/models/synthsign_stage1.py', '../_base_/models/synthsign_rgb_branch.py']
model = dict(encoder=dict(rgb=_base_.synthsign_rgb_branch), head=dict(max_target_length=8),
             generation=dict(max_new_tokens=6))
train_dataloader = dict(dataset=dict(pipeline=_base_.rgb_train_steps + _base_.train_pipeline[1:]))
val_dataloader = dict(dataset=dict(pipeline=_base_.rgb_test_steps + _base_.test_pipeline[1:]))
test_dataloader = dict(dataset=dict(pipeline=_base_.rgb_test_steps + _base_.test_pipeline[1:]))
