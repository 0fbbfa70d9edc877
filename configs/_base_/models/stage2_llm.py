# Stage 2 of FLa-LLM: the stage-1 encoder, frozen, -> MLP adapter -> a pretrained language model
# loaded with from_pretrained(pretrained_dir): mBART-large-cc25 fully fine-tuned, as in the paper
# (seq2seq; mT5 works the same way, Qwen / Llama as decoder-only: stage2_qwen2.5_lora.py).
# ``lora=None`` fine-tunes the whole LM; a dict wraps it with peft LoRA (stage2_mbart_lora.py).
_base_ = ['./stage1_light_t.py']
model = dict(
    encoder_checkpoint=None,   # the stage-1 checkpoint, set by each recipe
    freeze_encoder=True,
    head=dict(_delete_=True, type='LanguageModelHead', pretrained_dir=_base_.lm_dir, lora=None,
              label_smoothing=0.2, max_target_length=128))
