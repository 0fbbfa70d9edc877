# Uni-Sign stage 1: pose-only generative pretraining on CSL-News. The per-part ST-GCN at reference
# sizes (one token per frame) + mT5-base, every weight trained; AdamW 3e-4, cosine, bf16, clip 1,
# 20 epochs, max 256 frames, effective batch 512 = 32 per GPU x 8 GPUs x 2 accumulation steps
# (change accumulative_counts for other GPU counts).
#   torchrun --nproc_per_node 8 tools/train.py configs/unisign/unisign_stage1_pose_csl-news.py \
#       --launcher pytorch
_base_ = ['../_base_/schedules/uni_sign_20e.py', '../_base_/datasets/csl_news.py',
          '../_base_/models/uni_sign.py']
optim_wrapper = dict(accumulative_counts=2)
train_dataloader = dict(batch_size=32)
