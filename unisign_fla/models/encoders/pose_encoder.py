"""Per-part pose encoder (Uni-Sign layout): one ST-GCN branch per body part, fused per frame.

With ``rgb`` set, the hand crops that score-aware sampling chose go through a CNN, and
prior-guided fusion mixes them into the hand joints' spatial features of those frames, before the
temporal blocks: ``(keypoints, mask[, crops, crop_index, crop_joints]) -> (tokens, token_mask)``.
"""
from collections.abc import Sequence

import torch
from torch import nn

from unisign_fla.keypoints import PART_ORDER, UNISIGN_PARTS
from unisign_fla.models.encoders.graph_blocks import (
    MaskedBatchNorm,
    SpatialGraphBlock,
    TemporalBlock,
)
from unisign_fla.registry import MODELS


class PartBranch(nn.Module):
    """Input norm, embed, spatial GCN blocks, (+ context), temporal blocks, mean over joints."""

    def __init__(self, part_name: str, embed_channels: int, spatial_channels: Sequence[int],
                 temporal_layers: int, temporal_kernel: int, dropout: float, stride: int):
        super().__init__()
        adjacency = UNISIGN_PARTS[part_name].adjacency()
        self.input_norm = MaskedBatchNorm(len(adjacency))
        self.embed = nn.Linear(3, embed_channels)
        widths = [embed_channels] + list(spatial_channels)
        self.spatial = nn.ModuleList(
            SpatialGraphBlock(c_in, c_out, adjacency)
            for c_in, c_out in zip(widths[:-1], widths[1:]))
        self.temporal = nn.ModuleList(
            TemporalBlock(widths[-1], temporal_kernel, dropout, stride if i == 0 else 1)
            for i in range(temporal_layers))
        self.out_channels = widths[-1]

    def spatial_features(self, points: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        x = self.embed(self.input_norm(points, mask))
        for block in self.spatial:
            x = block(x)
        return x

    def temporal_features(self, x: torch.Tensor, mask: torch.Tensor
                          ) -> tuple[torch.Tensor, torch.Tensor]:
        for block in self.temporal:
            x, mask = block(x, mask)
        return x.mean(dim=2), mask


@MODELS.register_module()
class PoseEncoder(nn.Module):
    """Per-part ST-GCN over the 69 Uni-Sign joints -> one visual token per frame (or per stride).

    Args:
        embed_channels: width of the per-joint input embedding (reference 64).
        spatial_channels: output widths of the spatial blocks (reference 64, 128, 256).
        temporal_layers / temporal_kernel: temporal blocks at the last width (reference 3 x k=5).
        out_channels: width of the fused per-frame token.
        temporal_stride: 1 keeps one token per frame (Uni-Sign); 4 gives FLa-LLM's "sign-wise"
            tokens, one per 4 frames; the first temporal block strides, so the rest run on
            fewer frames (``temporal_layers`` must then be >= 1).
        dropout: dropout inside the temporal blocks.
        rgb: ``dict(backbone=..., fusion=...)`` configs of the RGB branch (e.g.
            ``HandCropBackbone``) and of the fusion (``PriorGuidedFusion``); their widths are
            set to the hand branch's. ``None``: pose only (crops in a batch are ignored).

    Left and right hands share one branch, run as one batch. The detached spatial feature of the
    matching body joint (wrist for a hand, nose for the face) is added to every joint of the part.
    """

    def __init__(self, embed_channels: int = 64, spatial_channels: Sequence[int] = (64, 128, 256),
                 temporal_layers: int = 3, temporal_kernel: int = 5, out_channels: int = 512,
                 temporal_stride: int = 1, dropout: float = 0.1, rgb: dict | None = None):
        super().__init__()
        if temporal_stride > 1 and temporal_layers < 1:
            raise ValueError('temporal_stride > 1 needs at least one temporal block to stride')
        branch_args = (embed_channels, spatial_channels, temporal_layers, temporal_kernel, dropout,
                       temporal_stride)
        self.branches = nn.ModuleDict({
            'body': PartBranch('body', *branch_args),
            'hand': PartBranch('left_hand', *branch_args),   # shared by both hands
            'face': PartBranch('face', *branch_args),
        })
        width = self.branches['body'].out_channels
        body_indices = UNISIGN_PARTS['body'].indices
        self.context_joint = {name: body_indices.index(UNISIGN_PARTS[name].context)
                              for name in PART_ORDER[1:]}
        self.part_slices, start = {}, 0
        for name in PART_ORDER:
            self.part_slices[name] = slice(start, start + UNISIGN_PARTS[name].num_joints)
            start += UNISIGN_PARTS[name].num_joints
        self.fuse = nn.Sequential(nn.Linear(len(PART_ORDER) * width, out_channels),
                                  nn.LayerNorm(out_channels), nn.GELU())
        self.output_norm = MaskedBatchNorm(1, out_channels)
        self.temporal_stride = temporal_stride
        self.out_channels = out_channels
        self.rgb_backbone = self.fusion = None
        if rgb is not None:
            self.rgb_backbone = MODELS.build(dict(rgb['backbone'], out_channels=width))
            self.fusion = MODELS.build(dict(rgb['fusion'], channels=width))

    def log_vars(self) -> dict[str, torch.Tensor]:
        """Scalars for the training log: the PGF gate's mean over the last batch's crops."""
        if self.fusion is None or self.fusion.last_gate is None:
            return {}
        return {'pgf_gate': self.fusion.last_gate}

    def _zero_rgb_term(self) -> torch.Tensor:
        """0 x every RGB parameter: a batch without crops still gives the RGB branch (zero)
        gradients, which DistributedDataParallel needs from every rank."""
        parameters = list(self.rgb_backbone.parameters()) + list(self.fusion.parameters())
        return sum(p.sum() for p in parameters) * 0.0

    def forward(self, keypoints: torch.Tensor, mask: torch.Tensor,
                crops: torch.Tensor | None = None, crop_index: torch.Tensor | None = None,
                crop_joints: torch.Tensor | None = None
                ) -> tuple[torch.Tensor, torch.Tensor]:
        """keypoints (B, T, 69, 3) normalised; mask (B, T) True on real frames. With an RGB
        branch: crops (N, S, S, 3), crop_index (N, 3) = (batch, frame, hand), crop_joints
        (N, 21, 2) in [0, 1] crop coordinates (``sign_collate`` of score-aware sampled crops).

        Returns tokens (B, N, out_channels) and their mask (B, N), N = ceil(T / stride).
        """
        batch = keypoints.shape[0]
        parts = {name: keypoints[:, :, sl] for name, sl in self.part_slices.items()}
        hand_mask = torch.cat([mask, mask], dim=0)
        body = self.branches['body'].spatial_features(parts['body'], mask)
        hands = self.branches['hand'].spatial_features(
            torch.cat([parts['left_hand'], parts['right_hand']], dim=0), hand_mask)
        face = self.branches['face'].spatial_features(parts['face'], mask)

        context = body.detach()
        hand_context = torch.cat([context[:, :, self.context_joint['left_hand']],
                                  context[:, :, self.context_joint['right_hand']]], dim=0)
        hands = hands + hand_context[:, :, None]
        face = face + context[:, :, self.context_joint['face']][:, :, None]
        if self.fusion is not None:
            if crops is None or crop_index is None or crop_joints is None:
                raise ValueError('this encoder has an RGB branch but the batch has no crops, '
                                 'crop_index and crop_joints: load them with '
                                 'LoadShardSample(with_crops=True) + ScoreAwareCropSampling')
            if len(crop_index):
                hands = self.fusion(hands, self.rgb_backbone(crops), crop_index, crop_joints)
            else:  # no hand crop in the batch; the crop tensor may even be (0, 0, 0, 3)
                self.fusion.last_gate = None
                hands = hands + self._zero_rgb_term()

        body, token_mask = self.branches['body'].temporal_features(body, mask)
        hands, _ = self.branches['hand'].temporal_features(hands, hand_mask)
        face, _ = self.branches['face'].temporal_features(face, mask)
        fused = torch.cat([body, hands[:batch], hands[batch:], face], dim=-1)
        return self.output_norm(self.fuse(fused)[:, :, None], token_mask)[:, :, 0], token_mask
