"""Models: visual encoders, generative heads, and the model the Runner trains."""
from .encoders import PoseEncoder
from .heads import LanguageModelHead, LightTranslator
from .sign_translator import SignTranslator

__all__ = ['PoseEncoder', 'LanguageModelHead', 'LightTranslator', 'SignTranslator']
