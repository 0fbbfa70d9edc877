# Stage 2 with LoRA on mBART-large-cc25 instead of full fine-tuning (future work in the paper):
# rank 16 on every attention projection (peft has no default layers for mBART).
_base_ = ['./stage2_llm.py']
model = dict(head=dict(lora=dict(_delete_=True, r=16, lora_alpha=32, lora_dropout=0.05,
                                 target_modules=['q_proj', 'k_proj', 'v_proj', 'out_proj'])))
