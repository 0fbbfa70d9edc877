"""Metrics with the conventions of published sign language results (docs/evaluation.md).

``score`` is the one entry point (BLEU, both ROUGE-L conventions, WER, ISLR accuracy);
``python -m unisign_fla.evaluation`` scores text files with it.
"""
from unisign_fla.evaluation.bleu import corpus_bleu
from unisign_fla.evaluation.bootstrap import paired_bootstrap
from unisign_fla.evaluation.isolated_accuracy import isolated_accuracy, normalize_label
from unisign_fla.evaluation.rouge import corpus_rouge_l, rouge_l_f1, rouge_l_summary_f
from unisign_fla.evaluation.scoring import LANGUAGES, TASKS, rouge_tokens, score
from unisign_fla.evaluation.translation_metric import TranslationMetric
from unisign_fla.evaluation.wer import word_error_rate

__all__ = ['corpus_bleu', 'paired_bootstrap', 'isolated_accuracy', 'normalize_label',
           'corpus_rouge_l', 'rouge_l_f1', 'rouge_l_summary_f', 'LANGUAGES', 'TASKS',
           'rouge_tokens', 'score', 'TranslationMetric', 'word_error_rate']
