"""Uni-Sign's ST-GCN pieces, channels-first (N, C, T, V), so its checkpoints load unchanged.

Our own blocks (``graph_blocks.py``) differ on purpose (LayerNorm, masking, one adjacency); these
reproduce Uni-Sign's: a K-partition graph convolution (ST-GCN's "distance" strategy: self-links
and 1-hop links as two learned matrices), BatchNorm, and a block ``relu(tcn(gcn(x)) + res(x))``.
BatchNorm makes a clip's features depend on its batch padding, exactly as in Uni-Sign.
"""
from collections.abc import Sequence

import numpy as np
import torch
from torch import nn

from unisign_fla.keypoints import UNISIGN_PARTS

# Uni-Sign's skeletons per part (part-local joints; docs/encoder.md). The body lacks our
# shoulder-shoulder link, and the nose tip (face node 17) links to every other face node.
UNISIGN_GRAPH_EDGES: dict[str, tuple[tuple[int, int], ...]] = {
    'body': ((0, 1), (0, 2), (0, 3), (0, 4), (3, 5), (5, 7), (4, 6), (6, 8)),
    'hand': UNISIGN_PARTS['left_hand'].edges,
    'face': (tuple((i, i + 1) for i in range(8)) + tuple((i, i + 1) for i in range(9, 16))
             + ((16, 9),) + tuple((17, i) for i in range(17))),
}
GRAPH_NODES = {'body': 9, 'hand': 21, 'face': 18}


def distance_partitions(num_nodes: int, edges: Sequence[tuple[int, int]]) -> torch.Tensor:
    """(2, V, V): self-links and 1-hop links of the column-normalised adjacency (A x D^-1),
    indexed [partition, input joint, output joint]."""
    adjacency = np.eye(num_nodes)
    for a, b in edges:
        adjacency[a, b] = adjacency[b, a] = 1.0
    normalized = adjacency / adjacency.sum(axis=0, keepdims=True)
    self_links = np.eye(num_nodes, dtype=bool)
    partitions = np.stack([np.where(self_links, normalized, 0.0),
                           np.where(self_links, 0.0, normalized)])
    return torch.from_numpy(partitions.astype(np.float32))


class ConvBatchNorm(nn.Module):
    """Convolution over time (kernel (k, 1), same padding) + BatchNorm: the temporal
    convolution of a block, and (k = 1) its projecting residual."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int = 1):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, (kernel_size, 1),
                              padding=((kernel_size - 1) // 2, 0))
        self.norm = nn.BatchNorm2d(out_channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.norm(self.conv(x))


class PartitionedGraphConv(nn.Module):
    """1x1 convolution to K x C_out channels, one learned adjacency per partition, summed over
    partitions, then BatchNorm + ReLU."""

    def __init__(self, in_channels: int, out_channels: int, partitions: torch.Tensor):
        super().__init__()
        self.num_partitions = partitions.shape[0]
        self.conv = nn.Conv2d(in_channels, out_channels * self.num_partitions, 1)
        self.adjacency = nn.Parameter(partitions.clone())
        self.norm = nn.BatchNorm2d(out_channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, _, t, v = x.shape
        x = self.conv(x).view(n, self.num_partitions, -1, t, v)
        x = torch.einsum('nkctv,kvw->nctw', x, self.adjacency)
        return torch.relu(self.norm(x))


class STGCNBlock(nn.Module):
    """Graph convolution, temporal convolution (none when ``temporal_kernel`` is 1), residual."""

    def __init__(self, in_channels: int, out_channels: int, partitions: torch.Tensor,
                 temporal_kernel: int = 1):
        super().__init__()
        if temporal_kernel % 2 == 0:
            raise ValueError(f'temporal_kernel must be odd, got {temporal_kernel}')
        self.gcn = PartitionedGraphConv(in_channels, out_channels, partitions)
        self.tcn = (ConvBatchNorm(out_channels, out_channels, temporal_kernel)
                    if temporal_kernel > 1 else nn.Identity())
        self.residual = (nn.Identity() if in_channels == out_channels
                         else ConvBatchNorm(in_channels, out_channels))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(self.tcn(self.gcn(x)) + self.residual(x))
