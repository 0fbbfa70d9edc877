"""Loading checkpoints, ours and mmengine's, with the toolkit's own weights-only reader.

formats/torch_checkpoint.py reads ``torch.save`` files without torch's unpickler, so what a
checkpoint may hold (tensors, state dicts, numbers, strings, numeric numpy data) does not depend
on the torch version or on ``TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD``, which makes ``torch.load``
unpickle without restriction wherever ``weights_only`` is left unset, as mmengine leaves it.
``use_safe_checkpoint_loading`` sends mmengine's own loads (``--resume``, ``load_from``,
``Pretrained`` initialisers) through the same reader. mmengine's logging buffers are removed
from checkpoints by ``WeightsOnlyCheckpointHook``, since no weights-only reader admits them.
"""
import os

import torch
from mmengine.runner.checkpoint import CheckpointLoader

from unisign_fla.formats.torch_checkpoint import load_torch_checkpoint


def load_from_weights_only(filename: str, map_location=None) -> dict:
    """mmengine's loader for local paths, replaced (it calls ``torch.load`` without
    ``weights_only``); mmengine logs the name after ``load_from_``."""
    return load_checkpoint(os.path.expanduser(filename), map_location)


def load_from_remote_refused(filename: str, map_location=None) -> dict:
    """mmengine's loaders for URLs and object stores, replaced: they call ``torch.load``
    without ``weights_only`` on what they download."""
    raise ValueError(f'{filename}: checkpoints are read from local files only; download it '
                     f'and pass its path')


def use_safe_checkpoint_loading() -> None:
    """Make every checkpoint mmengine's Runner loads (resume, ``load_from``, initialisers) go
    through ``load_checkpoint``, whatever the environment says; remote ones are refused."""
    for prefix in list(CheckpointLoader._schemes):
        CheckpointLoader.register_scheme(
            prefix, load_from_weights_only if prefix == '' else load_from_remote_refused,
            force=True)


def load_checkpoint(path: str, map_location=None) -> dict:
    """A whole checkpoint, read weights-only (formats/torch_checkpoint.py); tensors on the CPU
    unless ``map_location`` names a device."""
    if not os.path.isfile(path):
        raise FileNotFoundError(f'{path}: checkpoint not found')
    return load_torch_checkpoint(path, map_location)


def load_checkpoint_state_dict(path: str, prefix: str = '') -> dict:
    """The model weights of an mmengine checkpoint (or a plain state dict) whose keys start with
    ``prefix``, with the prefix removed."""
    checkpoint = load_checkpoint(path)
    state = checkpoint.get('state_dict', checkpoint) if isinstance(checkpoint, dict) else None
    if not isinstance(state, dict):
        raise ValueError(f'{path}: expected a checkpoint dict with a "state_dict"')
    selected = {k[len(prefix):]: v for k, v in state.items() if k.startswith(prefix)}
    if not selected:
        raise KeyError(f'{path}: no weights start with {prefix!r} '
                       f'(first keys: {list(state)[:5]})')
    return selected


def load_model_weights(model: torch.nn.Module, path: str) -> None:
    """Load a checkpoint's weights into ``model`` strictly: any missing or unexpected key is a
    ``ValueError`` that names them, so a checkpoint that does not match its config is never
    scored as a partly untrained model."""
    state = load_checkpoint_state_dict(path)
    own = model.state_dict()
    missing = [k for k in own if k not in state]
    unexpected = [k for k in state if k not in own]
    reshaped = [f'{k} {tuple(v.shape)} vs {tuple(own[k].shape)}' for k, v in state.items()
                if k in own and v.shape != own[k].shape]
    if missing or unexpected or reshaped:
        def listing(keys):
            return f'{len(keys)} ({", ".join(keys[:8])}{", ..." if len(keys) > 8 else ""})'
        raise ValueError(f'{path}: does not match the model of the config: missing keys '
                         f'{listing(missing)}, unexpected keys {listing(unexpected)}, other '
                         f'shapes {listing(reshaped)}')
    model.load_state_dict(state)
