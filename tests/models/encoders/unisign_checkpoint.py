"""Uni-Sign's reference checkpoint and cases for the compatibility tests (skip when the data is
absent)."""
import json
import os

import torch
from safetensors.numpy import load_file

from tests.conftest import shared_data_dir
from unisign_fla.models.unisign_conversion import RGB_PREFIXES, convert_unisign_checkpoint

_CACHE = {}
CASES = ('zh_single', 'en_long', 'zh_no_hands')
GOLDEN_PARTS = ('body', 'left', 'right', 'face_all')
LANGUAGES = {'Chinese': 'zh', 'English': 'en'}


def reference_dir() -> str:
    return os.path.join(shared_data_dir(), 'unisign_reference')


def unisign_state_dict() -> dict:
    """The reference model's ``state_dict`` (Uni-Sign's own key names), read once per session."""
    if 'model' not in _CACHE:
        path = os.path.join(reference_dir(), 'unisign_rgb_pose.pth')
        _CACHE['model'] = torch.load(path, map_location='cpu', weights_only=True)['model']
    return _CACHE['model']


def converted_checkpoint(folder, rgb: bool) -> str:
    """The reference checkpoint in Uni-Sign's layout (without its RGB branch unless ``rgb``: a
    pose-only checkpoint) under ``folder``, converted; the converted file's path."""
    state = {k: v for k, v in unisign_state_dict().items()
             if rgb or not k.startswith(RGB_PREFIXES)}
    torch.save({'model': state}, os.path.join(folder, 'unisign.pth'))
    convert_unisign_checkpoint(os.path.join(folder, 'unisign.pth'),
                               os.path.join(folder, 'converted.pth'))
    return os.path.join(folder, 'converted.pth')


def reference_case(name: str, prefix: str = '') -> tuple[dict, dict, dict, dict]:
    """``(info, golden, inputs, sample)`` of one case: golden.json (the outputs of the variant
    whose keys start with ``prefix``, e.g. ``'pose_only.'``, also under plain names), its tensors,
    the encoder inputs (Uni-Sign's normalised parts, batch of 1; the reference's crops unless
    ``prefix``) and the data sample."""
    folder = os.path.join(reference_dir(), 'cases', name)
    with open(os.path.join(folder, 'golden.json'), encoding='utf-8') as f:
        info = json.load(f)
    golden = {k: torch.from_numpy(v)
              for k, v in load_file(os.path.join(folder, 'golden.safetensors')).items()}
    golden.update({k[len(prefix):]: v for k, v in golden.items() if prefix and
                   k.startswith(prefix)})
    info.update(info.get(prefix[:-1], {}) if prefix else {})
    keypoints = torch.cat([golden[f'parts.{p}'] for p in GOLDEN_PARTS], dim=1)[None]
    language = next(code for word, code in LANGUAGES.items() if word in info['prompt'])
    sample = dict(task='slt', language=language, target=info['target'])
    inputs = dict(keypoints=keypoints, mask=torch.ones(keypoints.shape[:2], dtype=torch.bool))
    if not prefix:   # the reference's crops, all of the one clip (row 0)
        for hand in ('left', 'right'):
            for key in ('hands', 'sampled_indices', 'skeletons_norm'):
                inputs[f'{hand}_{key}'] = golden[f'rgb.{hand}_{key}']
            inputs[f'{hand}_batch_index'] = torch.zeros_like(inputs[f'{hand}_sampled_indices'])
    return info, golden, inputs, sample
