"""Pretrain a small LM on text lines and save it as a Hugging Face model directory.

Nothing can be downloaded here, so the quick start prepares its own "pretrained" LM: a tokenizer
and a small llama / qwen2 / t5 trained on the target sentences (causal LM for decoder-only, text
infilling for seq2seq). The saved directory loads with ``AutoModelForCausalLM`` /
``AutoModelForSeq2SeqLM.from_pretrained(dir)`` exactly like mT5-base or Qwen from disk, so stage 2
points ``pretrained_dir`` at it with no special case.
"""
import json
import math
import os
import time
from pathlib import Path

import numpy as np
import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase

from unisign_fla.lm.architectures import SEQ2SEQ_ARCHITECTURES, build_small_lm
from unisign_fla.lm.denoising import mask_spans
from unisign_fla.lm.tokenizer import guess_language, train_tokenizer

STATS_FILE = 'pretrain_stats.json'


def _pad(rows: list[list[int]], value: int) -> torch.Tensor:
    width = max(map(len, rows))
    return torch.tensor([row + [value] * (width - len(row)) for row in rows], dtype=torch.long)


def _make_batch(ids: list[list[int]], tokenizer: PreTrainedTokenizerBase, seq2seq: bool,
                rng: np.random.Generator) -> dict[str, torch.Tensor]:
    """Causal LM: ``<s> text </s>`` predicts itself; seq2seq: infilled text -> ``text </s>``."""
    pad, eos = tokenizer.pad_token_id, tokenizer.eos_token_id
    if seq2seq:
        sources = [mask_spans(row, tokenizer.mask_token_id, rng) + [eos] for row in ids]
        targets = [row + [eos] for row in ids]
        return dict(input_ids=_pad(sources, pad),
                    attention_mask=_pad([[1] * len(s) for s in sources], 0),
                    labels=_pad(targets, -100))
    rows = [[tokenizer.bos_token_id] + row + [eos] for row in ids]
    return dict(input_ids=_pad(rows, pad), attention_mask=_pad([[1] * len(r) for r in rows], 0),
                labels=_pad(rows, -100))


def _learning_rate(base_lr: float, step: int, progress: float, warmup_steps: int) -> float:
    """Linear warm-up, then cosine decay to 10 % over ``progress`` in [0, 1]."""
    if step < warmup_steps:
        return base_lr * (step + 1) / warmup_steps
    return base_lr * (0.1 + 0.45 * (1 + math.cos(math.pi * min(progress, 1.0))))


@torch.no_grad()
def evaluate_perplexity(model: PreTrainedModel, tokenizer: PreTrainedTokenizerBase,
                        ids: list[list[int]], batch_size: int = 64, seed: int = 0) -> float:
    """Token-level perplexity of ``model`` on ``ids`` (the infilling task for seq2seq models)."""
    model.eval()
    rng = np.random.default_rng(seed)
    seq2seq = model.config.is_encoder_decoder
    total_loss, total_tokens = 0.0, 0
    for start in range(0, len(ids), batch_size):
        batch = _make_batch(ids[start:start + batch_size], tokenizer, seq2seq, rng)
        # Causal LMs predict every label but the first (shifted inside the model).
        tokens = int((batch['labels'][:, int(not seq2seq):] != -100).sum())
        total_loss += float(model(**batch).loss) * tokens
        total_tokens += tokens
    return math.exp(total_loss / max(total_tokens, 1))


def pretrain_lm(model: PreTrainedModel, tokenizer: PreTrainedTokenizerBase, texts: list[str],
                max_steps: int = 1500, max_seconds: float | None = None, batch_size: int = 32,
                lr: float = 2e-3, weight_decay: float = 0.01, max_length: int = 128,
                seed: int = 0) -> dict:
    """Train ``model`` in place on ``texts`` with AdamW until ``max_steps`` or ``max_seconds``.

    The cosine schedule follows whichever budget is closer to exhaustion, so a time-limited run
    still ends at a low learning rate. Threads are whatever ``torch.set_num_threads`` says.
    Returns training statistics (steps, time, losses).
    """
    if not texts:
        raise ValueError('pretrain_lm: no training text')
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    seq2seq = model.config.is_encoder_decoder
    budget = max_length - 2  # room for <s> and </s>
    ids = [row[:budget] for row in tokenizer(texts, add_special_tokens=False)['input_ids']]
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay)
    warmup = max(1, min(100, max_steps // 20))
    model.train()
    order, cursor, step, losses = rng.permutation(len(ids)), 0, 0, []
    start = time.perf_counter()
    while step < max_steps:
        elapsed = time.perf_counter() - start
        if max_seconds is not None and elapsed >= max_seconds:
            break
        if cursor >= len(order):
            order, cursor = rng.permutation(len(ids)), 0
        batch_ids = [ids[i] for i in order[cursor:cursor + batch_size]]
        cursor += batch_size
        progress = max(step / max_steps, elapsed / max_seconds if max_seconds else 0.0)
        for group in optimizer.param_groups:
            group['lr'] = _learning_rate(lr, step, progress, warmup)
        loss = model(**_make_batch(batch_ids, tokenizer, seq2seq, rng)).loss
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        losses.append(loss.item())
        step += 1
    seconds = time.perf_counter() - start
    model.eval()
    tail = losses[-20:]
    return dict(steps=step, seconds=round(seconds, 2),
                steps_per_second=round(step / seconds, 2) if seconds else None,
                first_loss=losses[0] if losses else None,
                final_loss=sum(tail) / len(tail) if tail else None,
                epochs=round(step * batch_size / len(ids), 2), threads=torch.get_num_threads())


def prepare_lm(texts: list[str], out_dir: str | os.PathLike, arch: str = 'llama',
               hidden: int = 128, layers: int = 4, heads: int = 4, ffn: int | None = None,
               vocab_size: int = 2000, language: str | None = None, max_steps: int = 1500,
               max_seconds: float | None = 45.0, batch_size: int = 32, lr: float = 2e-3,
               seed: int = 0, holdout: float = 0.05) -> dict:
    """Tokenizer + small LM + pretraining, saved to ``out_dir``; returns (and writes) the stats.

    ``holdout`` of the sentences (at most 200, none for fewer than 100 sentences) are kept out
    of training to report a held-out perplexity beside the training one.
    """
    out_dir = Path(out_dir)
    language = language or guess_language(texts)
    torch.manual_seed(seed)
    shuffled = [texts[i] for i in np.random.default_rng(seed).permutation(len(texts))]
    n_heldout = min(200, int(len(texts) * holdout)) if len(texts) >= 100 else 0
    heldout, train = shuffled[:n_heldout], shuffled[n_heldout:]
    tokenizer = train_tokenizer(train, out_dir, vocab_size=vocab_size, language=language)
    model = build_small_lm(arch, tokenizer, hidden=hidden, layers=layers, heads=heads, ffn=ffn)
    stats = pretrain_lm(model, tokenizer, train, max_steps=max_steps, max_seconds=max_seconds,
                        batch_size=batch_size, lr=lr, seed=seed)

    def perplexity(lines):
        if not lines:  # no held-out set below 100 sentences
            return None
        ids = tokenizer(lines, add_special_tokens=False)['input_ids']
        return round(evaluate_perplexity(model, tokenizer, ids, seed=seed), 3)

    stats.update(arch=arch, language=language, objective='infilling' if arch in
                 SEQ2SEQ_ARCHITECTURES else 'causal', vocab_size=len(tokenizer),
                 parameters=sum(p.numel() for p in model.parameters()),
                 sentences=len(train), heldout_sentences=len(heldout),
                 train_perplexity=perplexity(train), heldout_perplexity=perplexity(heldout))
    model.save_pretrained(str(out_dir))
    (out_dir / STATS_FILE).write_text(json.dumps(stats, indent=2))
    return stats
