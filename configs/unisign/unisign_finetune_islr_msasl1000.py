# Uni-Sign downstream: MS-ASL-1000 isolated recognition (64 frames; top-1 per instance and per
# class). Fine-tuned from the RGB-pose CSL-News pretraining (stage 2, weights by name) with the
# RGB hand branch, 20 epochs at batch 32 (one GPU).
#   python tools/train.py configs/unisign/unisign_finetune_islr_msasl1000.py
_base_ = ['../_base_/schedules/uni_sign_20e.py', '../_base_/datasets/msasl1000.py',
          '../_base_/datasets/rgb_crop_steps.py', '../_base_/models/uni_sign_rgb_finetune.py']
model = dict(generation=dict(max_new_tokens=16))
train_pipeline = _base_.rgb_train_steps + _base_.train_pipeline[1:]
test_pipeline = _base_.rgb_test_steps + _base_.test_pipeline[1:]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
