"""EfficientNet-B0's convolutional trunk, the RGB backbone of Uni-Sign's released checkpoints.

Uni-Sign encodes each hand crop with torchvision's ``efficientnet_b0().features`` (pooling and
classifier dropped). This module computes the same function in plain torch, so that checkpoint
can be loaded without torchvision; its ``state_dict`` keys are torchvision's ``features`` keys
(``0.0.weight``, ``0.1.running_mean``, ``1.0.block.0.0.weight``, ``1.0.block.1.fc1.weight``, ...,
``8.1.bias``), so Uni-Sign's ``rgb_support_backbone.0.<key>`` tensors load as they are with the
prefix removed (``split_unisign_rgb_state`` in ``unisign_pgf.py`` does that).

Layout (index: what): 0 stem 3x3/2 conv-BN-SiLU to 32; 1-7 stages of MBConv blocks
(expand 1x1, depthwise kxk, squeeze-excitation, project 1x1); 8 head 1x1 conv-BN-SiLU to 1280.
The output stride is 32: 112 px crops give (K, 1280, 4, 4).
"""
from typing import NamedTuple

import torch
from torch import Tensor, nn

from unisign_fla.registry import MODELS


class StageConfig(NamedTuple):
    expand_ratio: int
    kernel: int
    stride: int
    out_channels: int
    num_blocks: int


# EfficientNet-B0 (Tan & Le 2019, table 1); the stem gives 32 channels, the head 1280.
B0_STAGES = (
    StageConfig(1, 3, 1, 16, 1),
    StageConfig(6, 3, 2, 24, 2),
    StageConfig(6, 5, 2, 40, 2),
    StageConfig(6, 3, 2, 80, 3),
    StageConfig(6, 5, 1, 112, 3),
    StageConfig(6, 5, 2, 192, 4),
    StageConfig(6, 3, 1, 320, 1),
)
STEM_CHANNELS = 32
HEAD_CHANNELS = 1280


class ConvBN(nn.Sequential):
    """Convolution without bias, BatchNorm, optional SiLU: keys ``0.weight``, ``1.*``."""

    def __init__(self, in_channels: int, out_channels: int, kernel: int = 1, stride: int = 1,
                 groups: int = 1, act: bool = True):
        layers = [nn.Conv2d(in_channels, out_channels, kernel, stride, (kernel - 1) // 2,
                            groups=groups, bias=False),
                  nn.BatchNorm2d(out_channels)]
        if act:
            layers.append(nn.SiLU())
        super().__init__(*layers)


class SqueezeExcitation(nn.Module):
    """Channel gates from the pooled map: ``x * sigmoid(fc2(SiLU(fc1(mean(x)))))``."""

    def __init__(self, channels: int, squeeze_channels: int):
        super().__init__()
        self.fc1 = nn.Conv2d(channels, squeeze_channels, 1)
        self.fc2 = nn.Conv2d(squeeze_channels, channels, 1)

    def forward(self, x: Tensor) -> Tensor:
        scale = self.fc2(nn.functional.silu(self.fc1(x.mean((2, 3), keepdim=True))))
        return x * torch.sigmoid(scale)


class MBConv(nn.Module):
    """Inverted residual block; the residual (stride 1, same width) is dropped per sample with
    probability ``drop_prob`` in training (stochastic depth), as in the ImageNet recipe."""

    def __init__(self, in_channels: int, out_channels: int, expand_ratio: int, kernel: int,
                 stride: int, drop_prob: float):
        super().__init__()
        hidden = in_channels * expand_ratio
        layers = [ConvBN(in_channels, hidden)] if expand_ratio != 1 else []
        layers += [ConvBN(hidden, hidden, kernel, stride, groups=hidden),
                   SqueezeExcitation(hidden, max(1, in_channels // 4)),
                   ConvBN(hidden, out_channels, act=False)]
        self.block = nn.Sequential(*layers)
        self.residual = stride == 1 and in_channels == out_channels
        self.drop_prob = drop_prob

    def forward(self, x: Tensor) -> Tensor:
        out = self.block(x)
        if not self.residual:
            return out
        if self.training and self.drop_prob > 0:
            keep = 1.0 - self.drop_prob
            mask = out.new_empty(out.shape[0], 1, 1, 1).bernoulli_(keep)
            out = out * mask / keep
        return out + x


@MODELS.register_module()
class EfficientNetB0Features(nn.Sequential):
    """Normalised RGB crops (K, 3, S, S) -> feature map (K, 1280, S / 32, S / 32).

    Args:
        stochastic_depth_prob: residual drop probability of the last block in training, rising
            linearly from 0 at the first block (torchvision's default 0.2). No effect in eval.

    Input is ImageNet-normalised float, channels first, as Uni-Sign's data pipeline makes it.
    BatchNorm follows ``train()`` / ``eval()``: use eval mode to reproduce a checkpoint.
    """

    def __init__(self, stochastic_depth_prob: float = 0.2):
        layers = [ConvBN(3, STEM_CHANNELS, 3, 2)]
        total = sum(stage.num_blocks for stage in B0_STAGES)
        in_channels, block_id = STEM_CHANNELS, 0
        for stage in B0_STAGES:
            blocks = []
            for i in range(stage.num_blocks):
                blocks.append(MBConv(in_channels, stage.out_channels, stage.expand_ratio,
                                     stage.kernel, stage.stride if i == 0 else 1,
                                     stochastic_depth_prob * block_id / total))
                in_channels, block_id = stage.out_channels, block_id + 1
            layers.append(nn.Sequential(*blocks))
        layers.append(ConvBN(in_channels, HEAD_CHANNELS))
        super().__init__(*layers)
        self.out_channels = HEAD_CHANNELS
