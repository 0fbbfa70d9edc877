"""Uni-Sign's RGB branch as ``UniSignPoseEncoder``'s ``rgb`` hook, for its RGB-pose checkpoints.

Uni-Sign batches its crops per hand, not per clip: ``{hand}_hands`` (N, 3, 112, 112) of the whole
batch with ``{hand}_sampled_indices`` (N,) (the frame of each crop, -1 for a clip without crops
of that hand, which then has one zero placeholder crop), ``{hand}_skeletons_norm`` (N, 21, 2) and
``{hand}_batch_index`` (N,) (the clip of each crop): what ``UniSignHandCrops`` cuts and
``sign_collate`` concatenates. Checkpoint names: ``backbone.*`` and ``fusion.*``
(``unisign_pgf.py`` lists Uni-Sign's).
"""

from torch import Tensor, nn

from unisign_fla.models.encoders.efficientnet_b0 import EfficientNetB0Features  # noqa: F401  (registers the default)
from unisign_fla.models.encoders.unisign_pgf import UniSignDeformableFusion  # noqa: F401
from unisign_fla.registry import MODELS


@MODELS.register_module()
class UniSignRGBFusion(nn.Module):
    """EfficientNet-B0 maps of one hand's crops -> Uni-Sign's PGF into that hand's features.

    Args:
        backbone: config of the crop backbone (``EfficientNetB0Features``).
        fusion: config of the fusion (``UniSignDeformableFusion``).

    ``last_gate`` is the mean gate over the real crops of both hands of the last forward pass
    (None without crops), weighted by crops as Uni-Sign's logged statistic.
    """

    def __init__(self, backbone: dict | None = None, fusion: dict | None = None):
        super().__init__()
        self.backbone = MODELS.build(backbone or dict(type='EfficientNetB0Features'))
        self.fusion = MODELS.build(fusion or dict(type='UniSignDeformableFusion'))
        self._gates = {}

    @property
    def last_gate(self) -> Tensor | None:
        gates = [(g, k) for g, k in self._gates.values() if g is not None]
        if not gates:
            return None
        return sum(g * k for g, k in gates) / sum(k for _, k in gates)

    def forward(self, hand: str, features: Tensor, **inputs) -> Tensor:
        """hand 'left' or 'right', its features (B, C, T, 21) -> the same with the crops' frames
        fused. Inputs of other names (the other hand's, other encoders') are ignored.

        The backbone sees every crop, placeholders included, as in Uni-Sign, whose BatchNorm
        training statistics count them."""
        frames = inputs[f'{hand}_sampled_indices']
        out = self.fusion(features, self.backbone(inputs[f'{hand}_hands']),
                          inputs[f'{hand}_batch_index'], frames, inputs[f'{hand}_skeletons_norm'])
        self._gates[hand] = (self.fusion.last_gate, int((frames >= 0).sum()))
        return out
