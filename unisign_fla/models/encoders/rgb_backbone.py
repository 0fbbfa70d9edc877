"""A small CNN over hand crops, for the RGB branch of prior-guided fusion (PGF).

PGF samples the RGB features at each hand joint's position inside its crop (``grid_sample``), so
the backbone returns a spatial feature map, not a pooled vector. With the defaults a 64 px crop
gives an 8 x 8 map (output stride 8) of 256 channels, the width of the pose branch's hand parts.

Pretrained weights are a local ``.safetensors`` file, read with ``safetensors.torch.load_file``
(never a pickle). Its tensors are named as this module's ``state_dict`` keys
(``stem.conv.weight``, ``stages.0.0.conv1.conv.weight``, ..., ``proj.weight``, ``proj.bias``),
with the shapes the config gives; ``save_file(backbone.state_dict(), path)`` writes such a file.
With ``prefix`` (e.g. ``'backbone.'``) only the tensors whose names start with it are read,
prefix removed, so a checkpoint of a larger model works too. The normalisation mean/std are
fixed config values (non-persistent buffers), not part of the file.
"""
from collections.abc import Sequence
from os import PathLike
from pathlib import Path

import torch
from safetensors.torch import load_file
from torch import nn

from unisign_fla.registry import MODELS

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


class ConvNormAct(nn.Sequential):
    """3x3 convolution (no bias), GroupNorm, optional GELU."""

    def __init__(self, in_channels: int, out_channels: int, stride: int, groups: int,
                 act: bool = True):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, 3, stride, padding=1, bias=False)
        self.norm = nn.GroupNorm(groups, out_channels)
        self.act = nn.GELU() if act else nn.Identity()


class SubsampledPointwiseConv(nn.Conv2d):
    """A strided 1x1 convolution (no bias), computed as subsampling then a stride-1 one.

    The same function, but oneDNN's channels-last weight gradient for strided 1x1 convolutions
    aborts the process for some shapes (torch 2.13 CPU, e.g. 3 crops of 32 px, 8 -> 16 channels).
    """

    def __init__(self, in_channels: int, out_channels: int, stride: int):
        super().__init__(in_channels, out_channels, 1, bias=False)
        self.subsample = stride

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return super().forward(x[:, :, ::self.subsample, ::self.subsample])


class ResidualBlock(nn.Module):
    """Two 3x3 conv-norms plus a shortcut (1x1 conv when the shape changes), then GELU."""

    def __init__(self, in_channels: int, out_channels: int, stride: int, groups: int):
        super().__init__()
        self.conv1 = ConvNormAct(in_channels, out_channels, stride, groups)
        self.conv2 = ConvNormAct(out_channels, out_channels, 1, groups, act=False)
        self.shortcut = nn.Identity()
        if stride != 1 or in_channels != out_channels:
            self.shortcut = nn.Sequential(
                SubsampledPointwiseConv(in_channels, out_channels, stride),
                nn.GroupNorm(groups, out_channels))
        self.act = nn.GELU()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.act(self.conv2(self.conv1(x)) + self.shortcut(x))


@MODELS.register_module()
class HandCropBackbone(nn.Module):
    """Hand crops (N, S, S, 3) -> feature map (N, out_channels, ceil(S / 8), ceil(S / 8)).

    A stride-2 stem, then one stage of residual blocks per ``stage_channels`` entry, the first
    block of stage i having stride ``stage_strides[i]``, then a 1x1 projection. Plain 3x3
    convolutions: on crops of 32-112 px they are fast and, at these widths, still small
    (340,384 parameters by default). GroupNorm instead of BatchNorm because the number of crops
    in a batch varies widely (zero included), and it makes train and eval compute the same
    function; GELU as in the pose branch.

    Args:
        stage_channels: width of each stage.
        stage_strides: stride of each stage's first block; the output stride is 2 * their
            product (8 by default, so 64 px -> 8 x 8).
        blocks_per_stage: residual blocks per stage (at least 1).
        out_channels: width of the 1x1 projection (the pose branch's hand part width).
        norm_groups: GroupNorm groups; every stage width must be divisible by it.
        mean / std: per-channel RGB normalisation on the [0, 1] scale (ImageNet by default).
        pretrained: optional local ``.safetensors`` file (format in the module docstring).
        prefix: name prefix of this module's tensors in ``pretrained`` (e.g. ``'backbone.'``).

    Input: uint8 crops in [0, 255] (divided by 255 here), or float crops already in [0, 1]
    (not rescaled), RGB, channels-last.
    """

    def __init__(self, stage_channels: Sequence[int] = (32, 64, 128),
                 stage_strides: Sequence[int] = (1, 2, 2), blocks_per_stage: int = 1,
                 out_channels: int = 256, norm_groups: int = 8,
                 mean: Sequence[float] = IMAGENET_MEAN, std: Sequence[float] = IMAGENET_STD,
                 pretrained: str | PathLike[str] | None = None, prefix: str = ''):
        super().__init__()
        if len(stage_channels) != len(stage_strides) or not stage_channels:
            raise ValueError(f'stage_channels {tuple(stage_channels)} and stage_strides '
                             f'{tuple(stage_strides)} must be non-empty and of equal length')
        if any(c % norm_groups for c in stage_channels):
            raise ValueError(f'stage_channels {tuple(stage_channels)} must be divisible by '
                             f'norm_groups={norm_groups}')
        if blocks_per_stage < 1:
            raise ValueError(f'blocks_per_stage must be at least 1, got {blocks_per_stage}')
        self.register_buffer('mean', torch.tensor(mean, dtype=torch.float32), persistent=False)
        self.register_buffer('std', torch.tensor(std, dtype=torch.float32), persistent=False)
        self.stem = ConvNormAct(3, stage_channels[0], 2, norm_groups)
        stages = []
        in_channels = stage_channels[0]
        for channels, stride in zip(stage_channels, stage_strides):
            blocks = [ResidualBlock(in_channels, channels, stride, norm_groups)]
            blocks += [ResidualBlock(channels, channels, 1, norm_groups)
                       for _ in range(blocks_per_stage - 1)]
            stages.append(nn.Sequential(*blocks))
            in_channels = channels
        self.stages = nn.Sequential(*stages)
        self.proj = nn.Conv2d(in_channels, out_channels, 1)
        self.out_channels = out_channels
        if pretrained is not None:
            self.load_pretrained(pretrained, prefix)

    def forward(self, crops: torch.Tensor) -> torch.Tensor:
        """(N, S, S, 3) uint8 in [0, 255] or float in [0, 1] -> (N, out_channels, H', W')."""
        if crops.dim() != 4 or crops.shape[-1] != 3:
            raise ValueError(f'expected crops of shape (N, S, S, 3), got {tuple(crops.shape)}')
        # The crops are channels-last already, the layout oneDNN's convolutions are fastest on,
        # and the normalisation is one multiply-add with the 1 / 255 of uint8 crops folded into
        # its scale (a SynthSign PGF training step on the 2-core CPU: 3.80 -> 3.17 s).
        scale = 1.0 / self.std
        if crops.dtype == torch.uint8:
            scale = scale / 255.0
        shift = -self.mean / self.std
        x = crops.permute(0, 3, 1, 2).to(self.mean.dtype)
        x = torch.addcmul(shift[:, None, None], x, scale[:, None, None])
        x = x.contiguous(memory_format=torch.channels_last)
        return self.proj(self.stages(self.stem(x)))

    def load_pretrained(self, path: str | PathLike[str], prefix: str = '') -> None:
        """Load a ``.safetensors`` file that matches this module's ``state_dict`` exactly."""
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f'HandCropBackbone pretrained file not found: {path}')
        state = load_file(str(path))
        if prefix:
            state = {k[len(prefix):]: v for k, v in state.items() if k.startswith(prefix)}
        expected = self.state_dict()
        problems = {
            'missing keys': [f'{k} (expected {tuple(v.shape)})'
                             for k, v in expected.items() if k not in state],
            'unexpected keys': [k for k in state if k not in expected],
            'shape mismatches': [
                f'{k} (got {tuple(v.shape)}, expected {tuple(expected[k].shape)})'
                for k, v in state.items() if k in expected and v.shape != expected[k].shape],
        }
        messages = [f'{len(items)} {kind}: ' + ', '.join(items[:5])
                    + (', ...' if len(items) > 5 else '')
                    for kind, items in problems.items() if items]
        if messages:
            raise ValueError(f'HandCropBackbone weights in {path} (prefix {prefix!r}) do not '
                             'match the model; ' + '; '.join(messages))
        self.load_state_dict(state)
