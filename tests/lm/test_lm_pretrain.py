import importlib.util
import json
import time
from pathlib import Path

import pytest
import torch
from transformers import AutoModelForCausalLM, AutoModelForSeq2SeqLM, AutoTokenizer

from unisign_fla.lm import build_small_lm, prepare_lm, pretrain_lm, train_tokenizer

TOOL = Path(__file__).parents[2] / 'tools' / 'prepare_lm.py'
TINY = dict(hidden=32, layers=2, heads=2, vocab_size=300, batch_size=16, lr=5e-3)


def load_tool():
    spec = importlib.util.spec_from_file_location('prepare_lm_tool', TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_causal_pretraining_lowers_loss_and_saves_a_loadable_lm(tmp_path, english_lines):
    stats = prepare_lm(english_lines, tmp_path / 'lm', arch='llama', max_steps=60,
                       max_seconds=None, **TINY)
    assert stats['steps'] == 60 and stats['objective'] == 'causal'
    assert stats['final_loss'] < 0.6 * stats['first_loss']
    assert stats['heldout_sentences'] == 14 and stats['heldout_perplexity'] < 10
    assert json.loads((tmp_path / 'lm' / 'pretrain_stats.json').read_text()) == stats

    model = AutoModelForCausalLM.from_pretrained(str(tmp_path / 'lm'))
    tokenizer = AutoTokenizer.from_pretrained(str(tmp_path / 'lm'))
    assert type(model).__name__ == 'LlamaForCausalLM'
    prompt = torch.tensor([[tokenizer.bos_token_id]])
    out = model.generate(prompt, max_new_tokens=12, do_sample=False)
    assert out.shape[1] > 2  # generation config knows the ids; something sensible comes out


def test_seq2seq_infilling_pretraining(tmp_path, english_lines):
    stats = prepare_lm(english_lines, tmp_path / 't5', arch='t5', max_steps=40,
                       max_seconds=None, **TINY)
    assert stats['objective'] == 'infilling'
    assert stats['final_loss'] < 0.7 * stats['first_loss']
    model = AutoModelForSeq2SeqLM.from_pretrained(str(tmp_path / 't5'))
    assert model.config.is_encoder_decoder and model.generation_config.decoder_start_token_id == 0


def test_time_budget_stops_training(english_lines):
    tokenizer = train_tokenizer(english_lines, vocab_size=300)
    model = build_small_lm('qwen2', tokenizer, hidden=32, layers=1, heads=2)
    start = time.perf_counter()
    stats = pretrain_lm(model, tokenizer, english_lines, max_steps=10 ** 6, max_seconds=1.0)
    assert time.perf_counter() - start < 3.0 and 0 < stats['steps'] < 10 ** 6


def test_build_small_lm_validates_arguments(english_lines):
    tokenizer = train_tokenizer(english_lines, vocab_size=300)
    with pytest.raises(ValueError, match="arch='gpt9'"):
        build_small_lm('gpt9', tokenizer)
    with pytest.raises(ValueError, match='divisible by heads=3'):
        build_small_lm('llama', tokenizer, hidden=32, heads=3)


def test_tool_reads_manifests(tmp_path, english_lines, capsys):
    manifest = tmp_path / 'train.jsonl'
    manifest.write_text(''.join(json.dumps(dict(id=str(i), text=t)) + '\n'
                                for i, t in enumerate(english_lines)))
    load_tool().main(['--text', str(manifest), '--out', str(tmp_path / 'out'), '--arch', 'qwen2',
                      '--hidden', '32', '--layers', '1', '--heads', '2', '--vocab-size', '300',
                      '--max-steps', '5', '--max-seconds', '0'])
    stats = json.loads(capsys.readouterr().out)
    assert stats['steps'] == 5 and stats['sentences'] == len(english_lines) - 14
    assert AutoModelForCausalLM.from_pretrained(str(tmp_path / 'out')).config.model_type == 'qwen2'


@pytest.mark.slow
def test_quick_start_budget(tmp_path):
    """~2000 sentences over ~60 words: low perplexity within 60 s with the default settings."""
    import random
    rng = random.Random(0)
    words = dict(s='I you we they he she the teacher my friend the doctor the child'.split(),
                 v='like want need see visit help call meet know buy eat read watch find'.split(),
                 o='book car coffee tea house dog cat movie train bread water school bus'.split(),
                 t='today tomorrow yesterday now tonight later'.split())
    lines = sorted({f'{rng.choice(words["s"]).capitalize()} {rng.choice(words["v"])} the '
                    f'{rng.choice(words["o"])} {rng.choice(words["t"])}.' for _ in range(2500)})
    start = time.perf_counter()
    stats = prepare_lm(lines, tmp_path / 'lm')
    assert time.perf_counter() - start < 60.0
    assert stats['heldout_perplexity'] < 8


@pytest.mark.parametrize('arch', ['llama', 'qwen2', 't5'])
def test_tool_on_a_few_sentences_writes_a_tokenizer_that_reloads_identically(tmp_path, arch):
    """Four sentences (no held-out set: an IndexError before) and, for every arch, the saved
    tokenizer reloads as the same class with the same ids and spacing (qwen2 came back as
    Qwen2Tokenizer: other ids, text decoded without spaces)."""
    from unisign_fla.lm import load_tokenizer
    lines = tmp_path / 'lines.txt'
    lines.write_text('we like green tea.\nthe cat sat on the mat.\na dog runs.\nI read.\n')
    load_tool().main(['--text', str(lines), '--out', str(tmp_path / arch), '--arch', arch,
                      '--max-steps', '2', '--hidden', '32', '--heads', '2', '--layers', '2',
                      '--vocab-size', '300'])
    stats = json.loads((tmp_path / arch / 'pretrain_stats.json').read_text())
    assert stats['heldout_sentences'] == 0 and stats['heldout_perplexity'] is None
    written = train_tokenizer(lines.read_text().splitlines(), vocab_size=300)
    reloaded = load_tokenizer(tmp_path / arch)
    assert type(reloaded) is type(written)
    for text in ['we like green tea.', 'the cat sat on the mat.', 'Unseen words, too!']:
        ids = written(text, add_special_tokens=False)['input_ids']
        assert reloaded(text, add_special_tokens=False)['input_ids'] == ids
        assert reloaded.decode(ids) == text
