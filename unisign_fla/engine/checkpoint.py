"""Loading mmengine checkpoints with ``torch.load(weights_only=True)``.

mmengine 0.10 checkpoints hold numpy scalars (and mmpose's hold numpy arrays) beside tensors,
which torch >= 2.6 refuses under ``weights_only=True``. Rather than fall back to unrestricted
unpickling, or admit numpy's own types (whose unpickling trusts a crafted dtype state), the numpy
names resolve to the stand-ins of formats/safe_pickle.py: scalars load as Python numbers, arrays
as fresh numeric arrays. mmengine's logging buffers are removed from checkpoints by
``WeightsOnlyCheckpointHook``.
"""
import os

import torch

from ..formats.safe_pickle import TORCH_SAFE_GLOBALS, materialise


def allow_mmengine_checkpoint_types() -> None:
    """Admit numpy scalars in checkpoints that mmengine's Runner loads itself (resume)."""
    torch.serialization.add_safe_globals(TORCH_SAFE_GLOBALS)


def load_checkpoint(path: str) -> dict:
    """A whole checkpoint, loaded with ``weights_only=True`` and numeric numpy data admitted."""
    if not os.path.isfile(path):
        raise FileNotFoundError(f'{path}: checkpoint not found')
    # torch's safe_globals() removes its globals on exit, also ones admitted before it (by
    # allow_mmengine_checkpoint_types, for the Runner's own loads later): admit only the missing.
    admitted = torch.serialization.get_safe_globals()
    missing = [entry for entry in TORCH_SAFE_GLOBALS if entry not in admitted]
    with torch.serialization.safe_globals(missing):
        return materialise(torch.load(path, map_location='cpu', weights_only=True))


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
