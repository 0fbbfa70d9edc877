# islr_synthsign.py with Uni-Sign's pose encoder and normalisation in place of ours (same data,
# schedule, augmentation and Light-T): the ISLR half of benchmarks/encoder_choice.py.
#   python tools/train.py configs/synthsign/unisign_islr_synthsign.py
_base_ = ['../_base_/schedules/cpu_iters.py', '../_base_/datasets/synthsign_islr.py',
          '../_base_/models/synthsign_stage1.py', '../_base_/models/synthsign_unisign_encoder.py']
model = dict(encoder={{_base_.unisign_encoder}}, head=dict(max_target_length=8),
             generation=dict(max_new_tokens=6))
train_dataloader = dict(dataset=dict(pipeline={{_base_.unisign_augmented_train_pipeline}}))
val_dataloader = dict(dataset=dict(pipeline={{_base_.uni_sign_test_pipeline}}))
test_dataloader = dict(dataset=dict(pipeline={{_base_.uni_sign_test_pipeline}}))
