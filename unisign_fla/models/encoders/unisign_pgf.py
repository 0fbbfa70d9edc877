"""Uni-Sign's prior-guided fusion (PGF) with its own gate, for checkpoints trained by Uni-Sign.

The hand-joint features of the frames that have a crop are replaced by
``g * F^ + (1 - g) * F``, F the pose features, F^ the deformable attention's RGB features
(``UniSignDeformableAttention`` over ``rgb_proj`` of the EfficientNet-B0 map) and
``g = ReLU(tanh(conv(GELU(conv([F^; F])))))`` one gate per joint. Uni-Sign initialises both gate
convolutions to zero, which makes g = 0 with no gradient: kept as is, because this module exists
to reproduce checkpoints (our own ``PriorGuidedFusion`` has a gate that trains).

Checkpoint names (Uni-Sign -> this module), by prefix:

- ``rgb_proj.*`` -> ``rgb_proj.*`` (``Conv2d(1280, 256, 1)``)
- ``fusion_pose_rgb_DA.*`` -> ``attention.*`` (same names below the prefix)
- ``fusion_gate.{0,2}.*`` -> ``gate.{0,2}.*``
- ``fusion_pose_rgb_linear.*``: never used by Uni-Sign, dropped
- ``rgb_support_backbone.0.*`` -> the ``EfficientNetB0Features`` keys (prefix removed)

``split_unisign_rgb_state`` applies this to a whole Uni-Sign ``state_dict``.
"""

import torch
from torch import Tensor, nn

from unisign_fla.models.encoders.unisign_deformable_attention import UniSignDeformableAttention
from unisign_fla.registry import MODELS

UNISIGN_BACKBONE_PREFIX = 'rgb_support_backbone.0.'
UNISIGN_FUSION_PREFIXES = {'rgb_proj.': 'rgb_proj.', 'fusion_pose_rgb_DA.': 'attention.',
                           'fusion_gate.': 'gate.'}
UNISIGN_UNUSED_PREFIXES = ('fusion_pose_rgb_linear.',)


def split_unisign_rgb_state(state: dict[str, Tensor]
                            ) -> tuple[dict[str, Tensor], dict[str, Tensor]]:
    """Uni-Sign ``state_dict`` -> (``EfficientNetB0Features`` state, ``UniSignDeformableFusion``
    state); tensors of other parts of the model (pose encoder, mT5) are left out. Both are empty
    for a pose-only checkpoint."""
    backbone, fusion = {}, {}
    for key, value in state.items():
        if key.startswith(UNISIGN_BACKBONE_PREFIX):
            backbone[key[len(UNISIGN_BACKBONE_PREFIX):]] = value
            continue
        for theirs, ours in UNISIGN_FUSION_PREFIXES.items():
            if key.startswith(theirs):
                fusion[ours + key[len(theirs):]] = value
    return backbone, fusion


@MODELS.register_module()
class UniSignDeformableFusion(nn.Module):
    """Fuse backbone maps of hand crops into the hand-joint features of their frames.

    Args:
        channels: width of the hand-joint features (256).
        rgb_channels: width of the backbone map (1280 for EfficientNet-B0).
        heads / head_channels / map_cells: see ``UniSignDeformableAttention``.

    ``last_gate`` is the mean gate of the last call over its crops' joints (detached; None
    without crops): the first thing to check when RGB does not change the output.
    """

    def __init__(self, channels: int = 256, rgb_channels: int = 1280, heads: int = 8,
                 head_channels: int = 32, map_cells: int = 16):
        super().__init__()
        self.rgb_proj = nn.Conv2d(rgb_channels, channels, 1)
        self.attention = UniSignDeformableAttention(channels, heads, head_channels, map_cells)
        self.gate = nn.Sequential(nn.Conv1d(2 * channels, channels, 1), nn.GELU(),
                                  nn.Conv1d(channels, 1, 1), nn.Tanh(), nn.ReLU())
        for layer in (self.gate[0], self.gate[2]):
            nn.init.zeros_(layer.weight)
            nn.init.zeros_(layer.bias)
        self.last_gate = None

    def fuse(self, pose: Tensor, rgb: Tensor, points: Tensor) -> Tensor:
        """pose (N, C, J) of the crops' frames, backbone maps (N, rgb_channels, h, w), joint
        positions (N, J, 2) in [0, 1] of each crop -> gated features (N, C, J)."""
        # Uni-Sign runs the attention in float32 even under mixed precision.
        with torch.autocast(pose.device.type, enabled=False):
            rgb_joint = self.attention(pose.float(), self.rgb_proj(rgb.float()), points.float())
        rgb_joint = rgb_joint.to(pose.dtype)
        gate = self.gate(torch.cat([rgb_joint, pose], dim=1))                 # (N, 1, J)
        self.last_gate = gate.detach().mean()
        return gate * rgb_joint + (1 - gate) * pose

    def forward(self, hand: Tensor, rgb: Tensor, sample_index: Tensor, frame_index: Tensor,
                points: Tensor) -> Tensor:
        """Replace the features of the crops' frames in one hand's features.

        Args:
            hand: (B, C, T, J) features of one hand (the layout of Uni-Sign's spatial GCN).
            rgb: (N, rgb_channels, h, w) backbone maps of that hand's crops, whole batch.
            sample_index / frame_index: (N,) the batch row and frame of each crop; a frame
                index < 0 marks a placeholder crop (a clip without hands), which is ignored.
            points: (N, J, 2) the crops' joint positions in [0, 1] (``skeletons_norm``).

        Returns:
            (B, C, T, J), equal to ``hand`` except at the crops' (row, frame).
        """
        real = frame_index >= 0
        if not real.any():
            self.last_gate = None
            return hand
        rows, frames = sample_index[real], frame_index[real]
        fused = self.fuse(hand[rows, :, frames], rgb[real], points[real])     # (N', C, J)
        # index_put on the (B, T, C, J) view writes each (row, frame) pair's (C, J) slice.
        return hand.transpose(1, 2).index_put((rows, frames), fused).transpose(1, 2)
