"""Translation heads: text generation from visual tokens (importing registers them in MODELS)."""
from unisign_fla.models.heads.language_model_head import LanguageModelHead, load_language_model
from unisign_fla.models.heads.light_translator import LightTranslator

__all__ = ['LanguageModelHead', 'LightTranslator', 'load_language_model']
