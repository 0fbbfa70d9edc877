"""Prior-guided fusion (PGF, Uni-Sign): RGB hand-crop features enter the hand-joint features.

2-D keypoints lose what the hand looks like (finger contact, palm orientation); the crops keep it.
Each hand joint of a frame that has a crop queries the crop's feature map: cross-attention over
the whole map (with position encodings of the joint and of the map cells inside the crop), then
deformable sampling around the joint's own position (the pose is the prior that guides where to
look); a per-joint gate mixes the result into the pose feature. Only frames chosen by
score-aware sampling have crops, so RGB costs little.

The gate is where the reference code fails: ``ReLU(tanh(Linear))`` with a zero-initialised last
layer outputs exactly 0 and passes no gradient, so the RGB branch never trains. Here the gate is
a sigmoid whose bias starts it at ``gate_init`` (close to pose-only), with gradients from step one;
``gate='reference'`` keeps the reference behaviour for ablations.
"""
import math

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from unisign_fla.registry import MODELS

GATES = ('sigmoid', 'reference')


class JointPositionEncoding(nn.Module):
    """Fourier features of a joint's (x, y) inside its crop, projected to the feature width."""

    def __init__(self, channels: int, num_frequencies: int = 8):
        super().__init__()
        self.register_buffer('frequencies', math.pi * 2.0 ** torch.arange(num_frequencies),
                             persistent=False)
        self.proj = nn.Linear(4 * num_frequencies, channels)

    def forward(self, positions: Tensor) -> Tensor:
        angles = positions[..., None] * self.frequencies            # (..., 2, F)
        features = torch.cat([angles.sin(), angles.cos()], dim=-1)   # (..., 2, 2F)
        return self.proj(features.flatten(-2))


@MODELS.register_module()
class PriorGuidedFusion(nn.Module):
    """Cross-attention, deformable sampling of the crop feature map around each joint, gate.

    Args:
        channels: width of the hand-joint features and of the RGB feature map.
        num_heads: heads of the cross-attention from joints to map cells.
        num_points: sampling points per joint; their offsets and weights are predicted from the
            joint's query (pose feature + position encoding).
        offset_range: largest offset from the joint, as a fraction of the crop side.
        gate: ``'sigmoid'`` (ours) or ``'reference'`` (``ReLU(tanh(.))``, zero-initialised).
        gate_init: initial gate value of the sigmoid gate (0 = pose only).

    ``last_gate`` holds the mean gate of the last forward (detached; None if it had no crops):
    whether the gate opens is the first thing to check when RGB does not help, so the model
    logs it during training (``pgf_gate``). ``last_record`` keeps the same forward's gate per
    crop and joint, ``{'gate': (N, J), 'crop_index': (N, 3)}`` (detached, left on the device so
    training does not wait for a copy; None without crops), for a figure of where RGB enters
    (``tools/visualize.py gate``).
    """

    def __init__(self, channels: int, num_heads: int = 4, num_points: int = 4,
                 offset_range: float = 0.25, gate: str = 'sigmoid', gate_init: float = 0.05):
        super().__init__()
        if gate not in GATES:
            raise ValueError(f'gate={gate!r}: expected one of {GATES}')
        if not 0.0 < gate_init < 1.0:
            raise ValueError(f'gate_init must be in (0, 1), got {gate_init}')
        self.num_points, self.offset_range, self.gate_kind = num_points, offset_range, gate
        self.position = JointPositionEncoding(channels)
        self.attention = nn.MultiheadAttention(channels, num_heads, batch_first=True)
        self.offsets = nn.Linear(channels, num_points * 2)
        self.weights = nn.Linear(channels, num_points)
        self.value = nn.Linear(channels, channels)
        self.norm = nn.LayerNorm(channels)
        self.gate = nn.Linear(2 * channels, 1)
        self._init_sampling()
        self.last_gate = self.last_record = None
        if gate == 'sigmoid':
            nn.init.normal_(self.gate.weight, std=0.01)
            nn.init.constant_(self.gate.bias, math.log(gate_init / (1.0 - gate_init)))
        else:
            nn.init.zeros_(self.gate.weight)
            nn.init.zeros_(self.gate.bias)

    def _init_sampling(self) -> None:
        """Start with the points on a ring of half the offset range around the joint."""
        nn.init.zeros_(self.offsets.weight)
        angles = torch.arange(self.num_points) * (2 * math.pi / self.num_points)
        ring = torch.stack([angles.cos(), angles.sin()], dim=-1) * 0.5
        with torch.no_grad():
            self.offsets.bias.copy_(torch.atanh(ring.clamp(-0.99, 0.99)).flatten())

    def gate_values(self, pose: Tensor, rgb: Tensor) -> Tensor:
        logits = self.gate(torch.cat([pose, rgb], dim=-1))
        if self.gate_kind == 'sigmoid':
            return torch.sigmoid(logits)
        return torch.relu(torch.tanh(logits))

    def fuse(self, pose: Tensor, rgb_maps: Tensor, joints: Tensor) -> Tensor:
        """pose (N, J, C) features of the crops' frames, rgb_maps (N, C, H, W), joints (N, J, 2)
        in [0, 1] crop coordinates -> fused (N, J, C)."""
        n, j, _ = pose.shape
        height, width = rgb_maps.shape[-2:]
        cells = torch.stack(torch.meshgrid((torch.arange(width) + 0.5) / width,
                                           (torch.arange(height) + 0.5) / height,
                                           indexing='xy'), dim=-1).to(rgb_maps)   # (H, W, 2)
        keys = rgb_maps.flatten(2).transpose(1, 2)                           # (N, HW, C)
        query = pose + self.position(joints)
        query = query + self.attention(query, keys + self.position(cells.view(-1, 2)), keys,
                                       need_weights=False)[0]
        offsets = torch.tanh(self.offsets(query)).view(n, j, self.num_points, 2)
        points = joints[:, :, None] + self.offset_range * offsets            # (N, J, P, 2)
        sampled = F.grid_sample(rgb_maps, 2.0 * points - 1.0, mode='bilinear',
                                padding_mode='zeros', align_corners=False)   # (N, C, J, P)
        weights = torch.softmax(self.weights(query), dim=-1)                 # (N, J, P)
        rgb = self.value(self.norm(torch.einsum('ncjp,njp->njc', sampled, weights)))
        gate = self.gate_values(pose, rgb)
        self.last_gate = gate.detach().mean()
        self._last_joint_gate = gate.detach()[..., 0]
        # g * (pose + rgb) + (1 - g) * pose: an uninformative rgb barely moves the pose feature.
        # Mixing in LayerNorm(pose + rgb) instead rescales the pose feature of every frame with a
        # crop; on SynthSign ISLR that shut the gate (0.05 -> 0.01) before the backbone learnt.
        return pose + gate * rgb

    def forward(self, hands: Tensor, rgb_maps: Tensor, crop_index: Tensor,
                joints: Tensor) -> Tensor:
        """hands (2B, T, J, C) with left hands first, as the pose encoder batches them;
        crop_index (N, 3) = (batch, frame, hand). Frames without a crop are unchanged."""
        if len(crop_index) == 0:
            self.last_gate = self.last_record = None
            return hands
        batch = hands.shape[0] // 2
        rows = crop_index[:, 2] * batch + crop_index[:, 0]
        frames = crop_index[:, 1]
        fused = self.fuse(hands[rows, frames], rgb_maps, joints)
        self.last_record = {'gate': self._last_joint_gate, 'crop_index': crop_index.detach()}
        return hands.index_put((rows, frames), fused)
