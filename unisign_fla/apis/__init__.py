"""Using a trained model outside the Runner: translating new clips (tools/infer.py) and
exporting a model as one folder (tools/export.py)."""
from unisign_fla.apis.export import export_model, load_exported_model
from unisign_fla.apis.sign_inferencer import SignInferencer

__all__ = ['SignInferencer', 'export_model', 'load_exported_model']
