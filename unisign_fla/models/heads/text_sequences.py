"""Pieces both translation heads share: target tokenisation, sequence packing and the loss.

Both heads tokenise targets the same way (no tokenizer-added specials, truncate, then one EOS),
so a checkpoint's behaviour does not depend on whether the LM's tokenizer appends ``</s>`` by
itself (mT5) or not (Qwen). Packing drops padded visual tokens before concatenating segments, so
a sample's valid tokens get the same positions alone or padded in a batch.
"""
import re

import torch
import torch.nn.functional as F
from torch import Tensor
from transformers import PreTrainedTokenizerBase

IGNORE_INDEX = -100


def special_token_ids(tokenizer: PreTrainedTokenizerBase) -> dict[str, int]:
    """``eos``/``pad``/``bos`` ids; pad falls back to EOS (Llama has none), bos to pad (T5)."""
    eos = tokenizer.eos_token_id
    if eos is None:
        raise ValueError(f'{tokenizer.name_or_path}: tokenizer has no EOS token')
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else eos
    bos = tokenizer.bos_token_id if tokenizer.bos_token_id is not None else pad
    return dict(eos=eos, pad=pad, bos=bos)


def language_code_id(tokenizer: PreTrainedTokenizerBase, language: str) -> int | None:
    """Id of the tokenizer's language-code token for a BCP-47 ``language`` (``'de'`` ->
    ``de_DE``, ``'zh'`` -> ``zh_CN``, ``'en'`` -> ``en_XX``), as mBART's tokenizers define
    them; ``None`` when the tokenizer has no such token (T5, Qwen, Llama, ours)."""
    primary = language.split('-')[0].lower()
    pattern = re.compile(rf'{re.escape(primary)}_[A-Z]{{2}}')
    codes = sorted(t for t in tokenizer.all_special_tokens if pattern.fullmatch(t))
    return tokenizer.convert_tokens_to_ids(codes[0]) if codes else None


def decoder_start_ids(tokenizer: PreTrainedTokenizerBase, languages: list[str | None] | None,
                      batch_size: int, default: int | None, owner: str) -> list[int]:
    """The first decoder input of each sample, the same in training and in generation.

    Tokenizers with language codes (mBART) start the decoder with the target language's code,
    so one model can translate into several languages; others start with ``default`` (the
    model's ``decoder_start_token_id``: pad for T5). ``owner`` names the model in errors.
    """
    languages = list(languages) if languages is not None else [None] * batch_size
    if len(languages) != batch_size:
        raise ValueError(f'languages: expected {batch_size} entries, got {len(languages)}')
    has_codes = language_code_id(tokenizer, 'en') is not None
    starts = []
    for language in languages:
        if has_codes:
            if not language:
                raise ValueError(f'{owner}: its tokenizer starts the decoder with a language '
                                 f'code (mBART), so every sample needs a target language')
            code = language_code_id(tokenizer, language)
            if code is None:
                raise ValueError(f'{owner}: the tokenizer has no language code for '
                                 f'{language!r} (expected a token like {language}_XX)')
            starts.append(code)
        elif default is None:
            raise ValueError(f'{owner}: no decoder start token: set decoder_start_token_id '
                             f'in its config.json')
        else:
            starts.append(default)
    return starts


def teacher_forcing_inputs(labels: Tensor, starts: list[int], pad_id: int) -> Tensor:
    """Decoder inputs for ``labels`` (B, L): each row's start token, then its labels shifted
    right by one, with ignored positions filled with ``pad_id``."""
    first = torch.tensor(starts, dtype=labels.dtype, device=labels.device)[:, None]
    inputs = torch.cat([first, labels[:, :-1]], dim=1)
    return inputs.masked_fill(inputs == IGNORE_INDEX, pad_id)


def tokenize_texts(tokenizer: PreTrainedTokenizerBase, texts: list[str]) -> list[list[int]]:
    """Token ids of each text without tokenizer-added special tokens."""
    return tokenizer(list(texts), add_special_tokens=False)['input_ids'] if texts else []


def encode_targets(tokenizer: PreTrainedTokenizerBase, texts: list[str],
                   max_length: int) -> list[list[int]]:
    """Target ids truncated to ``max_length - 1`` tokens, then EOS (so at most ``max_length``)."""
    if max_length < 2:
        raise ValueError(f'max_target_length={max_length}: must be at least 2 (text + EOS)')
    eos = special_token_ids(tokenizer)['eos']
    return [row[:max_length - 1] + [eos] for row in tokenize_texts(tokenizer, texts)]


def pad_ids(rows: list[list[int]], value: int = IGNORE_INDEX, left: bool = False,
            device: torch.device | None = None) -> Tensor:
    """(B, L) long tensor of ``rows`` padded with ``value`` on the right (or left)."""
    width = max(map(len, rows))
    padded = [([value] * (width - len(r)) + r) if left else (r + [value] * (width - len(r)))
              for r in rows]
    return torch.tensor(padded, dtype=torch.long, device=device)


def pack_segments(rows: list[list[Tensor]], left: bool = False) -> tuple[Tensor, Tensor]:
    """Concatenate each sample's (L_i, D) segments and pad the batch with zeros.

    Returns ``(embeddings (B, L, D), mask (B, L))`` with ``mask`` True at real tokens.
    ``left=True`` pads on the left, as decoder-only generation needs.
    """
    seqs = [torch.cat(segments, dim=0) for segments in rows]
    width = max(s.shape[0] for s in seqs)
    out = seqs[0].new_zeros(len(seqs), width, seqs[0].shape[1])
    mask = torch.zeros(len(seqs), width, dtype=torch.bool, device=seqs[0].device)
    for i, seq in enumerate(seqs):
        span = slice(width - seq.shape[0], width) if left else slice(0, seq.shape[0])
        out[i, span] = seq
        mask[i, span] = True
    return out, mask


def valid_visual_tokens(visual: Tensor, visual_mask: Tensor) -> list[Tensor]:
    """Per-sample (N_i, C) visual tokens where ``visual_mask`` is True, with shape checks."""
    if visual.dim() != 3:
        raise ValueError(f'visual: expected (B, N, C), got shape {tuple(visual.shape)}')
    if visual_mask.shape != visual.shape[:2] or visual_mask.dtype != torch.bool:
        raise ValueError(f'visual_mask: expected a bool tensor of shape {tuple(visual.shape[:2])}, '
                         f'got {visual_mask.dtype} {tuple(visual_mask.shape)}')
    if not bool(visual_mask.any(dim=1).all()):
        raise ValueError('visual_mask: every sample needs at least one valid visual token')
    return [v[m] for v, m in zip(visual, visual_mask)]


def resolve_prompts(prompts: list[str] | None, default: str | None, batch_size: int) -> list[str]:
    """The per-sample prompts: given ones (checked against the batch size) or the head's default."""
    if prompts is None:
        return [default or ''] * batch_size
    if len(prompts) != batch_size:
        raise ValueError(f'prompts: expected {batch_size} prompts, got {len(prompts)}')
    return list(prompts)


def label_smoothed_loss(logits: Tensor, labels: Tensor, smoothing: float) -> Tensor:
    """Mean token cross-entropy over non-ignored labels, with label smoothing (in float32)."""
    return F.cross_entropy(logits.flatten(0, 1).float(), labels.flatten(),
                           ignore_index=IGNORE_INDEX, label_smoothing=smoothing)


def decode_texts(tokenizer: PreTrainedTokenizerBase,
                 sequences: Tensor | list[list[int]]) -> list[str]:
    """Generated ids to clean strings (special tokens dropped, outer spaces stripped)."""
    if isinstance(sequences, Tensor):
        sequences = sequences.tolist()
    return [text.strip() for text in tokenizer.batch_decode(sequences, skip_special_tokens=True)]
