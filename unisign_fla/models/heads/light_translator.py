"""Light-T: FLa-LLM's light translator used to train the visual encoder in stage 1 (§6).

A small Transformer encoder-decoder over the visual tokens. It embeds text with the **stage-2
LM's tokenizer** (``tokenizer_dir``), so the encoder learns to produce features aligned with the
vocabulary the LLM will later decode into. Optional prompts are embedded with the decoder's own
token table and prepended to the visual tokens on the encoder side, which lets one Light-T serve
several tasks (§7) like the LLM head does. With a tokenizer that has language codes (mBART's),
the decoder starts with the target language's code, as the stage-2 head does; otherwise with BOS.
"""
import math

import torch
from torch import Tensor, nn

from unisign_fla.lm.tokenizer import load_tokenizer
from unisign_fla.models.heads.beam_search import beam_search, greedy_search
from unisign_fla.models.heads.cached_decoding import CachedDecoder
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

POSITION_TYPES = ('sinusoidal', 'learned')


class PositionalEncoding(nn.Module):
    """Adds sinusoidal (any length) or learned (up to ``max_positions``) position vectors."""

    def __init__(self, channels: int, kind: str = 'sinusoidal', max_positions: int = 1024):
        super().__init__()
        if kind not in POSITION_TYPES:
            raise ValueError(f'position={kind!r}: expected one of {POSITION_TYPES}')
        self.kind, self.channels, self.max_positions = kind, channels, max_positions
        if kind == 'learned':
            self.table = nn.Embedding(max_positions, channels)
            nn.init.normal_(self.table.weight, std=0.02)

    def forward(self, x: Tensor, offset: int = 0) -> Tensor:
        """``x`` (B, T, C) at positions ``offset .. offset + T - 1``."""
        length = offset + x.shape[1]
        positions = torch.arange(offset, length, device=x.device)
        if self.kind == 'learned':
            if length > self.max_positions:
                raise ValueError(f'sequence of {length} tokens exceeds max_positions='
                                 f'{self.max_positions} of the learned position table')
            return x + self.table(positions)
        freqs = torch.exp(torch.arange(0, self.channels, 2, device=x.device, dtype=torch.float32)
                          * (-math.log(10000.0) / self.channels))
        angles = positions[:, None].float() * freqs[None]
        table = torch.stack([angles.sin(), angles.cos()], dim=-1).flatten(1)[:, :self.channels]
        return x + table.to(x.dtype)


@MODELS.register_module()
class LightTranslator(nn.Module):
    """Transformer encoder-decoder from visual tokens to text (pre-norm, tied output layer).

    Args:
        in_channels: width of the visual tokens.
        tokenizer_dir: tokenizer of the stage-2 LM (or any HF tokenizer directory).
        d_model, num_heads, ffn_channels, num_encoder_layers, num_decoder_layers, dropout:
            Transformer sizes; FLa-LLM uses 512 / 8 / 2048 / 3 / 3.
        position: ``'sinusoidal'`` or ``'learned'`` (then ``max_positions`` long).
        label_smoothing: of the token cross-entropy (FLa-LLM: 0.2).
        max_target_length: target tokens kept, EOS included (How2Sign needs more than 50).
        prompt: default prompt when ``loss``/``predict`` get none (``None``: no prompt).
        length_penalty: exponent of the length normalisation in beam search.
        input_token_dropout: share of teacher-forced decoder inputs replaced by ``<unk>`` in
            training, so the decoder cannot predict a sentence from its own prefix alone and
            must read the video (0 disables it).
    """

    def __init__(self, in_channels: int, tokenizer_dir: str, d_model: int = 512,
                 num_heads: int = 8, ffn_channels: int = 2048, num_encoder_layers: int = 3,
                 num_decoder_layers: int = 3, dropout: float = 0.1,
                 position: str = 'sinusoidal', max_positions: int = 1024,
                 label_smoothing: float = 0.2, max_target_length: int = 128,
                 prompt: str | None = None, length_penalty: float = 1.0,
                 input_token_dropout: float = 0.0):
        super().__init__()
        self.tokenizer = load_tokenizer(tokenizer_dir)
        self.ids = special_token_ids(self.tokenizer)
        self.label_smoothing, self.max_target_length = label_smoothing, max_target_length
        self.prompt, self.length_penalty, self.d_model = prompt, length_penalty, d_model
        self.input_token_dropout = input_token_dropout
        self.blank_id = (self.tokenizer.unk_token_id if self.tokenizer.unk_token_id is not None
                         else self.ids['pad'])
        self.input_proj = nn.Linear(in_channels, d_model)
        self.token_embedding = nn.Embedding(len(self.tokenizer), d_model)
        nn.init.normal_(self.token_embedding.weight, std=d_model ** -0.5)
        self.source_positions = PositionalEncoding(d_model, position, max_positions)
        self.target_positions = PositionalEncoding(d_model, position, max_positions)
        self.dropout = nn.Dropout(dropout)

        def layer_args():
            return dict(d_model=d_model, nhead=num_heads, dim_feedforward=ffn_channels,
                        dropout=dropout, activation='gelu', batch_first=True, norm_first=True)

        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(**layer_args()),
                                             num_encoder_layers, norm=nn.LayerNorm(d_model),
                                             enable_nested_tensor=False)
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(**layer_args()),
                                             num_decoder_layers, norm=nn.LayerNorm(d_model))

    def _embed_tokens(self, ids: Tensor) -> Tensor:
        return self.token_embedding(ids) * math.sqrt(self.d_model)

    def encode(self, visual: Tensor, visual_mask: Tensor,
               prompts: list[str] | None = None) -> tuple[Tensor, Tensor]:
        """Encoder memory (B, S, D) over [prompt; valid visual tokens] and its validity mask."""
        tokens = valid_visual_tokens(visual, visual_mask)
        prompt_ids = tokenize_texts(self.tokenizer,
                                    resolve_prompts(prompts, self.prompt, len(tokens)))
        rows = [[self._embed_tokens(torch.tensor(ids, dtype=torch.long, device=visual.device)),
                 self.input_proj(v)] for ids, v in zip(prompt_ids, tokens)]
        source, mask = pack_segments(rows)
        source = self.dropout(self.source_positions(source))
        return self.encoder(source, src_key_padding_mask=~mask), mask

    def decode(self, memory: Tensor, memory_mask: Tensor, tokens: Tensor) -> Tensor:
        """Next-token logits (B, T, V) for decoder inputs ``tokens`` (B, T)."""
        target = self.dropout(self.target_positions(self._embed_tokens(tokens)))
        causal = nn.Transformer.generate_square_subsequent_mask(tokens.shape[1],
                                                                device=tokens.device)
        hidden = self.decoder(target, memory, tgt_mask=causal, tgt_is_causal=True,
                              memory_key_padding_mask=~memory_mask)
        return hidden @ self.token_embedding.weight.t()

    def _decoder_starts(self, languages: list[str | None] | None, batch_size: int) -> list[int]:
        return decoder_start_ids(self.tokenizer, languages, batch_size, self.ids['bos'],
                                 f'LightTranslator({self.tokenizer.name_or_path})')

    def loss(self, visual: Tensor, visual_mask: Tensor, targets: list[str],
             prompts: list[str] | None = None,
             languages: list[str | None] | None = None) -> dict[str, Tensor]:
        """Label-smoothed cross-entropy of ``targets`` given the visual tokens."""
        if len(targets) != visual.shape[0]:
            raise ValueError(f'targets: expected {visual.shape[0]} texts, got {len(targets)}')
        memory, memory_mask = self.encode(visual, visual_mask, prompts)
        labels = pad_ids(encode_targets(self.tokenizer, targets, self.max_target_length),
                         device=visual.device)
        inputs = teacher_forcing_inputs(labels, self._decoder_starts(languages, len(targets)),
                                        self.ids['pad'])
        if self.training and self.input_token_dropout > 0:
            blanked = torch.rand(inputs.shape, device=inputs.device) < self.input_token_dropout
            blanked[:, 0] = False
            inputs = inputs.masked_fill(blanked, self.blank_id)
        logits = self.decode(memory, memory_mask, inputs)
        return dict(loss=label_smoothed_loss(logits, labels, self.label_smoothing))

    @torch.no_grad()
    def predict(self, visual: Tensor, visual_mask: Tensor, prompts: list[str] | None = None,
                languages: list[str | None] | None = None, max_new_tokens: int = 60,
                num_beams: int = 4) -> list[str]:
        """Greedy (``num_beams=1``) or beam-search translations; call in eval mode."""
        memory, memory_mask = self.encode(visual, visual_mask, prompts)
        if num_beams > 1:
            memory = memory.repeat_interleave(num_beams, dim=0)
            memory_mask = memory_mask.repeat_interleave(num_beams, dim=0)
        step = CachedDecoder(self, memory, memory_mask)
        common = dict(start_ids=self._decoder_starts(languages, visual.shape[0]),
                      eos_id=self.ids['eos'], max_new_tokens=max_new_tokens, device=visual.device)
        if num_beams > 1:
            ids = beam_search(step, num_beams=num_beams, length_penalty=self.length_penalty,
                              reorder=step.reorder, **common)
        else:
            ids = greedy_search(step, **common)
        return decode_texts(self.tokenizer, ids)
