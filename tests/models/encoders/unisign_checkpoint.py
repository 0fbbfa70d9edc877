"""Uni-Sign's reference checkpoint for the compatibility tests (skips when the data is absent)."""
import os

import torch

from tests.conftest import shared_data_dir

_CACHE = {}


def reference_dir() -> str:
    return os.path.join(shared_data_dir(), 'unisign_reference')


def unisign_state_dict() -> dict:
    """The reference model's ``state_dict`` (Uni-Sign's own key names), read once per session."""
    if 'model' not in _CACHE:
        path = os.path.join(reference_dir(), 'unisign_rgb_pose.pth')
        _CACHE['model'] = torch.load(path, map_location='cpu', weights_only=True)['model']
    return _CACHE['model']
