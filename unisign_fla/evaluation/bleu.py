"""Corpus BLEU-1..4 with sacrebleu and an explicit, per-language tokenizer (docs/evaluation.md).

Chinese is NFKC-normalised on both sides and tokenised per character; scoring raw Chinese with
``13a`` gives near-zero BLEU. Every report carries the sacrebleu signature so numbers can be
compared with published tables.
"""
import unicodedata

from sacrebleu.metrics import BLEU

TOKENIZERS = {'zh': 'zh', 'de': '13a', 'en': '13a'}


def normalize_for_bleu(text: str, language: str) -> str:
    text = text.strip()
    return unicodedata.normalize('NFKC', text) if language == 'zh' else text


def corpus_bleu(hypotheses: list[str], references: list[str], language: str) -> dict:
    """BLEU-1..4 in percent plus the sacrebleu signature of the BLEU-4 score."""
    if language not in TOKENIZERS:
        raise ValueError(f'unsupported language {language!r}, expected one of {sorted(TOKENIZERS)}')
    if len(hypotheses) != len(references):
        raise ValueError(f'{len(hypotheses)} hypotheses but {len(references)} references')
    hyps = [normalize_for_bleu(h, language) for h in hypotheses]
    refs = [[normalize_for_bleu(r, language) for r in references]]
    scores = {}
    for order in (1, 2, 3, 4):
        bleu = BLEU(tokenize=TOKENIZERS[language], max_ngram_order=order)
        scores[f'bleu{order}'] = bleu.corpus_score(hyps, refs).score
        if order == 4:
            scores['signature'] = str(bleu.get_signature())
    return scores
