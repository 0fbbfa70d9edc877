# FLa-LLM stage 2 on CSL-Daily with Qwen2.5-7B and LoRA (rank 16 on q/k/v/o; LoRA LR 2e-4,
# adapter 1e-3), sharded with FSDP on 8 GPUs, bf16 compute, gradient checkpointing on. The LM
# loads in fp32 (FSDP flattens each unit into one dtype; LoRA weights are fp32).
#   torchrun --nproc_per_node 8 tools/train.py \
#       configs/fla_llm/fla_stage2_qwen2.5-7b-lora_fsdp_csl-daily.py --launcher pytorch
# Memory per GPU from benchmarks/lm_memory.py (docs/large_models.md): weights 3.56 GiB + gradients
# 3.56 GiB (FSDP1 keeps a gradient shard for a whole layer once its LoRA weights train) + AdamW
# 0.02 GiB = 7.14 GiB, + 2.93 GiB of gathered bf16 weights while they compute + activations.
_base_ = ['../_base_/schedules/fla_llm_stage2_lora_20e.py', '../_base_/datasets/csl_daily.py',
          '../_base_/models/stage2_qwen2.5_lora.py', '../_base_/strategies/fsdp.py']
model = dict(encoder_checkpoint='work_dirs/fla_stage1_light-t_csl-daily/epoch_20.pth',
             head=dict(pretrained_dir='checkpoints/qwen2.5-7b', dtype=None,
                       gradient_checkpointing=True))
train_dataloader = dict(batch_size=4, sampler=dict(batch_size=4))   # x 8 GPUs = 32
strategy = dict(model_wrapper=dict(mixed_precision=dict(
    param_dtype='bfloat16', reduce_dtype='float32', buffer_dtype='bfloat16')))
