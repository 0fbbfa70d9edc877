"""Loading mmengine checkpoints with ``torch.load(weights_only=True)``.

mmengine 0.10 checkpoints hold numpy scalars and arrays beside tensors, which torch >= 2.6 refuses
under ``weights_only=True``. Rather than fall back to unrestricted unpickling, we allow exactly
those numpy types (plain data, no callables), so resuming and stage-2 initialisation keep the safe
loader. mmengine's logging buffers are removed from checkpoints by ``WeightsOnlyCheckpointHook``.
"""
import os

import numpy as np
import torch

SAFE_CHECKPOINT_TYPES = [
    np.dtype, np.ndarray, np._core.multiarray._reconstruct, np._core.multiarray.scalar,
    type(np.dtype(np.float64)), type(np.dtype(np.float32)), type(np.dtype(np.int64)),
    type(np.dtype(np.int32)), type(np.dtype(np.bool_)),
]


def allow_mmengine_checkpoint_types() -> None:
    """Admit the numpy types of mmengine checkpoints to the ``weights_only`` unpickler."""
    torch.serialization.add_safe_globals(SAFE_CHECKPOINT_TYPES)


def load_checkpoint_state_dict(path: str, prefix: str = '') -> dict:
    """The model weights of an mmengine checkpoint (or a plain state dict) whose keys start with
    ``prefix``, with the prefix removed."""
    if not os.path.isfile(path):
        raise FileNotFoundError(f'{path}: checkpoint not found')
    allow_mmengine_checkpoint_types()
    checkpoint = torch.load(path, map_location='cpu', weights_only=True)
    state = checkpoint.get('state_dict', checkpoint) if isinstance(checkpoint, dict) else None
    if not isinstance(state, dict):
        raise ValueError(f'{path}: expected a checkpoint dict with a "state_dict"')
    selected = {k[len(prefix):]: v for k, v in state.items() if k.startswith(prefix)}
    if not selected:
        raise KeyError(f'{path}: no weights start with {prefix!r} '
                       f'(first keys: {list(state)[:5]})')
    return selected
