# Uni-Sign stage 1 (DESIGN.md §1b, §10): pose-only generative pretraining on CSL-News, the
# per-part ST-GCN at reference sizes (one token per frame) + mT5-base, every weight trained.
# AdamW 3e-4, wd 1e-4, cosine, bf16, clip 1.0, 20 epochs, max 256 frames, effective batch 512
# (32 per GPU x 8 GPUs x 2 accumulation steps; change accumulative_counts for other GPU counts).
#   torchrun --nproc_per_node 8 tools/train.py configs/pretrain_cslnews.py --launcher pytorch
_base_ = [
    '_base_/default_runtime.py', '_base_/schedules/uni_sign_epochs.py',
    '_base_/datasets/cslnews.py', '_base_/models/stage2_llm.py',
]
model = dict(
    encoder=dict(temporal_stride=1),
    freeze_encoder=False,
    head=dict(pretrained_dir='checkpoints/mt5-base', lora=None, label_smoothing=0.2,
              max_target_length=128))
optim_wrapper = dict(accumulative_counts=2)
train_dataloader = dict(batch_size=32)
default_hooks = dict(checkpoint=dict(by_epoch=True, interval=1))
log_processor = dict(by_epoch=True)
