"""Uni-Sign's RGB-pose encoder end to end: ``UniSignPoseEncoder`` with ``UniSignRGBFusion``
(EfficientNet-B0 and PGF) reproduces the reference's visual tokens from the reference's crops."""
import json
import os

import pytest
import torch
from safetensors.torch import load_file

from tests.models.encoders.unisign_checkpoint import reference_dir, unisign_state_dict
from unisign_fla.models.encoders.unisign_pose_encoder import UniSignPoseEncoder
from unisign_fla.models.unisign_conversion import convert_unisign_state_dict


@pytest.mark.parametrize('name', ('zh_single', 'en_long', 'zh_no_hands'))
def test_visual_tokens_match_the_reference(name):
    state = unisign_state_dict()
    converted, _ = convert_unisign_state_dict(state)
    encoder = UniSignPoseEncoder(rgb=dict(type='UniSignRGBFusion'))
    encoder.load_state_dict({k[len('encoder.'):]: v for k, v in converted.items()
                             if k.startswith('encoder.')})
    encoder.eval()
    golden = load_file(os.path.join(reference_dir(), 'cases', name, 'golden.safetensors'))
    keypoints = torch.cat([golden[f'parts.{part}'] for part in ('body', 'left', 'right',
                                                                'face_all')], dim=1)[None]
    rgb = {key[len('rgb.'):]: value for key, value in golden.items() if key.startswith('rgb.')}
    for hand in ('left', 'right'):   # one clip: every crop is row 0's
        rgb[f'{hand}_batch_index'] = torch.zeros_like(rgb[f'{hand}_sampled_indices'])
    with torch.no_grad():
        tokens, _ = encoder(keypoints, torch.ones(keypoints.shape[:2], dtype=torch.bool), **rgb)
    # Measured: at most 7.8e-7 apart; the RGB branch moves the tokens by up to 0.075.
    torch.testing.assert_close(tokens[0], golden['visual_tokens'], atol=1e-5, rtol=0)
    gate = encoder.rgb_fusion.last_gate
    if name == 'zh_no_hands':
        assert gate is None
        return
    # The reference's gate statistic: the mean over all hand joints of the sampled frames.
    with open(os.path.join(reference_dir(), 'cases', name, 'golden.json')) as f:
        assert abs(gate - json.load(f)['gate_mean']) < 1e-5
