"""Metrics with the conventions of published sign language results."""
from .bleu import corpus_bleu
from .translation_metric import TranslationMetric

__all__ = ['corpus_bleu', 'TranslationMetric']
