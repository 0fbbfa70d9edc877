# FLa-LLM stage 2 on CSL-Daily with Qwen2.5-7B fully fine-tuned, sharded with FSDP on 8 GPUs:
# the stage-1 encoder frozen (no optimizer state), the MLP adapter at LR 1e-3, the LM at 1e-5,
# fp32 weight shards computing in bf16 (FSDP mixed precision), gradient checkpointing on.
#   torchrun --nproc_per_node 8 tools/train.py \
#       configs/fla_llm/fla_stage2_qwen2.5-7b_fsdp_csl-daily.py --launcher pytorch
# Memory per GPU from benchmarks/lm_memory.py (FSDP FULL_SHARD, AdamW; docs/large_models.md):
#   weights 3.55 GiB (fp32 shards) + gradients 3.55 GiB + AdamW 7.11 GiB = 14.21 GiB
#   + 2.93 GiB of bf16 weights gathered while they compute (root unit and two layers)
#   + activations (4 clips per GPU, checkpointed per layer). Unsharded on one GPU the first
#   three would take 113.71 GiB; on 2 GPUs 56.86 GiB each.
_base_ = ['../_base_/schedules/fla_llm_stage2_20e.py', '../_base_/datasets/csl_daily.py',
          '../_base_/models/stage2_llm.py', '../_base_/strategies/fsdp.py']
model = dict(encoder_checkpoint='work_dirs/fla_stage1_light-t_csl-daily/epoch_20.pth',
             head=dict(pretrained_dir='checkpoints/qwen2.5-7b', gradient_checkpointing=True))
# 8 GPUs x 4 clips: the single-GPU recipes' batch of 32.
train_dataloader = dict(batch_size=4, sampler=dict(batch_size=4))
# The schedule's AmpOptimWrapper (bf16 autocast) becomes ShardedOptimWrapper under FSDP
# (tools/train.py): bf16 comes from FSDP's mixed precision, gradients reduced in fp32.
strategy = dict(model_wrapper=dict(mixed_precision=dict(
    param_dtype='bfloat16', reduce_dtype='float32', buffer_dtype='bfloat16')))
