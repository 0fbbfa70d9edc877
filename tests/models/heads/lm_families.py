"""Tiny language models of the four families stage 2 names, saved in their releases' layouts.

Each family gets the tokenizer files its public checkpoints ship (so the loading path is the one
a user takes with the real model) and a randomly initialised model of the real class:

* ``mt5``: ``spiece.model`` + ``tokenizer_config.json`` (T5Tokenizer), as google/mt5-base;
* ``mbart``: ``sentencepiece.bpe.model`` (MBartTokenizer, language codes appended), and a config
  without ``decoder_start_token_id``, as facebook/mbart-large-cc25;
* ``qwen2``: byte-level BPE ``vocab.json`` + ``merges.txt`` (Qwen2Tokenizer), no BOS token;
* ``llama``: a sentencepiece BPE ``tokenizer.model`` (LlamaTokenizer), BOS ``<s>``.
"""
import io
import json
from pathlib import Path

import sentencepiece
from tokenizers import Tokenizer, models, pre_tokenizers, trainers
from transformers import (
    LlamaConfig,
    LlamaForCausalLM,
    LlamaTokenizer,
    MBartConfig,
    MBartForConditionalGeneration,
    MBartTokenizer,
    MT5Config,
    MT5ForConditionalGeneration,
    Qwen2Config,
    Qwen2ForCausalLM,
    Qwen2Tokenizer,
    T5Tokenizer,
)

FAMILIES = ('mt5', 'mbart', 'qwen2', 'llama')
SENTENCES = ['the cat sat on the mat.', 'a dog runs in the park.', 'we like green tea.',
             'they read a book today.', 'Translate sign language video to English: ',
             'heute regnet es im norden.', '今天天气很好。', 'Transcribe the glosses: ']
TINY = dict(hidden=32, layers=2, heads=2, ffn=64)


def _sentencepiece_model(model_type: str, specials: dict, vocab_size: int = 400) -> bytes:
    buffer = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(SENTENCES * 20), model_writer=buffer, vocab_size=vocab_size,
        model_type=model_type, character_coverage=1.0, hard_vocab_limit=False,
        byte_fallback=model_type == 'bpe', minloglevel=2, **specials)
    return buffer.getvalue()


def _mt5_tokenizer(folder: Path):
    (folder / 'spiece.model').write_bytes(_sentencepiece_model(
        'unigram', dict(pad_id=0, eos_id=1, unk_id=2, bos_id=-1)))
    (folder / 'tokenizer_config.json').write_text(json.dumps(
        dict(tokenizer_class='T5Tokenizer', extra_ids=0, eos_token='</s>', pad_token='<pad>',
             unk_token='<unk>')))
    return T5Tokenizer.from_pretrained(str(folder), extra_ids=0)


def _mbart_tokenizer(folder: Path):
    (folder / 'sentencepiece.bpe.model').write_bytes(_sentencepiece_model(
        'bpe', dict(bos_id=0, pad_id=1, eos_id=2, unk_id=3)))
    (folder / 'tokenizer_config.json').write_text(json.dumps(
        dict(tokenizer_class='MBartTokenizer')))
    return MBartTokenizer.from_pretrained(str(folder))


def _qwen2_tokenizer(folder: Path):
    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.train_from_iterator(SENTENCES * 20, trainers.BpeTrainer(
        vocab_size=400, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False))
    bpe.model.save(str(folder))
    (folder / 'tokenizer_config.json').write_text(json.dumps(
        dict(tokenizer_class='Qwen2Tokenizer', eos_token='<|endoftext|>',
             pad_token='<|endoftext|>', unk_token=None, bos_token=None)))
    return Qwen2Tokenizer.from_pretrained(str(folder))


def _llama_tokenizer(folder: Path):
    (folder / 'tokenizer.model').write_bytes(_sentencepiece_model(
        'bpe', dict(unk_id=0, bos_id=1, eos_id=2, pad_id=-1)))
    (folder / 'tokenizer_config.json').write_text(json.dumps(
        dict(tokenizer_class='LlamaTokenizer', add_bos_token=True, add_eos_token=False)))
    return LlamaTokenizer.from_pretrained(str(folder))


def _model(family: str, tokenizer):
    size = TINY
    ids = dict(pad_token_id=tokenizer.pad_token_id if tokenizer.pad_token_id is not None
               else tokenizer.eos_token_id, eos_token_id=tokenizer.eos_token_id)
    if family == 'mt5':
        return MT5ForConditionalGeneration(MT5Config(
            vocab_size=len(tokenizer), d_model=size['hidden'], d_kv=size['hidden'] // 2,
            d_ff=size['ffn'], num_layers=1, num_decoder_layers=1, num_heads=size['heads'],
            decoder_start_token_id=tokenizer.pad_token_id, dropout_rate=0.0, **ids))
    if family == 'mbart':
        config = MBartConfig(
            vocab_size=len(tokenizer), d_model=size['hidden'], encoder_layers=1,
            decoder_layers=1, encoder_attention_heads=size['heads'],
            decoder_attention_heads=size['heads'], encoder_ffn_dim=size['ffn'],
            decoder_ffn_dim=size['ffn'], max_position_embeddings=128, dropout=0.0,
            # mBART ties its output layer to the token table; at the default std (0.02) a
            # frozen table caps the logits of a 32-wide model near 0.6, too flat for LoRA to
            # learn anything. Pretrained tables are far larger; at this width std 0.3 learns.
            init_std=0.3,
            bos_token_id=tokenizer.bos_token_id, **ids)
        config.decoder_start_token_id = None  # as facebook/mbart-large-cc25's config.json
        return MBartForConditionalGeneration(config)
    config_cls, model_cls = ((Qwen2Config, Qwen2ForCausalLM) if family == 'qwen2'
                             else (LlamaConfig, LlamaForCausalLM))
    return model_cls(config_cls(
        vocab_size=len(tokenizer), hidden_size=size['hidden'], intermediate_size=size['ffn'],
        num_hidden_layers=size['layers'], num_attention_heads=size['heads'],
        num_key_value_heads=size['heads'], max_position_embeddings=256,
        bos_token_id=tokenizer.bos_token_id, **ids))


def save_family(family: str, folder: Path) -> str:
    """Write a tiny ``family`` model and its tokenizer files into ``folder``; returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    tokenizer = {'mt5': _mt5_tokenizer, 'mbart': _mbart_tokenizer, 'qwen2': _qwen2_tokenizer,
                 'llama': _llama_tokenizer}[family](folder)
    if family in ('qwen2', 'llama'):
        tokenizer.save_pretrained(str(folder))
    _model(family, tokenizer).save_pretrained(str(folder))
    return str(folder)
