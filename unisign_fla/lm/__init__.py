"""Language-model utilities: tokenizers and small pretrained LMs prepared from text."""
from .architectures import ARCHITECTURES, build_small_lm
from .corpus import read_text_lines
from .denoising import mask_spans
from .pretrain import evaluate_perplexity, prepare_lm, pretrain_lm
from .tokenizer import guess_language, load_tokenizer, train_tokenizer

__all__ = ['ARCHITECTURES', 'build_small_lm', 'evaluate_perplexity', 'guess_language',
           'load_tokenizer', 'mask_spans', 'prepare_lm', 'pretrain_lm', 'read_text_lines',
           'train_tokenizer']
