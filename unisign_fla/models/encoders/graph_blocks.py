"""Building blocks of the per-part ST-GCN, channels-last: features are (N, T, V, C).

LayerNorm (per frame and joint) instead of BatchNorm, and masking before every temporal
convolution, make a clip's features independent of whatever it is padded with in a batch.
"""

import numpy as np
import torch
from torch import nn


def normalized_adjacency(adjacency: np.ndarray) -> torch.Tensor:
    """Symmetric normalisation D^-1/2 A D^-1/2 of a 0/1 adjacency with self-loops."""
    degree = adjacency.sum(axis=1)
    inv_sqrt = 1.0 / np.sqrt(degree)
    return torch.from_numpy((adjacency * inv_sqrt[:, None] * inv_sqrt[None, :]).astype(np.float32))


class SpatialGraphBlock(nn.Module):
    """Mix each joint with its neighbours through a learnable adjacency, then mix channels."""

    def __init__(self, in_channels: int, out_channels: int, adjacency: np.ndarray):
        super().__init__()
        self.adjacency = nn.Parameter(normalized_adjacency(adjacency))
        self.linear = nn.Linear(in_channels, out_channels)
        self.norm = nn.LayerNorm(out_channels)
        self.residual = (nn.Identity() if in_channels == out_channels
                         else nn.Linear(in_channels, out_channels, bias=False))
        self.act = nn.GELU()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        mixed = torch.einsum('uv,ntvc->ntuc', self.adjacency, x)
        return self.act(self.norm(self.linear(mixed)) + self.residual(x))


class TemporalBlock(nn.Module):
    """Convolution over time for every joint, residual, with padded frames zeroed first.

    With ``stride`` s the block keeps frames 0, s, 2s, ... (convolution centred on them, residual
    taken from them), so the blocks after it run on T / s frames: most of the encoder's cost.
    ``forward`` returns the features and the mask of the kept frames.
    """

    def __init__(self, channels: int, kernel_size: int = 5, dropout: float = 0.0,
                 stride: int = 1):
        super().__init__()
        if kernel_size % 2 == 0:
            raise ValueError(f'temporal kernel_size must be odd, got {kernel_size}')
        self.stride = stride
        self.conv = nn.Conv2d(channels, channels, (kernel_size, 1), stride=(stride, 1),
                              padding=(kernel_size // 2, 0))
        self.norm = nn.LayerNorm(channels)
        self.act = nn.GELU()
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor, mask: torch.Tensor
                ) -> tuple[torch.Tensor, torch.Tensor]:
        x = x * mask[:, :, None, None]
        y = self.conv(x.permute(0, 3, 1, 2)).permute(0, 2, 3, 1)
        x, mask = x[:, ::self.stride], mask[:, ::self.stride]
        # Dropout after the norm: inverted dropout then keeps the expected output of training
        # equal to evaluation's (before it, the norm re-scaled the dropped features).
        return self.act(self.dropout(self.norm(y)) + x) * mask[:, :, None, None], mask


class MaskedBatchNorm(nn.Module):
    """BatchNorm over every (joint, channel) of (N, T, V, C) features, with statistics of real
    frames only; padded frames are left out of the statistics and set to zero, so padding cannot
    change a clip's features.

    Two uses. On the input it is ST-GCN's data BatchNorm: normalised keypoints are small (a hand
    spans ~0.2) and the parts differ in scale, so without it the embedding's bias dominates. On
    the output tokens it removes the component shared by every clip: LayerNorm + GELU features
    are mostly that component, and a translator fed them learns the sentences as a language
    model and ignores the video (measured: same loss with the clips' tokens shuffled).
    """

    def __init__(self, num_joints: int, channels: int = 3, momentum: float = 0.1,
                 eps: float = 1e-5):
        super().__init__()
        self.norm = nn.BatchNorm1d(num_joints * channels, momentum=momentum, eps=eps)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        n, t, v, c = x.shape
        # Statistics in float32 also under bf16 autocast, as torch's own BatchNorm keeps them.
        flat = x.reshape(n * t, v * c).float()
        norm = self.norm
        valid = flat[mask.reshape(-1)]
        if self.training and len(valid) > 1:
            mean, var = valid.mean(dim=0), valid.var(dim=0, unbiased=False)
            with torch.no_grad():
                unbiased = var * len(valid) / (len(valid) - 1)
                norm.running_mean.lerp_(mean, norm.momentum)
                norm.running_var.lerp_(unbiased, norm.momentum)
        else:
            mean, var = norm.running_mean, norm.running_var
        out = (flat - mean) * torch.rsqrt(var + norm.eps) * norm.weight + norm.bias
        return out.to(x.dtype).reshape(n, t, v, c) * mask[:, :, None, None]
