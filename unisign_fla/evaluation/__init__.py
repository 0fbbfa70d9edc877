"""Metrics with the conventions of published sign language results (docs/evaluation.md).

``score`` is the one entry point (BLEU, both ROUGE-L conventions, WER, ISLR accuracy);
``python -m unisign_fla.evaluation`` scores text files with it.
"""
from .bleu import corpus_bleu
from .bootstrap import paired_bootstrap
from .isolated_accuracy import isolated_accuracy, normalize_label
from .rouge import corpus_rouge_l, rouge_l_f1, rouge_l_summary_f
from .scoring import LANGUAGES, TASKS, rouge_tokens, score
from .translation_metric import TranslationMetric
from .wer import word_error_rate

__all__ = ['corpus_bleu', 'paired_bootstrap', 'isolated_accuracy', 'normalize_label',
           'corpus_rouge_l', 'rouge_l_f1', 'rouge_l_summary_f', 'LANGUAGES', 'TASKS',
           'rouge_tokens', 'score', 'TranslationMetric', 'word_error_rate']
