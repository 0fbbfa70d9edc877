"""unisign_fla: sign language understanding from video (Uni-Sign encoder, FLa-LLM recipe)."""
__version__ = '0.1.0'
