"""Models: visual encoders, generative heads, and the model the Runner trains."""
from unisign_fla.models.encoders import PoseEncoder
from unisign_fla.models.heads import LanguageModelHead, LightTranslator
from unisign_fla.models.sign_translator import SignTranslator

__all__ = ['PoseEncoder', 'LanguageModelHead', 'LightTranslator', 'SignTranslator']
