# Uni-Sign stage 2: RGB-pose pretraining on CSL-News. Stage 1's weights load by name (the log
# lists what starts fresh: the RGB hand branch), plus our prior-guided fusion over 10 % of each
# hand's candidate frames chosen by score-aware sampling (112 px crops: extract with
# --crop-size 112). 5 epochs at effective batch 128 = 16 per GPU x 8 GPUs.
#   torchrun --nproc_per_node 8 tools/train.py \
#       configs/unisign/unisign_stage2_rgb-pose_csl-news.py --launcher pytorch
_base_ = ['../_base_/schedules/uni_sign_5e.py', '../_base_/datasets/csl_news.py',
          '../_base_/datasets/rgb_crop_steps.py', '../_base_/models/uni_sign.py',
          '../_base_/models/rgb_branch.py']
model = dict(encoder=dict(rgb=_base_.rgb_branch),
             init_checkpoint='work_dirs/unisign_stage1_pose_csl-news/epoch_20.pth')
train_dataloader = dict(batch_size=16, sampler=dict(batch_size=16),
                        dataset=dict(pipeline=_base_.rgb_train_steps + _base_.train_pipeline[1:]))
val_dataloader = dict(dataset=dict(pipeline=_base_.rgb_test_steps + _base_.test_pipeline[1:]))
test_dataloader = dict(dataset=dict(pipeline=_base_.rgb_test_steps + _base_.test_pipeline[1:]))
