# Stage 1 on SynthSign with the RGB hand branch: the quick-start encoder plus HandCropBackbone and
# prior-guided fusion over score-aware sampled hand crops (the shards' 64 px crops).
#   python tools/train.py configs/synthsign/pgf_stage1_synthsign.py
# Reference-style gate (ReLU(tanh) of a zero-initialised layer), for the ablation:
#   --cfg-options model.encoder.rgb.fusion.gate=reference
_base_ = ['../_base_/schedules/cpu_iters.py', '../_base_/datasets/synthsign.py',
          '../_base_/datasets/synthsign_rgb_crop_steps.py',
          '../_base_/models/synthsign_stage1.py', '../_base_/models/synthsign_rgb_branch.py']
model = dict(encoder=dict(rgb=_base_.synthsign_rgb_branch))
train_dataloader = dict(dataset=dict(pipeline=_base_.rgb_train_steps + _base_.train_pipeline[1:]))
val_dataloader = dict(dataset=dict(pipeline=_base_.rgb_test_steps + _base_.test_pipeline[1:]))
test_dataloader = dict(dataset=dict(pipeline=_base_.rgb_test_steps + _base_.test_pipeline[1:]))
