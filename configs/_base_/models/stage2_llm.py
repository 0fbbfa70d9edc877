# Stage 2 of FLa-LLM: the stage-1 encoder, frozen, -> MLP adapter -> a pretrained language model
# loaded with from_pretrained(pretrained_dir): seq2seq (mT5, mBART) or decoder-only (Qwen, Llama).
# ``lora=None`` fine-tunes the whole LM (the paper's setting); a dict wraps it with peft LoRA.
_base_ = ['./stage1_light_t.py']
model = dict(
    encoder_checkpoint=None,   # the stage-1 checkpoint, set by each recipe
    freeze_encoder=True,
    head=dict(_delete_=True, type='LanguageModelHead', pretrained_dir=None, lora=None,
              label_smoothing=0.2, max_target_length=128))
