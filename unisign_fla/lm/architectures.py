"""Small, randomly initialised Hugging Face LMs of the architectures stage 2 supports.

They stand in for mT5 / mBART (seq2seq) and Qwen / Llama (decoder-only) when no pretrained
weights can be downloaded; the model classes are the real ones, so everything downstream
(``from_pretrained``, peft LoRA, ``generate``) runs the same code path as with the real models.
"""
from transformers import (
    GenerationConfig,
    LlamaConfig,
    LlamaForCausalLM,
    PreTrainedModel,
    PreTrainedTokenizerBase,
    Qwen2Config,
    Qwen2ForCausalLM,
    T5Config,
    T5ForConditionalGeneration,
)

ARCHITECTURES = ('llama', 'qwen2', 't5')
SEQ2SEQ_ARCHITECTURES = ('t5',)


def build_small_lm(arch: str, tokenizer: PreTrainedTokenizerBase, hidden: int = 256,
                   layers: int = 4, heads: int = 4, ffn: int | None = None,
                   max_positions: int = 1024) -> PreTrainedModel:
    """A fresh ``arch`` model sized by ``hidden``/``layers``/``heads`` with ``tokenizer``'s ids.

    ``ffn`` defaults to ``4 * hidden``. For ``t5`` the ``layers`` are split between encoder and
    decoder (at least one each), so one setting costs about the same for every arch. T5 ties
    its input and output embeddings, which keeps the initial logits (and loss) small. Token ids
    for pad/bos/eos come from the tokenizer and are also written to the generation config, so
    ``generate`` stops at EOS after a reload.
    """
    if arch not in ARCHITECTURES:
        raise ValueError(f'arch={arch!r}: expected one of {ARCHITECTURES}')
    if hidden % heads:
        raise ValueError(f'hidden={hidden} must be divisible by heads={heads}')
    ffn = ffn or 4 * hidden
    ids = dict(pad_token_id=tokenizer.pad_token_id, bos_token_id=tokenizer.bos_token_id,
               eos_token_id=tokenizer.eos_token_id)
    vocab_size = len(tokenizer)
    if arch == 't5':
        config = T5Config(vocab_size=vocab_size, d_model=hidden, d_kv=hidden // heads, d_ff=ffn,
                          num_layers=max(1, layers - layers // 2),
                          num_decoder_layers=max(1, layers // 2), num_heads=heads,
                          feed_forward_proj='gated-gelu', dropout_rate=0.1,
                          tie_word_embeddings=True, decoder_start_token_id=ids['pad_token_id'],
                          **ids)
        model = T5ForConditionalGeneration(config)
        generation = GenerationConfig(decoder_start_token_id=ids['pad_token_id'], **ids)
    else:
        config_cls, model_cls = ((LlamaConfig, LlamaForCausalLM) if arch == 'llama'
                                 else (Qwen2Config, Qwen2ForCausalLM))
        config = config_cls(vocab_size=vocab_size, hidden_size=hidden, intermediate_size=ffn,
                            num_hidden_layers=layers, num_attention_heads=heads,
                            num_key_value_heads=heads, max_position_embeddings=max_positions,
                            tie_word_embeddings=True, **ids)
        model = model_cls(config)
        generation = GenerationConfig(**ids)
    model.generation_config = generation
    return model
