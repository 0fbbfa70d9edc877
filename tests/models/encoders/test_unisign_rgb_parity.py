"""Uni-Sign's RGB-pose encoder end to end: its pose encoder with our EfficientNet-B0 and PGF
reproduce the reference's visual tokens from the reference's crops."""
import json
import os

import pytest
import torch
from safetensors.torch import load_file
from torch import nn

from tests.models.encoders.unisign_checkpoint import reference_dir, unisign_state_dict
from unisign_fla.models.encoders.efficientnet_b0 import EfficientNetB0Features
from unisign_fla.models.encoders.unisign_pgf import (UniSignDeformableFusion,
                                                     split_unisign_rgb_state)
from unisign_fla.models.encoders.unisign_pose_encoder import UniSignPoseEncoder
from unisign_fla.models.unisign_conversion import RGB_PREFIXES, convert_unisign_state_dict


class ReferenceRGBFusion(nn.Module):
    """The fusion hook with one sample's reference inputs (``rgb.<hand>_*``)."""

    def __init__(self, state: dict):
        super().__init__()
        backbone, fusion = split_unisign_rgb_state(state)
        self.backbone, self.fusion = EfficientNetB0Features(), UniSignDeformableFusion()
        self.backbone.load_state_dict(backbone)
        self.fusion.load_state_dict(fusion)
        self.gates = []

    def forward(self, hand, features, **inputs):
        frames = inputs[f'{hand}_sampled_indices']
        out = self.fusion(features, self.backbone(inputs[f'{hand}_hands']),
                          torch.zeros_like(frames), frames, inputs[f'{hand}_skeletons_norm'])
        self.gates.append(self.fusion.last_gate)
        return out


@pytest.mark.parametrize('name', ('zh_single', 'en_long', 'zh_no_hands'))
def test_visual_tokens_match_the_reference(name):
    state = unisign_state_dict()
    pose_state, _ = convert_unisign_state_dict(
        {k: v for k, v in state.items() if not k.startswith(RGB_PREFIXES)})
    encoder = UniSignPoseEncoder()
    encoder.load_state_dict({k[len('encoder.'):]: v for k, v in pose_state.items()
                             if k.startswith('encoder.')})
    encoder.rgb_fusion = ReferenceRGBFusion(state)
    encoder.eval()
    golden = load_file(os.path.join(reference_dir(), 'cases', name, 'golden.safetensors'))
    keypoints = torch.cat([golden[f'parts.{part}'] for part in ('body', 'left', 'right',
                                                                'face_all')], dim=1)[None]
    rgb = {key[len('rgb.'):]: value for key, value in golden.items() if key.startswith('rgb.')}
    with torch.no_grad():
        tokens, _ = encoder(keypoints, torch.ones(keypoints.shape[:2], dtype=torch.bool), **rgb)
    # Measured: at most 7.8e-7 apart; the RGB branch moves the tokens by up to 0.075.
    torch.testing.assert_close(tokens[0], golden['visual_tokens'], atol=1e-5, rtol=0)
    gates = encoder.rgb_fusion.gates
    if name == 'zh_no_hands':
        assert gates == [None, None]
        return
    # The reference's gate statistic: the mean over all hand joints of the sampled frames.
    crops = [len(rgb[f'{hand}_sampled_indices']) for hand in ('left', 'right')]
    mean = sum(g * k for g, k in zip(gates, crops)) / sum(crops)
    with open(os.path.join(reference_dir(), 'cases', name, 'golden.json')) as f:
        assert abs(mean - json.load(f)['gate_mean']) < 1e-5
