"""Uni-Sign's pose encoder, layer for layer, so that Uni-Sign's released checkpoints run here.

Our ``PoseEncoder`` stays the default; this variant exists for checkpoint compatibility
(docs/encoder.md, "Uni-Sign's architecture"). Parameter names follow a fixed mapping from
Uni-Sign's (``unisign_fla.models.unisign_conversion``): ``proj_linear.<part>`` ->
``branches.<part>.embed``, ``gcn_modules.<part>.layer{i}_0`` -> ``branches.<part>.spatial.{i}``,
``fusion_gcn_modules.<part>.layer0_{j}`` -> ``branches.<part>.temporal.{j}``, with the parts
``body``, ``hand`` (Uni-Sign's ``left`` and ``right``, which share weights) and ``face``
(``face_all``).
"""
from collections.abc import Sequence

import torch
from torch import nn

from unisign_fla.keypoints import PART_ORDER
from unisign_fla.models.encoders.part_layout import context_joints, part_slices
from unisign_fla.models.encoders.unisign_stgcn import (
    GRAPH_NODES,
    UNISIGN_GRAPH_EDGES,
    STGCNBlock,
    distance_partitions,
)
from unisign_fla.registry import MODELS

BRANCH_OF_PART = {'body': 'body', 'left_hand': 'hand', 'right_hand': 'hand', 'face': 'face'}


def _init_linear(module: nn.Module) -> None:
    """Uni-Sign's initialisation of the pose encoder's linear layers (truncated normal, std 0.02,
    zero bias), so that training from scratch starts where Uni-Sign's does."""
    if isinstance(module, nn.Linear):
        nn.init.trunc_normal_(module.weight, std=0.02)
        nn.init.zeros_(module.bias)


def repeat_last_frame(keypoints: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """(B, T, ...) with each clip's frames after its last real one replaced by that frame."""
    last = (mask.long().sum(dim=1) - 1).clamp(min=0)
    rows = torch.minimum(torch.arange(mask.shape[1], device=mask.device)[None], last[:, None])
    index = rows.view(*rows.shape, *[1] * (keypoints.dim() - 2)).expand_as(keypoints)
    return keypoints.gather(1, index)


class UniSignPartBranch(nn.Module):
    """Linear embedding of (x, y, score), spatial blocks (no temporal kernel), temporal blocks."""

    def __init__(self, graph: str, embed_channels: int, spatial_channels: Sequence[int],
                 temporal_layers: int, temporal_kernel: int):
        super().__init__()
        partitions = distance_partitions(GRAPH_NODES[graph], UNISIGN_GRAPH_EDGES[graph])
        self.embed = nn.Linear(3, embed_channels)
        widths = [embed_channels] + list(spatial_channels)
        self.spatial = nn.ModuleList(STGCNBlock(c_in, c_out, partitions)
                                     for c_in, c_out in zip(widths[:-1], widths[1:]))
        self.temporal = nn.ModuleList(STGCNBlock(widths[-1], widths[-1], partitions,
                                                 temporal_kernel)
                                      for _ in range(temporal_layers))
        self.out_channels = widths[-1]

    def spatial_features(self, points: torch.Tensor) -> torch.Tensor:
        """(B, T, V, 3) -> (B, C, T, V)."""
        x = self.embed(points).permute(0, 3, 1, 2)
        for block in self.spatial:
            x = block(x)
        return x

    def temporal_features(self, x: torch.Tensor) -> torch.Tensor:
        """(B, C, T, V) -> (B, T, C), averaged over joints."""
        for block in self.temporal:
            x = block(x)
        return x.mean(dim=-1).transpose(1, 2)


@MODELS.register_module()
class UniSignPoseEncoder(nn.Module):
    """Uni-Sign's per-part ST-GCN -> one 768-wide token per frame, fed to mT5 as is.

    Same interface as ``PoseEncoder``: keypoints (B, T, 69, 3) in ``PART_ORDER`` (body, left
    hand, right hand, face), normalised by ``NormalizeKeypoints(mode='uni_sign')``.

    Per part: embed -> spatial blocks -> [hands: RGB fusion at the sampled frames] -> + the
    detached spatial feature of one body joint (left wrist, right wrist, nose) -> temporal blocks
    -> mean over joints. The four (B, T, 256) features are concatenated, ``part_para`` is added
    and ``pose_proj`` maps them to the LM's width. The hands share one branch but run as two
    calls, so BatchNorm's training statistics are per hand, as in Uni-Sign.

    Args:
        embed_channels, spatial_channels, temporal_layers, temporal_kernel: Uni-Sign's 64,
            (64, 128, 256), 3, 5.
        out_channels: width of the tokens (mT5-base's 768).
        rgb: config of a hand-feature fusion module, called as
            ``fusion(hand, features, **rgb_inputs)`` with ``hand`` 'left' or 'right' and the
            hand's spatial features (B, C, T, 21), returning features of the same shape
            (``UniSignRGBFusion``: Uni-Sign's RGB branch). ``None``: the pose-only model.
    """

    def __init__(self, embed_channels: int = 64, spatial_channels: Sequence[int] = (64, 128, 256),
                 temporal_layers: int = 3, temporal_kernel: int = 5, out_channels: int = 768,
                 rgb: dict | None = None):
        super().__init__()
        args = (embed_channels, spatial_channels, temporal_layers, temporal_kernel)
        self.branches = nn.ModuleDict({name: UniSignPartBranch(name, *args)
                                       for name in ('body', 'hand', 'face')})
        width = self.branches['body'].out_channels
        self.part_para = nn.Parameter(torch.zeros(len(PART_ORDER) * width))
        self.pose_proj = nn.Linear(len(PART_ORDER) * width, out_channels)
        self.out_channels = out_channels
        self.part_slices, self.context_joint = part_slices(), context_joints()
        self.apply(_init_linear)   # before the RGB fusion, which keeps its own initialisation
        self.rgb_fusion = MODELS.build(rgb) if rgb is not None else None

    def forward(self, keypoints: torch.Tensor, mask: torch.Tensor, **rgb_inputs
                ) -> tuple[torch.Tensor, torch.Tensor]:
        """keypoints (B, T, 69, 3), mask (B, T) True on a prefix of real frames -> tokens
        (B, T, C), mask.

        Padded frames become copies of the clip's last real frame, as Uni-Sign pads its batches;
        they go through the temporal convolutions like real ones, so a clip's tokens depend on
        the batch it is in, as in Uni-Sign (batch size 1: the clip alone).
        """
        keypoints = repeat_last_frame(keypoints, mask)
        body = None
        features = []
        for name in PART_ORDER:
            branch = self.branches[BRANCH_OF_PART[name]]
            x = branch.spatial_features(keypoints[:, :, self.part_slices[name]])
            if name == 'body':
                body = x.detach()
            else:
                if self.rgb_fusion is not None and name != 'face':
                    x = self.rgb_fusion(name.split('_')[0], x, **rgb_inputs)
                x = x + body[..., self.context_joint[name], None]
            features.append(branch.temporal_features(x))
        tokens = self.pose_proj(torch.cat(features, dim=-1) + self.part_para)
        return tokens, mask
