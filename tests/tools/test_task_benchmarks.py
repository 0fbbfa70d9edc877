"""Helpers of benchmarks/multitask.py: the best-constant CSLR floor and the shared tokenizer."""
import json

import pytest

from tests.scripts import load_script

multitask = load_script('benchmarks', 'multitask')


def write_manifests(folder, rows_by_name):
    (folder / 'manifests').mkdir(parents=True)
    for name, rows in rows_by_name.items():
        (folder / 'manifests' / f'{name}.jsonl').write_text(
            ''.join(json.dumps(row) + '\n' for row in rows))


def test_best_constant_wer_is_the_lowest_over_training_gloss_sequences(tmp_path):
    write_manifests(tmp_path, {
        'train': [dict(gloss=['I', 'EAT']), dict(gloss=['YOU', 'DRINK', 'WATER'])],
        'test': [dict(gloss=['I', 'EAT', 'APPLE']), dict(gloss=['I', 'DRINK'])]})
    # 'I EAT': 1 + 1 edits over 5 words; 'YOU DRINK WATER': 3 + 2 edits.
    assert multitask.best_constant_wer(str(tmp_path)) == pytest.approx(40.0)


def test_task_tokenizer_covers_sentences_glosses_and_class_words(tmp_path):
    write_manifests(tmp_path, {
        'train': [dict(text='I eat an apple.', gloss=['I', 'APPLE', 'EAT'])] * 20,
        'islr_train': [dict(label='apple')] * 5})
    from unisign_fla.lm import load_tokenizer
    tokenizer = load_tokenizer(multitask.task_tokenizer(str(tmp_path)))
    for text in ('I eat an apple.', 'I APPLE EAT', 'apple'):
        ids = tokenizer(text, add_special_tokens=False)['input_ids']
        assert tokenizer.decode(ids) == text and len(ids) <= len(text.split()) + 2
