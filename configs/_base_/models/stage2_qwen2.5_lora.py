# Stage 2 with a decoder-only LM: Qwen2.5-0.5B with LoRA (rank 16 on the attention projections),
# weights in bf16 (GPU). The visual tokens and the prompt precede the target in one sequence.
_base_ = ['./stage2_llm.py']
model = dict(head=dict(pretrained_dir='checkpoints/qwen2.5-0.5b', dtype='bfloat16',
                       lora=dict(_delete_=True, r=16, lora_alpha=32, lora_dropout=0.05,
                                 target_modules=['q_proj', 'k_proj', 'v_proj', 'o_proj'])))
