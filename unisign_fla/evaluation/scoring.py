"""One entry point for every score we report, shared by tools/test.py and the scoring command.

``score`` returns the figures as percentages together with a ``conventions`` record (sacrebleu
signature, ROUGE-L variant, tokenisation), so a number in a results table can always be traced
to how it was computed. Conventions: docs/evaluation.md; they reproduce Uni-Sign's published
scores from its released outputs (tests/evaluation/test_published_scores.py).
"""
import unicodedata
from collections.abc import Sequence

from unisign_fla.evaluation.bleu import TOKENIZERS, corpus_bleu
from unisign_fla.evaluation.isolated_accuracy import isolated_accuracy
from unisign_fla.evaluation.rouge import corpus_rouge_l
from unisign_fla.evaluation.wer import word_error_rate
from unisign_fla.tasks import TASKS

LANGUAGES = tuple(sorted(TOKENIZERS))


def rouge_tokens(text: str, language: str) -> str:
    """ROUGE tokens joined by spaces: Chinese characters after NFKC (spaces dropped, as in
    Uni-Sign's character-split outputs), whitespace words otherwise."""
    if language == 'zh':
        return ' '.join(unicodedata.normalize('NFKC', ''.join(text.split())))
    return ' '.join(text.split())


def check_pairs(hypotheses: Sequence, references: Sequence[str]) -> None:
    """Equal, non-zero counts and no empty reference (empty hypotheses are allowed)."""
    if len(hypotheses) != len(references):
        raise ValueError(f'{len(hypotheses)} hypotheses but {len(references)} references: '
                         'one hypothesis per reference is expected')
    if not references:
        raise ValueError('nothing to score: no references')
    empty = [i + 1 for i, ref in enumerate(references) if not ref.strip()]
    if empty:
        raise ValueError(f'empty reference at line {empty[0]} ({len(empty)} in all): every '
                         'reference needs text')


def best_hypothesis(hypothesis: str | list[str]) -> str:
    """The string itself, or the first entry of a ranked list ('' for an empty list)."""
    if isinstance(hypothesis, (list, tuple)):
        return hypothesis[0] if hypothesis else ''
    return hypothesis


def conventions(language: str, task: str, signature: str) -> dict[str, str]:
    tokens = 'characters after NFKC' if language == 'zh' else 'whitespace-separated words'
    record = {
        'scale': 'percent',
        'bleu': f'sacrebleu corpus BLEU, signature {signature}'
                + (', both sides NFKC-normalised' if language == 'zh' else ''),
        'rouge_l': f'rouge 1.0.1 rouge-l F averaged over sentences (Uni-Sign, GFSLT-VLP); '
                   f'tokens: {tokens}',
        'rouge_l_lcs_f1': f'sentence-level LCS F1 averaged over sentences; tokens: {tokens}',
    }
    if task == 'cslr':
        record['wer'] = 'Levenshtein over whitespace-separated glosses, (S + D + I) / N'
    if task == 'islr':
        record['top1'] = 'exact match after NFKC, case folding and end-punctuation stripping'
    return record


def score(hypotheses: list[str | list[str]], references: list[str], language: str,
          task: str = 'slt') -> dict:
    """BLEU-1..4, both ROUGE-L conventions, plus WER (cslr) or top-1/top-5 accuracy (islr).

    For ``islr`` a hypothesis may be a ranked list of strings (best first); the other scores
    use its first entry.
    """
    if language not in LANGUAGES:
        raise ValueError(f'unsupported language {language!r}, expected one of {LANGUAGES}')
    if task not in TASKS:
        raise ValueError(f'unsupported task {task!r}, expected one of {TASKS}')
    check_pairs(hypotheses, references)
    best = [best_hypothesis(h) for h in hypotheses]
    scores: dict = corpus_bleu(best, references, language)
    scores.update(corpus_rouge_l([rouge_tokens(h, language) for h in best],
                                 [rouge_tokens(r, language) for r in references]))
    if task == 'cslr':
        scores.update(word_error_rate(best, references))
    elif task == 'islr':
        scores.update(isolated_accuracy(hypotheses, references))
    scores['conventions'] = conventions(language, task, scores['signature'])
    return scores

