"""Language-model utilities: tokenizers and small pretrained LMs prepared from text."""
from unisign_fla.lm.architectures import ARCHITECTURES, build_small_lm
from unisign_fla.lm.corpus import read_text_lines
from unisign_fla.lm.denoising import mask_spans
from unisign_fla.lm.pretrain import evaluate_perplexity, prepare_lm, pretrain_lm
from unisign_fla.lm.tokenizer import guess_language, load_tokenizer, train_tokenizer

__all__ = ['ARCHITECTURES', 'build_small_lm', 'evaluate_perplexity', 'guess_language',
           'load_tokenizer', 'mask_spans', 'prepare_lm', 'pretrain_lm', 'read_text_lines',
           'train_tokenizer']
