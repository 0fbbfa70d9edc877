"""Translation heads: text generation from visual tokens (importing registers them in MODELS)."""
from .language_model_head import LanguageModelHead, load_language_model
from .light_translator import LightTranslator

__all__ = ['LanguageModelHead', 'LightTranslator', 'load_language_model']
