"""Train and load the small subword tokenizers used when no pretrained LM can be downloaded.

The tokenizer is a byte-fallback BPE in the SentencePiece style: spaces become ``▁`` before
splitting, so decoding restores the original spacing exactly (``"Hello, world."`` never comes
back as ``"Hello , world ."``), and characters unseen in training fall back to UTF-8 byte tokens
instead of ``<unk>``. CJK characters are always isolated, which makes Chinese character-level
as the BLEU convention expects (docs/evaluation.md). The result is a plain
``PreTrainedTokenizerFast`` directory that ``AutoTokenizer.from_pretrained`` loads like any Hub
tokenizer.
"""
import json
import os
import re
from pathlib import Path

from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import AutoTokenizer, PreTrainedTokenizerBase, PreTrainedTokenizerFast

SPECIAL_TOKENS = dict(pad_token='<pad>', unk_token='<unk>', bos_token='<s>', eos_token='</s>',
                      mask_token='<mask>')
BYTE_TOKENS = [f'<0x{i:02X}>' for i in range(256)]
# Languages written without spaces between words: no ``▁`` is prepended to the sentence.
UNSPACED_LANGUAGES = ('zh', 'ja')
CJK_PATTERN = r'[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]'
TOKENIZER_FILES = ('tokenizer.json', 'tokenizer_config.json')
# What transformers 5 writes for a tokenizer defined by its tokenizer.json alone (ours).
GENERIC_TOKENIZER_CLASSES = ('TokenizersBackend', 'PreTrainedTokenizerFast')


def guess_language(texts: list[str]) -> str:
    """``'zh'`` when CJK characters make up over a third of the non-space characters, else
    ``'en'``."""
    joined = ''.join(texts).replace(' ', '')
    if not joined:
        return 'en'
    return 'zh' if len(re.findall(CJK_PATTERN, joined)) > len(joined) / 3 else 'en'


def _pre_tokenizer(prepend_scheme: str) -> pre_tokenizers.PreTokenizer:
    return pre_tokenizers.Sequence([
        pre_tokenizers.Metaspace(replacement='▁', prepend_scheme=prepend_scheme, split=True),
        pre_tokenizers.Punctuation('isolated'),
        pre_tokenizers.Digits(individual_digits=True),
        pre_tokenizers.Split(Regex(CJK_PATTERN), 'isolated'),
    ])


def _with_byte_fallback(tokenizer: Tokenizer) -> Tokenizer:
    """Append the 256 byte tokens to a trained BPE vocabulary and switch byte fallback on.

    They are appended as ordinary vocabulary entries (not special tokens) so that
    ``skip_special_tokens=True`` keeps them when decoding.
    """
    spec = json.loads(tokenizer.to_str())
    vocab = spec['model']['vocab']
    for token in BYTE_TOKENS:
        vocab.setdefault(token, len(vocab))
    spec['model']['byte_fallback'] = True
    return Tokenizer.from_str(json.dumps(spec))


def train_tokenizer(texts: list[str], out_dir: str | os.PathLike | None = None,
                    vocab_size: int = 2000, language: str = 'en') -> PreTrainedTokenizerFast:
    """Train a byte-fallback BPE tokenizer on ``texts`` and save it to ``out_dir`` (when given).

    Args:
        texts: training sentences.
        out_dir: directory written with ``save_pretrained``; ``None`` keeps it in memory.
        vocab_size: total size including the 5 special and 256 byte tokens.
        language: BCP-47 code; for ``zh``/``ja`` no word-boundary marker is prepended.
    """
    texts = [t for t in texts if t.strip()]
    if not texts:
        raise ValueError('train_tokenizer: no non-empty training text')
    prepend_scheme = 'never' if language.split('-')[0] in UNSPACED_LANGUAGES else 'always'
    specials = list(SPECIAL_TOKENS.values())
    bpe = Tokenizer(models.BPE(unk_token=SPECIAL_TOKENS['unk_token']))
    bpe.pre_tokenizer = _pre_tokenizer(prepend_scheme)
    trainer = trainers.BpeTrainer(vocab_size=max(vocab_size - len(BYTE_TOKENS), len(specials) + 1),
                                  special_tokens=specials, show_progress=False)
    bpe.train_from_iterator(texts, trainer)
    bpe = _with_byte_fallback(bpe)
    bpe.decoder = decoders.Sequence([
        decoders.ByteFallback(),
        decoders.Metaspace(replacement='▁', prepend_scheme=prepend_scheme, split=True),
    ])
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=bpe, clean_up_tokenization_spaces=False,
                                        **SPECIAL_TOKENS)
    if out_dir is not None:
        tokenizer.save_pretrained(str(out_dir))
    return tokenizer


def _check_sentencepiece_conversion(path: Path) -> None:
    """A folder with only a sentencepiece model (mT5's ``spiece.model``, mBART's
    ``sentencepiece.bpe.model``) is converted through sentencepiece's protobuf module; when that
    cannot import, transformers falls through to an unrelated tiktoken error, so say why here."""
    if (path / 'tokenizer.json').is_file() or not any(path.glob('*.model')):
        return
    try:
        import sentencepiece.sentencepiece_model_pb2  # noqa: F401
    except ImportError as error:
        raise ImportError(
            f'{path}: a sentencepiece tokenizer folder needs the sentencepiece package and the '
            f'protobuf version it was generated for ({error}); install as README says '
            f'(pip install -c constraints.txt -e .), not in the mediapipe environment') from error


def load_tokenizer(path: str | os.PathLike) -> PreTrainedTokenizerBase:
    """Load a tokenizer directory (ours, or any Hugging Face one such as mT5's) with a clear
    error."""
    path = Path(path)
    if not path.is_dir() or not any((path / name).is_file() for name in TOKENIZER_FILES):
        raise FileNotFoundError(f'{path}: not a tokenizer directory '
                                f'(expected {" or ".join(TOKENIZER_FILES)})')
    _check_sentencepiece_conversion(path)
    config_file = path / 'tokenizer_config.json'
    declared = (json.loads(config_file.read_text(encoding='utf-8')).get('tokenizer_class')
                if config_file.is_file() else None)
    if declared in GENERIC_TOKENIZER_CLASSES:
        # AutoTokenizer would pick the model type's own class for some types (qwen2 ->
        # Qwen2Tokenizer, which rebuilds a byte-level BPE from the vocabulary: other ids, and
        # text decoded without spaces), not the tokenizer.json the folder holds.
        return PreTrainedTokenizerFast.from_pretrained(str(path))
    return AutoTokenizer.from_pretrained(str(path))
