"""Uni-Sign checkpoints (``torch.save({'model': state_dict})``) -> our ``SignTranslator`` names.

Every key of Uni-Sign's ``Uni_Sign`` module has exactly one destination, listed in
``KEY_RULES`` (docs/encoder.md, "Uni-Sign's architecture"); a key that matches no rule is an
error naming it, so a checkpoint of another layout is never half loaded. Uni-Sign's left and
right hands share one module, which its state dict stores twice: we keep one copy after checking
that both are equal. ``fusion_pose_rgb_linear`` is never used by Uni-Sign's forward pass and is
dropped. Released checkpoints may be bf16; floating tensors are upcast to float32. An RGB-pose
checkpoint's RGB branch goes to ``encoder.rgb_fusion`` (``UniSignRGBFusion``); whether its PGF gate
is closed for good, which makes that branch change nothing, is reported.
"""
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import torch

from unisign_fla.engine.checkpoint import load_checkpoint
from unisign_fla.models.encoders.unisign_pgf import (
    UNISIGN_BACKBONE_PREFIX,
    UNISIGN_FUSION_PREFIXES,
    UNISIGN_UNUSED_PREFIXES,
)

PARTS = {'body': 'body', 'left': 'hand', 'right': 'hand', 'face_all': 'face'}
_PART = '(body|left|right|face_all)'
# Inside an ST-GCN block: Uni-Sign's Sequential indices and short names -> ours.
BLOCK_RENAMES = (('gcn.A', 'gcn.adjacency'), ('gcn.bn.', 'gcn.norm.'), ('tcn.0.', 'tcn.conv.'),
                 ('tcn.1.', 'tcn.norm.'), ('residual.0.', 'residual.conv.'),
                 ('residual.1.', 'residual.norm.'))
# The RGB branch (EfficientNet-B0 and PGF) of the RGB-pose checkpoints.
RGB_PREFIXES = (UNISIGN_BACKBONE_PREFIX,) + tuple(UNISIGN_FUSION_PREFIXES)
DROPPED_PREFIXES = UNISIGN_UNUSED_PREFIXES
RGB_FUSION = 'encoder.rgb_fusion.'
# PGF's gate is ReLU(tanh(last_gate_conv(...))): zero for every input when the last convolution's
# weight is zero and its bias <= 0.
LAST_GATE_CONV = 'fusion_gate.2.'


def _block(rest: str) -> str:
    for old, new in BLOCK_RENAMES:
        if rest.startswith(old):
            return new + rest[len(old):]
    return rest


KEY_RULES: tuple[tuple[str, Callable[[re.Match], str]], ...] = (
    (rf'proj_linear\.{_PART}\.(.+)', lambda m: f'encoder.branches.{PARTS[m[1]]}.embed.{m[2]}'),
    (rf'gcn_modules\.{_PART}\.layer(\d+)_0\.(.+)',
     lambda m: f'encoder.branches.{PARTS[m[1]]}.spatial.{m[2]}.{_block(m[3])}'),
    (rf'fusion_gcn_modules\.{_PART}\.layer0_(\d+)\.(.+)',
     lambda m: f'encoder.branches.{PARTS[m[1]]}.temporal.{m[2]}.{_block(m[3])}'),
    (r'(part_para|pose_proj\..+)', lambda m: f'encoder.{m[1]}'),
    (r'mt5_model\.(.+)', lambda m: f'head.lm.{m[1]}'),
    (re.escape(UNISIGN_BACKBONE_PREFIX) + '(.+)', lambda m: f'{RGB_FUSION}backbone.{m[1]}'),
    *((re.escape(theirs) + '(.+)', lambda m, ours=ours: f'{RGB_FUSION}fusion.{ours}{m[1]}')
      for theirs, ours in UNISIGN_FUSION_PREFIXES.items()),
)


@dataclass
class ConversionReport:
    """What ``convert_unisign_state_dict`` did, for the CLI to print."""
    converted: int = 0
    deduplicated: list[str] = field(default_factory=list)   # right-hand copies of shared weights
    dropped: list[str] = field(default_factory=list)
    upcast: int = 0
    rgb: int = 0                      # tensors of the RGB branch (0: a pose-only checkpoint)
    gate_closed: bool | None = None   # PGF's gate zero for every input; None without RGB
    rgb_left_out: int = 0             # RGB-branch tensors not written (``pose_only``)


def unisign_state_dict(checkpoint: dict, name: str) -> dict[str, torch.Tensor]:
    """The state dict inside a Uni-Sign checkpoint (``{'model': ...}``) or a bare state dict."""
    state = checkpoint.get('model', checkpoint) if isinstance(checkpoint, dict) else None
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise ValueError(f'{name}: expected a Uni-Sign checkpoint {{"model": state_dict}} or a '
                         f'state dict of tensors')
    return state


def target_key(key: str) -> str | None:
    """Our name for one Uni-Sign key; ``None`` when no rule matches."""
    for pattern, rename in KEY_RULES:
        match = re.fullmatch(pattern, key)
        if match:
            return rename(match)
    return None


def pgf_gate_closed(state: dict[str, torch.Tensor]) -> bool | None:
    """Whether a Uni-Sign RGB-pose checkpoint's gate is zero whatever the input (the RGB branch
    then changes nothing, as with Uni-Sign's own zero initialisation); None without a gate."""
    weight, bias = state.get(LAST_GATE_CONV + 'weight'), state.get(LAST_GATE_CONV + 'bias')
    if weight is None or bias is None:
        return None
    return bool((weight == 0).all() and (bias <= 0).all())


def convert_unisign_state_dict(state: dict[str, torch.Tensor], name: str = 'checkpoint'
                               ) -> tuple[dict[str, torch.Tensor], ConversionReport]:
    """Rename Uni-Sign's model weights to a ``SignTranslator`` with a ``UniSignPoseEncoder``
    (with ``rgb=dict(type='UniSignRGBFusion')`` for an RGB-pose checkpoint) and an adapter-free
    ``LanguageModelHead``."""
    report = ConversionReport(rgb=sum(k.startswith(RGB_PREFIXES) for k in state),
                              gate_closed=pgf_gate_closed(state))
    unknown = sorted(k for k in state if not k.startswith(DROPPED_PREFIXES)
                     and target_key(k) is None)
    if unknown:
        raise ValueError(f'{name}: {len(unknown)} keys are not part of Uni-Sign\'s model: '
                         f'{", ".join(unknown[:8])}{", ..." if len(unknown) > 8 else ""}')
    out: dict[str, torch.Tensor] = {}
    sources: dict[str, str] = {}
    for key, tensor in state.items():
        if key.startswith(DROPPED_PREFIXES):
            report.dropped.append(key)
            continue
        if tensor.is_floating_point() and tensor.dtype != torch.float32:
            tensor = tensor.float()
            report.upcast += 1
        new = target_key(key)
        if new in out:
            if out[new].shape != tensor.shape or not torch.equal(out[new], tensor):
                raise ValueError(f'{name}: {sources[new]} and {key} should be one shared weight '
                                 f'(Uni-Sign ties the hands) but differ')
            report.deduplicated.append(key)
            continue
        out[new], sources[new] = tensor, key
        report.converted += 1
    return out, report


def convert_unisign_checkpoint(src: str, out: str, pose_only: bool = False) -> ConversionReport:
    """Read ``src`` with the weights-only loader, convert it, write an mmengine-style checkpoint
    ``{'state_dict': ..., 'meta': ...}`` that ``tools/test.py`` loads strictly with
    ``configs/unisign/unisign_pose_slt.py`` (pose-only) or ``unisign_rgb_pose_slt.py``.
    ``pose_only`` leaves an RGB-pose checkpoint's RGB branch out (``report.rgb_left_out``): the
    pose-only configs then load it, which is all such a model is when its gate is closed."""
    state = unisign_state_dict(load_checkpoint(src), src)
    converted, report = convert_unisign_state_dict(state, src)
    if pose_only:
        rgb = [k for k in converted if k.startswith(RGB_FUSION)]
        for key in rgb:
            del converted[key]
        report.rgb_left_out = len(rgb)
    meta = dict(converted_from='uni_sign', source=os.path.basename(src),
                dropped=report.dropped, deduplicated=report.deduplicated,
                pgf_gate_closed=report.gate_closed, pose_only=pose_only)
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    torch.save({'state_dict': converted, 'meta': meta}, out)
    return report
