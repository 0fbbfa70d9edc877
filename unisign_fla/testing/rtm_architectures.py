"""Random-weight stand-ins for the official RTMPose whole-body and RTMDet person ONNX files.

No pose weights can be downloaded on the machines this project is measured on, but the cost of a
network does not depend on its weights. These are plain-torch re-implementations of the published
architectures (mmpose ``rtmpose-m_8xb64-270e_coco-wholebody-256x192``: CSPNeXt-m + RTMCC head
with SimCC outputs; mmdet ``rtmdet`` person detectors: CSPNeXt + CSPNeXt-PAFPN + separated-BN
head), exported with the input and output names that mmdeploy / rtmlib files have, so
``benchmarks/extract.py`` and the tests drive the ``rtmpose`` backend exactly as real files would.

The detector's end-to-end output (``dets`` (1, K, 5) in input pixels, ``labels`` (1, K)) keeps the
top-K boxes without NMS; the backend runs NMS itself, so real end-to-end files and these agree.
"""
import math
from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import nn


def conv_bn_act(in_ch: int, out_ch: int, kernel: int = 1, stride: int = 1, groups: int = 1):
    return nn.Sequential(nn.Conv2d(in_ch, out_ch, kernel, stride, kernel // 2, groups=groups,
                                   bias=False),
                         nn.BatchNorm2d(out_ch), nn.SiLU())


class CSPNeXtBlock(nn.Module):
    """3x3 conv, then a 5x5 depthwise-separable conv, with an optional identity shortcut."""

    def __init__(self, channels: int, add_identity: bool):
        super().__init__()
        self.conv1 = conv_bn_act(channels, channels, 3)
        self.depthwise = conv_bn_act(channels, channels, 5, groups=channels)
        self.pointwise = conv_bn_act(channels, channels, 1)
        self.add_identity = add_identity

    def forward(self, x):
        out = self.pointwise(self.depthwise(self.conv1(x)))
        return out + x if self.add_identity else out


class ChannelAttention(nn.Module):
    def __init__(self, channels: int):
        super().__init__()
        self.fc = nn.Conv2d(channels, channels, 1)

    def forward(self, x):
        return x * F.hardsigmoid(self.fc(x.mean(dim=(2, 3), keepdim=True)))


class CSPLayer(nn.Module):
    def __init__(self, in_ch: int, out_ch: int, num_blocks: int, add_identity: bool,
                 channel_attention: bool):
        super().__init__()
        mid = out_ch // 2
        self.main_conv = conv_bn_act(in_ch, mid)
        self.short_conv = conv_bn_act(in_ch, mid)
        self.blocks = nn.Sequential(*[CSPNeXtBlock(mid, add_identity) for _ in range(num_blocks)])
        self.attention = ChannelAttention(2 * mid) if channel_attention else nn.Identity()
        self.final_conv = conv_bn_act(2 * mid, out_ch)

    def forward(self, x):
        x = torch.cat([self.blocks(self.main_conv(x)), self.short_conv(x)], dim=1)
        return self.final_conv(self.attention(x))


class SPPF(nn.Module):
    def __init__(self, channels: int):
        super().__init__()
        self.conv1 = conv_bn_act(channels, channels // 2)
        self.conv2 = conv_bn_act(channels * 2, channels)

    def forward(self, x):
        x = self.conv1(x)
        pooled = [x]
        for _ in range(3):
            pooled.append(F.max_pool2d(pooled[-1], 5, 1, 2))
        return self.conv2(torch.cat(pooled, dim=1))


class CSPNeXt(nn.Module):
    """The P5 CSPNeXt backbone; returns the stride 8, 16 and 32 features."""
    STAGES = [(64, 128, 3, True, False), (128, 256, 6, True, False),
              (256, 512, 6, True, False), (512, 1024, 3, False, True)]

    def __init__(self, deepen: float, widen: float):
        super().__init__()
        stem = int(64 * widen)
        self.stem = nn.Sequential(conv_bn_act(3, stem // 2, 3, 2),
                                  conv_bn_act(stem // 2, stem // 2, 3),
                                  conv_bn_act(stem // 2, stem, 3))
        self.stages = nn.ModuleList()
        self.out_channels = []
        for in_ch, out_ch, blocks, identity, spp in self.STAGES:
            in_ch, out_ch = int(in_ch * widen), int(out_ch * widen)
            layers = [conv_bn_act(in_ch, out_ch, 3, 2)] + ([SPPF(out_ch)] if spp else [])
            layers.append(CSPLayer(out_ch, out_ch, max(round(blocks * deepen), 1), identity, True))
            self.stages.append(nn.Sequential(*layers))
            self.out_channels.append(out_ch)
        self.out_channels = self.out_channels[1:]

    def forward(self, x) -> list[torch.Tensor]:
        x = self.stem(x)
        outs = []
        for stage in self.stages:
            x = stage(x)
            outs.append(x)
        return outs[1:]


class ScaleNorm(nn.Module):
    def __init__(self, dim: int):
        super().__init__()
        self.scale = dim ** -0.5
        self.g = nn.Parameter(torch.ones(1))

    def forward(self, x):
        return x / (x.norm(dim=-1, keepdim=True) * self.scale).clamp(min=1e-5) * self.g


class GatedAttentionUnit(nn.Module):
    """RTMCC's GAU over keypoint tokens (self-attention with squared-ReLU kernel)."""

    def __init__(self, dim: int = 256, s: int = 128, expansion: int = 2):
        super().__init__()
        self.e, self.s = dim * expansion, s
        self.norm = ScaleNorm(dim)
        self.uv = nn.Linear(dim, 2 * self.e + s, bias=False)
        self.gamma = nn.Parameter(torch.rand(2, s))
        self.beta = nn.Parameter(torch.rand(2, s))
        self.o = nn.Linear(self.e, dim, bias=False)
        self.res_scale = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        u, v, base = torch.split(F.silu(self.uv(self.norm(x))), [self.e, self.e, self.s], dim=-1)
        base = base.unsqueeze(2) * self.gamma + self.beta
        q, k = base[:, :, 0], base[:, :, 1]
        kernel = F.relu(q @ k.transpose(1, 2) / math.sqrt(self.s)) ** 2
        return x * self.res_scale + self.o(u * (kernel @ v))


class RTMPoseStandIn(nn.Module):
    """RTMPose top-down model: image crop (B, 3, H, W) -> SimCC x (B, K, 2W), y (B, K, 2H)."""

    def __init__(self, num_keypoints: int = 133, input_size=(192, 256), deepen: float = 0.67,
                 widen: float = 0.75, split_ratio: float = 2.0):
        super().__init__()
        self.backbone = CSPNeXt(deepen, widen)
        width, height = input_size
        channels = self.backbone.out_channels[-1]
        self.final_layer = nn.Conv2d(channels, num_keypoints, 7, padding=3)
        tokens_in = (width // 32) * (height // 32)
        self.mlp = nn.Sequential(ScaleNorm(tokens_in), nn.Linear(tokens_in, 256, bias=False))
        self.gau = GatedAttentionUnit(256)
        self.cls_x = nn.Linear(256, int(width * split_ratio), bias=False)
        self.cls_y = nn.Linear(256, int(height * split_ratio), bias=False)

    def forward(self, x):
        feats = self.final_layer(self.backbone(x)[-1]).flatten(2)
        feats = self.gau(self.mlp(feats))
        return self.cls_x(feats), self.cls_y(feats)


class CSPNeXtPAFPN(nn.Module):
    def __init__(self, in_channels: Sequence[int], out_channels: int, num_blocks: int):
        super().__init__()
        c3, c4, c5 = in_channels
        self.reduce = nn.ModuleList([conv_bn_act(c5, c4), conv_bn_act(c4, c3)])
        self.top_down = nn.ModuleList([CSPLayer(2 * c4, c4, num_blocks, False, False),
                                       CSPLayer(2 * c3, c3, num_blocks, False, False)])
        self.down = nn.ModuleList([conv_bn_act(c3, c3, 3, 2), conv_bn_act(c4, c4, 3, 2)])
        self.bottom_up = nn.ModuleList([CSPLayer(2 * c3, c4, num_blocks, False, False),
                                        CSPLayer(2 * c4, c5, num_blocks, False, False)])
        self.out_convs = nn.ModuleList([conv_bn_act(c, out_channels, 3) for c in in_channels])

    def forward(self, feats):
        inner = [feats[2]]
        for i, low in enumerate((feats[1], feats[0])):
            high = self.reduce[i](inner[0])
            inner[0] = high
            inner.insert(0, self.top_down[i](torch.cat([F.interpolate(high, scale_factor=2.0),
                                                        low], dim=1)))
        outs = [inner[0]]
        for i in range(2):
            outs.append(self.bottom_up[i](torch.cat([self.down[i](outs[-1]), inner[i + 1]], 1)))
        return [conv(out) for conv, out in zip(self.out_convs, outs)]


class RTMDetStandIn(nn.Module):
    """RTMDet person detector with end-to-end outputs: letterboxed image -> top-K boxes."""
    SIZES = {'tiny': (0.167, 0.375, 96), 's': (0.33, 0.5, 128), 'm': (0.67, 0.75, 192)}

    def __init__(self, size: str = 'tiny', top_k: int = 100):
        super().__init__()
        deepen, widen, feat = self.SIZES[size]
        self.backbone = CSPNeXt(deepen, widen)
        self.neck = CSPNeXtPAFPN(self.backbone.out_channels, feat, max(round(3 * deepen), 1))
        # Separated-BN head: the convs are shared across levels, the BN layers are not.
        def tower():
            return nn.Sequential(conv_bn_act(feat, feat, 3), conv_bn_act(feat, feat, 3))
        self.cls_convs = nn.ModuleList([tower() for _ in range(3)])
        self.reg_convs = nn.ModuleList([tower() for _ in range(3)])
        for level in range(1, 3):
            for convs in (self.cls_convs, self.reg_convs):
                for k in range(2):
                    convs[level][k][0].weight = convs[0][k][0].weight
        self.rtm_cls = nn.Conv2d(feat, 1, 1)
        self.rtm_reg = nn.Conv2d(feat, 4, 1)
        self.top_k = top_k

    def forward(self, image):
        scores, boxes = [], []
        for level, (x, stride) in enumerate(zip(self.neck(self.backbone(image)), (8, 16, 32))):
            cls = self.rtm_cls(self.cls_convs[level](x)).sigmoid().flatten(1)
            dist = self.rtm_reg(self.reg_convs[level](x)).exp() * stride     # (B, 4, h, w)
            h, w = x.shape[2:]
            ys, xs = torch.meshgrid(torch.arange(h, dtype=x.dtype), torch.arange(w, dtype=x.dtype),
                                    indexing='ij')
            px, py = (xs.flatten() * stride)[None], (ys.flatten() * stride)[None]
            dist = dist.flatten(2)
            boxes.append(torch.stack([px - dist[:, 0], py - dist[:, 1], px + dist[:, 2],
                                      py + dist[:, 3]], dim=-1))
            scores.append(cls)
        scores, boxes = torch.cat(scores, 1), torch.cat(boxes, 1)
        top, index = scores.topk(self.top_k, dim=1)
        picked = torch.gather(boxes, 1, index.unsqueeze(-1).expand(-1, -1, 4))
        return torch.cat([picked, top.unsqueeze(-1)], dim=-1), torch.zeros_like(index)


def export_onnx(model: nn.Module, path: str, input_shape, input_name: str,
                output_names: list[str], dynamic_batch: bool) -> str:
    """Export with random weights (eval mode); ``dynamic_batch`` gives axis 0 a symbolic size."""
    model.eval()
    axes = {input_name: {0: 'batch'}, **{n: {0: 'batch'} for n in output_names}}
    with torch.no_grad():
        torch.onnx.export(model, (torch.zeros(input_shape),), path, opset_version=17,
                          dynamo=False, input_names=[input_name], output_names=output_names,
                          dynamic_axes=axes if dynamic_batch else None)
    return path


def export_rtmpose(path: str, dynamic_batch: bool = True, **kwargs) -> str:
    """RTMPose-m whole-body 256x192 (the defaults) with mmdeploy's names: input -> simcc_x,
    simcc_y."""
    model = RTMPoseStandIn(**kwargs)
    width, height = kwargs.get('input_size', (192, 256))
    return export_onnx(model, path, (1, 3, height, width), 'input', ['simcc_x', 'simcc_y'],
                       dynamic_batch)


def export_rtmdet(path: str, size: str = 'tiny', input_size: int = 640) -> str:
    """RTMDet person detector with mmdeploy's end-to-end names: input -> dets, labels."""
    return export_onnx(RTMDetStandIn(size), path, (1, 3, input_size, input_size), 'input',
                       ['dets', 'labels'], dynamic_batch=False)
