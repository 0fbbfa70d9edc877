"""Uni-Sign checkpoints (``torch.save({'model': state_dict})``) -> our ``SignTranslator`` names.

Every key of Uni-Sign's ``Uni_Sign`` module has exactly one destination, listed in
``KEY_RULES`` (docs/encoder.md, "Uni-Sign's architecture"); a key that matches no rule is an
error naming it, so a checkpoint of another layout is never half loaded. Uni-Sign's left and
right hands share one module, which its state dict stores twice: we keep one copy after checking
that both are equal. ``fusion_pose_rgb_linear`` is never used by Uni-Sign's forward pass and is
dropped. Released checkpoints may be bf16; floating tensors are upcast to float32.
"""
import os
import re
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Tuple

import torch

from unisign_fla.engine.checkpoint import load_checkpoint

PARTS = {'body': 'body', 'left': 'hand', 'right': 'hand', 'face_all': 'face'}
_PART = '(body|left|right|face_all)'
# Inside an ST-GCN block: Uni-Sign's Sequential indices and short names -> ours.
BLOCK_RENAMES = (('gcn.A', 'gcn.adjacency'), ('gcn.bn.', 'gcn.norm.'), ('tcn.0.', 'tcn.conv.'),
                 ('tcn.1.', 'tcn.norm.'), ('residual.0.', 'residual.conv.'),
                 ('residual.1.', 'residual.norm.'))
# The pose-RGB fusion (PGF) of the RGB-pose checkpoints, not in the pose-only variant yet.
RGB_PREFIXES = ('rgb_support_backbone.', 'rgb_proj.', 'fusion_pose_rgb_DA.', 'fusion_gate.')
DROPPED_PREFIXES = ('fusion_pose_rgb_linear.',)


def _block(rest: str) -> str:
    for old, new in BLOCK_RENAMES:
        if rest.startswith(old):
            return new + rest[len(old):]
    return rest


KEY_RULES: Tuple[Tuple[str, Callable[[re.Match], str]], ...] = (
    (rf'proj_linear\.{_PART}\.(.+)', lambda m: f'encoder.branches.{PARTS[m[1]]}.embed.{m[2]}'),
    (rf'gcn_modules\.{_PART}\.layer(\d+)_0\.(.+)',
     lambda m: f'encoder.branches.{PARTS[m[1]]}.spatial.{m[2]}.{_block(m[3])}'),
    (rf'fusion_gcn_modules\.{_PART}\.layer0_(\d+)\.(.+)',
     lambda m: f'encoder.branches.{PARTS[m[1]]}.temporal.{m[2]}.{_block(m[3])}'),
    (r'(part_para|pose_proj\..+)', lambda m: f'encoder.{m[1]}'),
    (r'mt5_model\.(.+)', lambda m: f'head.lm.{m[1]}'),
)


@dataclass
class ConversionReport:
    """What ``convert_unisign_state_dict`` did, for the CLI to print."""
    converted: int = 0
    deduplicated: List[str] = field(default_factory=list)   # right-hand copies of shared weights
    dropped: List[str] = field(default_factory=list)
    upcast: int = 0


def unisign_state_dict(checkpoint: dict, name: str) -> Dict[str, torch.Tensor]:
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


def convert_unisign_state_dict(state: Dict[str, torch.Tensor], name: str = 'checkpoint'
                               ) -> Tuple[Dict[str, torch.Tensor], ConversionReport]:
    """Rename Uni-Sign's pose-only model weights to a ``SignTranslator`` with a
    ``UniSignPoseEncoder`` and an adapter-free ``LanguageModelHead``."""
    report = ConversionReport()
    rgb = sorted(k for k in state if k.startswith(RGB_PREFIXES))
    if rgb:
        raise ValueError(f'{name}: an RGB-pose checkpoint ({len(rgb)} weights of Uni-Sign\'s '
                         f'RGB branch: {", ".join(rgb[:4])}, ...); only pose-only checkpoints '
                         f'convert so far')
    unknown = sorted(k for k in state if not k.startswith(DROPPED_PREFIXES)
                     and target_key(k) is None)
    if unknown:
        raise ValueError(f'{name}: {len(unknown)} keys are not part of Uni-Sign\'s model: '
                         f'{", ".join(unknown[:8])}{", ..." if len(unknown) > 8 else ""}')
    out: Dict[str, torch.Tensor] = {}
    sources: Dict[str, str] = {}
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


def convert_unisign_checkpoint(src: str, out: str) -> ConversionReport:
    """Read ``src`` with the weights-only loader, convert it, write an mmengine-style checkpoint
    ``{'state_dict': ..., 'meta': ...}`` that ``tools/test.py`` loads strictly with
    ``configs/unisign/unisign_pose_slt.py``."""
    state = unisign_state_dict(load_checkpoint(src), src)
    converted, report = convert_unisign_state_dict(state, src)
    meta = dict(converted_from='uni_sign', source=os.path.basename(src),
                dropped=report.dropped, deduplicated=report.deduplicated)
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    torch.save({'state_dict': converted, 'meta': meta}, out)
    return report
