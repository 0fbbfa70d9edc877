"""Stage-2 head of FLa-LLM: an MLP adapter feeding visual tokens to a pretrained HF LM (§6).

Pointing ``pretrained_dir`` at a real model is all it takes to switch LMs; the directory is what
``save_pretrained`` / ``huggingface-cli download`` writes (config.json, weights, tokenizer files)::

    # mT5-base (Uni-Sign's LM), seq2seq:
    head = dict(type='LanguageModelHead', in_channels=256, pretrained_dir='checkpoints/mt5-base',
                prompt='Translate sign language video to Chinese: ')
    # mBART-large-cc25 (FLa-LLM's LM; full fine-tuning at LR 1e-5, adapter at 1e-3):
    head = dict(type='LanguageModelHead', in_channels=256,
                pretrained_dir='checkpoints/mbart-large-cc25')
    # Qwen2.5-0.5B, decoder-only, with LoRA; bf16 on a GPU:
    head = dict(type='LanguageModelHead', in_channels=256,
                pretrained_dir='checkpoints/qwen2.5-0.5b',
                lora=dict(r=16, lora_alpha=32, lora_dropout=0.05,
                          target_modules=['q_proj', 'k_proj', 'v_proj', 'o_proj']),
                dtype='bfloat16')

The LM type comes from ``config.is_encoder_decoder`` unless ``kind`` forces it. Training and
generation start the decoder with the same token: the target language's code for mBART (whose
cc25 config sets no ``decoder_start_token_id``), else the config's start token (pad for T5). The
hub's generation defaults (mBART's ``no_repeat_ngram_size``, ``forced_bos_token_id``...) are
replaced by the head's own settings, so decoding is exactly what ``predict`` asks for. The
whole head, LM included, lives in the module's ``state_dict``, so mmengine checkpoints carry
the adapter and the LoRA (or fully fine-tuned) weights; rebuilding the head from the same
``pretrained_dir`` and loading that state dict restores it exactly.
"""
from pathlib import Path

import torch
from torch import Tensor, nn
from transformers import (
    AutoConfig,
    AutoModelForCausalLM,
    AutoModelForSeq2SeqLM,
    GenerationConfig,
    PreTrainedModel,
)

from unisign_fla.lm.tokenizer import load_tokenizer
from unisign_fla.models.heads.text_sequences import (
    decode_texts,
    decoder_start_ids,
    encode_targets,
    label_smoothed_loss,
    pack_segments,
    pad_ids,
    resolve_prompts,
    special_token_ids,
    teacher_forcing_inputs,
    tokenize_texts,
    valid_visual_tokens,
)
from unisign_fla.registry import MODELS

KINDS = ('seq2seq', 'causal')


def load_language_model(pretrained_dir: str, kind: str | None = None,
                        dtype: str | None = None) -> tuple[nn.Module, str]:
    """``(model, kind)`` for an HF model directory, ``kind`` detected from its config."""
    path = Path(pretrained_dir)
    if not (path / 'config.json').is_file():
        raise FileNotFoundError(f'{path}: not a Hugging Face model directory '
                                f'(expected config.json and weights)')
    if kind is None:
        kind = 'seq2seq' if AutoConfig.from_pretrained(str(path)).is_encoder_decoder else 'causal'
    if kind not in KINDS:
        raise ValueError(f'kind={kind!r}: expected one of {KINDS} or None')
    model_cls = AutoModelForSeq2SeqLM if kind == 'seq2seq' else AutoModelForCausalLM
    kwargs = dict(dtype=getattr(torch, dtype)) if dtype else {}
    return model_cls.from_pretrained(str(path), **kwargs), kind


def configured_decoder_start(lm: PreTrainedModel) -> int | None:
    """The decoder start token a seq2seq config names (model config, then generation config)."""
    for config in (lm.config, lm.generation_config):
        start = getattr(config, 'decoder_start_token_id', None)
        if start is not None:
            return start
    return None


def wrap_with_lora(lm: PreTrainedModel, lora: dict, name: str) -> nn.Module:
    """``lm`` with peft LoRA layers; a model type peft has no default target modules for (mBART)
    is an error that lists the model's attention projections, instead of peft's bare message."""
    # No peft task type: peft 0.21's seq2seq wrapper calls a generation hook that transformers 5
    # renamed; the plain PeftModel injects the same LoRA layers.
    from peft import LoraConfig, get_peft_model
    from peft.utils.constants import TRANSFORMERS_MODELS_TO_LORA_TARGET_MODULES_MAPPING as DEFAULTS
    model_type = lm.config.model_type
    if not lora.get('target_modules') and model_type not in DEFAULTS:
        projections = sorted({n.rsplit('.', 1)[-1] for n, m in lm.named_modules()
                              if isinstance(m, nn.Linear) and 'attn' in n})
        raise ValueError(f'{name}: peft has no default LoRA layers for model type '
                         f'{model_type!r}: set lora.target_modules, e.g. {projections}')
    return get_peft_model(lm, LoraConfig(**lora))


def enable_checkpointing(lm: PreTrainedModel) -> None:
    """Non-reentrant activation checkpointing of every layer (transformers 5 renamed the call;
    the older name stays for earlier releases)."""
    kwargs = dict(use_reentrant=False)
    if hasattr(lm, 'activation_checkpointing_enable'):
        lm.activation_checkpointing_enable(activation_checkpointing_kwargs=kwargs)
    else:
        lm.gradient_checkpointing_enable(gradient_checkpointing_kwargs=kwargs)


@MODELS.register_module()
class LanguageModelHead(nn.Module):
    """Adapter (Linear-GELU-Linear) + pretrained LM, fully fine-tuned, LoRA-tuned or frozen.

    Sequences fed to the LM (``P`` = prompt embedded with the LM's own table, ``V`` = adapted
    valid visual tokens, ``T`` = target ids + EOS):

    * seq2seq: encoder ``[P; V]``, decoder labels ``T``;
    * causal: ``[BOS; V; P; T]`` left-padded up to the target, loss on ``T`` only (BOS only if
      the tokenizer has one: Llama yes, Qwen no).

    Args:
        in_channels: width of the visual tokens.
        pretrained_dir: HF model directory (see the module docstring).
        tokenizer_dir: tokenizer directory when it is not ``pretrained_dir``.
        kind: ``'seq2seq'`` or ``'causal'`` to override the config.
        lora: ``peft.LoraConfig`` arguments (``r``, ``lora_alpha``, ``lora_dropout``,
            ``target_modules``...); the base LM is then frozen.
        freeze_lm: train the adapter only.
        prompt: default task prompt (``prompts=None`` in ``loss``/``predict``).
        prompt_eos: append the tokenizer's EOS to every prompt, as Uni-Sign does.
        adapter: ``'mlp'`` (Linear-GELU-Linear) or ``None``: the visual tokens go into the LM
            as they are (Uni-Sign's ``pose_proj`` already has the LM's width).
        label_smoothing, max_target_length, length_penalty: loss and generation settings.
        dtype: ``torch`` dtype name for the LM weights (e.g. ``'bfloat16'``); default float32.
        gradient_checkpointing: recompute the LM's layer activations in the backward pass
            instead of keeping them (HF ``gradient_checkpointing_enable``, non-reentrant: works
            under FSDP and with frozen weights); same loss and gradients, about a third more
            compute, activation memory of one layer instead of all (docs/large_models.md).
    """

    def __init__(self, in_channels: int, pretrained_dir: str, tokenizer_dir: str | None = None,
                 kind: str | None = None, lora: dict | None = None, freeze_lm: bool = False,
                 prompt: str = 'Translate sign language video to English: ',
                 label_smoothing: float = 0.2, max_target_length: int = 128,
                 length_penalty: float = 1.0, dtype: str | None = None,
                 prompt_eos: bool = False, adapter: str | None = 'mlp',
                 gradient_checkpointing: bool = False):
        super().__init__()
        if lora is not None and freeze_lm:
            raise ValueError('lora and freeze_lm=True are exclusive: LoRA already freezes the LM')
        lm, self.kind = load_language_model(pretrained_dir, kind, dtype)
        self.tokenizer = load_tokenizer(tokenizer_dir or pretrained_dir)
        self.ids = special_token_ids(self.tokenizer)
        self.name = str(pretrained_dir)
        self.default_decoder_start = (configured_decoder_start(lm) if self.kind == 'seq2seq'
                                      else None)
        lm.generation_config = GenerationConfig(eos_token_id=self.ids['eos'],
                                                pad_token_id=self.ids['pad'])
        self.prompt, self.prompt_eos, self.label_smoothing = prompt, prompt_eos, label_smoothing
        self.max_target_length, self.length_penalty = max_target_length, length_penalty
        width = lm.get_input_embeddings().embedding_dim
        if adapter == 'mlp':
            self.adapter = nn.Sequential(nn.Linear(in_channels, width), nn.GELU(),
                                         nn.Linear(width, width))
        elif adapter is None and in_channels == width:
            self.adapter = nn.Identity()
        else:
            raise ValueError(f'adapter={adapter!r}: expected \'mlp\', or None when the visual '
                             f'tokens have the LM\'s width ({in_channels} != {width})')
        if gradient_checkpointing:
            enable_checkpointing(lm)
            if lora is not None or freeze_lm:   # as peft asks, for reentrant checkpoints too
                lm.enable_input_require_grads()
        if lora is not None:
            lm = wrap_with_lora(lm, lora, self.name)
        elif freeze_lm:
            lm.requires_grad_(False)
        self.lm = lm

    def _embed_ids(self, rows: list[list[int]], device: torch.device) -> list[Tensor]:
        table = self.lm.get_input_embeddings()
        return [table(torch.tensor(ids, dtype=torch.long, device=device)) for ids in rows]

    def _context(self, visual: Tensor, visual_mask: Tensor,
                 prompts: list[str] | None) -> list[list[Tensor]]:
        """Per-sample embedded segments before the target: seq2seq [P; V], causal [BOS; V; P]."""
        dtype = self.lm.get_input_embeddings().weight.dtype
        tokens = [self.adapter(v).to(dtype) for v in valid_visual_tokens(visual, visual_mask)]
        prompt_ids = tokenize_texts(self.tokenizer,
                                    resolve_prompts(prompts, self.prompt, len(tokens)))
        if self.prompt_eos:
            prompt_ids = [ids + [self.ids['eos']] for ids in prompt_ids]
        prompt_embeds = self._embed_ids(prompt_ids, visual.device)
        if self.kind == 'seq2seq':
            return [[p, v] for p, v in zip(prompt_embeds, tokens)]
        bos = self.tokenizer.bos_token_id
        starts = self._embed_ids([[bos] if bos is not None else []] * len(tokens), visual.device)
        return [[s, v, p] for s, v, p in zip(starts, tokens, prompt_embeds)]

    def encoder_inputs(self, visual: Tensor, visual_mask: Tensor,
                       prompts: list[str] | None = None) -> tuple[Tensor, Tensor]:
        """A seq2seq LM's encoder input: embeddings ``[P; V]`` (B, L, D) and mask (B, L)."""
        return pack_segments(self._context(visual, visual_mask, prompts))

    def _decoder_starts(self, languages: list[str | None] | None, batch_size: int) -> list[int]:
        return decoder_start_ids(self.tokenizer, languages, batch_size,
                                 self.default_decoder_start, self.name)

    def loss(self, visual: Tensor, visual_mask: Tensor, targets: list[str],
             prompts: list[str] | None = None,
             languages: list[str | None] | None = None) -> dict[str, Tensor]:
        """Label-smoothed cross-entropy of ``targets`` (+ EOS) given the visual tokens.

        ``languages`` (BCP-47, per sample) pick mBART's decoder start code; others ignore them.
        """
        if len(targets) != visual.shape[0]:
            raise ValueError(f'targets: expected {visual.shape[0]} texts, got {len(targets)}')
        target_ids = encode_targets(self.tokenizer, targets, self.max_target_length)
        labels = pad_ids(target_ids, device=visual.device)
        if self.kind == 'seq2seq':
            embeds, mask = self.encoder_inputs(visual, visual_mask, prompts)
            decoder_inputs = teacher_forcing_inputs(
                labels, self._decoder_starts(languages, len(targets)), self.ids['pad'])
            logits = self.lm(inputs_embeds=embeds, attention_mask=mask,
                             decoder_input_ids=decoder_inputs).logits
            return dict(loss=label_smoothed_loss(logits, labels, self.label_smoothing))
        # Causal: left-pad the context so every target starts at the same index, right-pad the
        # targets; positions count real tokens only, so padding never shifts them.
        context_embeds, context_mask = pack_segments(self._context(visual, visual_mask, prompts),
                                                     left=True)
        target_embeds = self._embed_ids(target_ids, visual.device)
        target_part, target_mask = pack_segments([[t] for t in target_embeds])
        embeds = torch.cat([context_embeds, target_part], dim=1)
        mask = torch.cat([context_mask, target_mask], dim=1)
        positions = (mask.long().cumsum(dim=1) - 1).clamp(min=0)
        # Logits at the last context token and every target token but the last predict T.
        logits = self.lm(inputs_embeds=embeds, attention_mask=mask, position_ids=positions,
                         logits_to_keep=labels.shape[1] + 1).logits[:, :-1]
        return dict(loss=label_smoothed_loss(logits, labels, self.label_smoothing))

    @torch.no_grad()
    def predict(self, visual: Tensor, visual_mask: Tensor, prompts: list[str] | None = None,
                languages: list[str | None] | None = None, max_new_tokens: int = 60,
                num_beams: int = 4) -> list[str]:
        """Deterministic greedy / beam-search generation through ``generate(inputs_embeds=...)``."""
        embeds, mask = pack_segments(self._context(visual, visual_mask, prompts),
                                     left=self.kind == 'causal')
        extra = {}
        if self.kind == 'seq2seq':  # a list: one start token per sample
            extra['decoder_start_token_id'] = self._decoder_starts(languages, visual.shape[0])
        sequences = self.lm.generate(
            inputs_embeds=embeds, attention_mask=mask.long(), max_new_tokens=max_new_tokens,
            num_beams=num_beams, do_sample=False, length_penalty=self.length_penalty, **extra)
        return decode_texts(self.tokenizer, sequences)
