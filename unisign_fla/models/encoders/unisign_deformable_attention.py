"""Uni-Sign's pose-guided deformable attention: hand joints look into their crop's feature map.

The function of Uni-Sign's ``DeformableAttention2D`` (dim 256, 8 heads of 32, 8 offset groups,
offset kernel 1), written anew. Every crop is independent of the others, so all crops of a batch
go through in one call. Per crop, with pose features F (C, J), map R (C, h, w) and the joints'
positions P (J, 2) in [0, 1] of the crop:

1. cross-attention: queries ``F + pe(P)``, keys = values = the h*w map cells plus a fixed
   sinusoid table -> C;
2. ``q = to_q(F + C)`` (grouped 1x1); per group, offsets from its 32 channels
   (``tanh(...) * 4 / 6``), added to the joint's grid position ``2P - 1``;
3. bilinear sampling of each group's channels of R at the moved points -> grouped 1x1 k, v;
4. attention of the J joints over the J sampled points, plus a continuous position bias (CPB)
   of the log-spaced distance between joint i's grid position and point j's moved one; ``to_out``.

Submodule and buffer names are those of Uni-Sign's checkpoint (``to_offsets``, ``rel_pos_bias``,
``to_q``, ``to_k``, ``to_v``, ``to_out``, ``cross_attn``, ``pe_layer``), so its
``fusion_pose_rgb_DA.*`` tensors load with only the prefix changed.
"""
import math

import torch
import torch.nn.functional as F
from torch import Tensor, nn


def sinusoid_table(num_positions: int, channels: int) -> Tensor:
    """(num_positions, channels): ``sin`` / ``cos`` of ``pos / 10000^(2 (j // 2) / channels)`` on
    even / odd channels, computed in float64 like the original, then float32."""
    positions = torch.arange(num_positions, dtype=torch.float64)[:, None]
    exponents = 2 * (torch.arange(channels) // 2).to(torch.float64) / channels
    angles = positions / torch.pow(10000.0, exponents)
    table = torch.where(torch.arange(channels) % 2 == 0, angles.sin(), angles.cos())
    return table.to(torch.float32)


class RandomFourierPointEncoding(nn.Module):
    """Points in [0, 1]^2 -> ``[sin(2 pi (2p - 1) G), cos(2 pi (2p - 1) G)]``, G a fixed random
    (2, channels / 2) matrix kept in the checkpoint (SAM's prompt encoding)."""

    def __init__(self, channels: int):
        super().__init__()
        self.register_buffer('positional_encoding_gaussian_matrix', torch.randn(2, channels // 2))

    def forward(self, points: Tensor) -> Tensor:
        angles = (2 * math.pi) * ((2 * points - 1) @ self.positional_encoding_gaussian_matrix)
        return torch.cat([angles.sin(), angles.cos()], dim=-1)


class ContinuousPositionBias(nn.Module):
    """One attention bias per group from the offset ``d`` between two grid points:
    MLP(``sign(d) * log(1 + |d|)``) (SwinV2's log-spaced CPB), 2 -> hidden -> hidden -> 1."""

    def __init__(self, hidden: int):
        super().__init__()
        self.mlp = nn.ModuleList([nn.Sequential(nn.Linear(2, hidden), nn.ReLU()),
                                  nn.Sequential(nn.Linear(hidden, hidden), nn.ReLU()),
                                  nn.Linear(hidden, 1)])

    def forward(self, query_points: Tensor, key_points: Tensor) -> Tensor:
        """(G, I, 2), (G, J, 2) -> (G, I, J)."""
        delta = query_points[:, :, None] - key_points[:, None]
        bias = torch.sign(delta) * torch.log1p(delta.abs())
        for layer in self.mlp:
            bias = layer(bias)
        return bias.squeeze(-1)


class UniSignDeformableAttention(nn.Module):
    """Pose features (N, C, J), RGB map (N, C, h, w), joint positions (N, J, 2) in [0, 1] of the
    crop -> RGB features at the joints (N, C, J).

    Args:
        channels: pose and map width (256).
        heads: attention heads; also the offset groups (8).
        head_channels: channels per head (32); ``heads * head_channels`` must equal ``channels``.
        map_cells: h * w of the map, the length of the fixed sinusoid table (4 * 4 for 112 px).
        offset_scale: largest offset in grid units ([-1, 1] spans the crop), 4 / 6.
    """

    def __init__(self, channels: int = 256, heads: int = 8, head_channels: int = 32,
                 map_cells: int = 16, offset_scale: float = 4 / 6):
        super().__init__()
        if heads * head_channels != channels:
            raise ValueError(f'heads ({heads}) x head_channels ({head_channels}) must equal '
                             f'channels ({channels})')
        self.heads, self.head_channels, self.offset_scale = heads, head_channels, offset_scale
        self.to_offsets = nn.Sequential(
            nn.Conv1d(head_channels, head_channels, 1, groups=head_channels), nn.GELU(),
            nn.Conv1d(head_channels, 2, 1, bias=False), nn.Tanh())
        self.rel_pos_bias = ContinuousPositionBias(channels // 4)
        self.to_q = nn.Conv1d(channels, channels, 1, groups=heads, bias=False)
        self.to_k = nn.Conv2d(channels, channels, 1, groups=heads, bias=False)
        self.to_v = nn.Conv2d(channels, channels, 1, groups=heads, bias=False)
        self.to_out = nn.Conv1d(channels, channels, 1)
        self.cross_attn = nn.MultiheadAttention(channels, heads, batch_first=True)
        self.pe_layer = RandomFourierPointEncoding(channels)
        self.register_buffer('map_position', sinusoid_table(map_cells, channels),
                             persistent=False)

    def forward(self, pose: Tensor, rgb: Tensor, points: Tensor) -> Tensor:
        n, channels, joints = pose.shape
        cells = rgb.flatten(2).transpose(1, 2)                                # (N, hw, C)
        if cells.shape[1] != len(self.map_position):
            raise ValueError(f'RGB map of {cells.shape[1]} cells, expected '
                             f'{len(self.map_position)} (map_cells)')
        cells = cells + self.map_position
        query = pose.transpose(1, 2) + self.pe_layer(points)
        context = self.cross_attn(query, cells, cells, need_weights=False)[0]
        q = self.to_q(pose + context.transpose(1, 2))                          # (N, C, J)

        groups, width = self.heads, self.head_channels
        offsets = self.to_offsets(q.reshape(n * groups, width, joints)) * self.offset_scale
        grid = (2 * points - 1).transpose(1, 2).repeat_interleave(groups, dim=0)  # (NG, 2, J)
        moved = (grid + offsets).transpose(1, 2)                               # (NG, J, 2)
        sampled = F.grid_sample(rgb.reshape(n * groups, width, *rgb.shape[-2:]), moved[:, None],
                                mode='bilinear', padding_mode='zeros', align_corners=False)
        sampled = sampled.reshape(n, channels, 1, joints)
        k, v = self.to_k(sampled), self.to_v(sampled)

        def heads_first(x: Tensor) -> Tensor:
            return x.reshape(n, groups, width, joints).transpose(2, 3)        # (N, H, J, D)

        q, k, v = heads_first(q * width ** -0.5), heads_first(k), heads_first(v)
        bias = self.rel_pos_bias(grid.transpose(1, 2), moved).reshape(n, groups, joints, joints)
        attn = torch.softmax(q @ k.transpose(2, 3) + bias, dim=-1)
        out = (attn @ v).transpose(2, 3).reshape(n, channels, joints)
        return self.to_out(out)
