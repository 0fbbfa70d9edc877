import math

import torch

from tests.models.encoders.unisign_checkpoint import unisign_state_dict
from unisign_fla.models.encoders.efficientnet_b0 import EfficientNetB0Features
from unisign_fla.models.encoders.unisign_deformable_attention import (
    ContinuousPositionBias,
    RandomFourierPointEncoding,
    UniSignDeformableAttention,
    sinusoid_table,
)
from unisign_fla.models.encoders.unisign_pgf import UniSignDeformableFusion, split_unisign_rgb_state


def randn(*shape, seed=0):
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed))


def test_checkpoint_loads_strictly_into_backbone_and_fusion():
    state = unisign_state_dict()
    backbone, fusion = split_unisign_rgb_state(state)
    EfficientNetB0Features().load_state_dict(backbone, strict=True)
    UniSignDeformableFusion().load_state_dict(fusion, strict=True)
    rgb_keys = [k for k in state if k.startswith(('rgb_', 'fusion_pose_rgb_', 'fusion_gate.'))]
    dropped = set(rgb_keys) - {'rgb_support_backbone.0.' + k for k in backbone} - {
        k for k in rgb_keys if k.startswith(('rgb_proj.', 'fusion_pose_rgb_DA.', 'fusion_gate.'))}
    assert dropped == {'fusion_pose_rgb_linear.weight', 'fusion_pose_rgb_linear.bias'}
    assert split_unisign_rgb_state({'mt5_model.shared.weight': torch.zeros(1)}) == ({}, {})


def test_sinusoid_table_by_hand():
    table = sinusoid_table(16, 256)
    assert table.shape == (16, 256) and table.dtype == torch.float32
    assert torch.equal(table[0, 0::2], torch.zeros(128))
    assert torch.equal(table[0, 1::2], torch.ones(128))
    for pos, i in ((3, 0), (7, 5), (15, 127)):
        angle = pos / 10000 ** (2 * i / 256)
        assert math.isclose(table[pos, 2 * i].item(), math.sin(angle), abs_tol=1e-7)
        assert math.isclose(table[pos, 2 * i + 1].item(), math.cos(angle), abs_tol=1e-7)


def test_point_encoding_by_hand():
    encoding = RandomFourierPointEncoding(8)
    matrix = encoding.positional_encoding_gaussian_matrix
    assert matrix.shape == (2, 4)
    x, y = 0.25, 0.9
    out = encoding(torch.tensor([[x, y]]))[0]
    for i in range(4):
        angle = 2 * math.pi * ((2 * x - 1) * matrix[0, i].item()
                               + (2 * y - 1) * matrix[1, i].item())
        assert math.isclose(out[i].item(), math.sin(angle), abs_tol=1e-5)
        assert math.isclose(out[4 + i].item(), math.cos(angle), abs_tol=1e-5)


def test_position_bias_shape_and_log_spacing():
    bias = ContinuousPositionBias(64)
    q, k = torch.rand(16, 21, 2) * 2 - 1, torch.rand(16, 21, 2) * 2 - 1
    assert bias(q, k).shape == (16, 21, 21)
    # Only sign(d) * log(1 + |d|) of the offset enters: the first layer sees it directly.
    seen = []
    hook = bias.mlp[0][0].register_forward_hook(lambda m, args, out: seen.append(args[0]))
    bias(torch.tensor([[[0.5, -1.0]]]), torch.tensor([[[-0.5, 0.0]]]))
    hook.remove()
    assert torch.allclose(seen[0], torch.tensor([[[[math.log(2.0), -math.log(2.0)]]]]))


def test_uniform_map_makes_attention_weights_irrelevant():
    """A map equal to one vector c in every cell, sampled inside the cell centres with no
    offsets, gives every key and value ``to_v(c)``: the output is ``to_out(to_v(c))``."""
    attention = UniSignDeformableAttention().eval()
    torch.nn.init.zeros_(attention.to_offsets[2].weight)
    c = randn(256, seed=1)
    rgb = c[None, :, None, None].expand(3, 256, 4, 4).contiguous()
    points = 0.125 + 0.75 * torch.rand(3, 21, 2)
    with torch.no_grad():
        out = attention(randn(3, 256, 21, seed=2), rgb, points)
        value = attention.to_v(c[None, :, None, None])[0, :, 0, 0]
        want = attention.to_out(value[None, :, None].expand(3, 256, 21))
    assert out.shape == (3, 256, 21)
    assert torch.allclose(out, want, atol=1e-5)


def test_closed_gate_returns_the_pose_features_exactly():
    fusion = UniSignDeformableFusion().eval()
    with torch.no_grad():
        fusion.gate[0].weight.normal_()
        fusion.gate[2].bias.fill_(-0.5)
    hand = randn(2, 256, 6, 21)
    with torch.no_grad():
        out = fusion(hand, randn(3, 1280, 4, 4, seed=3), torch.tensor([0, 1, 1]),
                     torch.tensor([2, 0, 5]), torch.rand(3, 21, 2))
    assert torch.equal(out, hand)
    assert fusion.last_gate == 0


def test_checkpoint_fusion_writes_only_the_crops_frames():
    fusion = UniSignDeformableFusion().eval()
    fusion.load_state_dict(split_unisign_rgb_state(unisign_state_dict())[1])
    hand, rgb, points = randn(2, 256, 6, 21), randn(4, 1280, 4, 4, seed=4), torch.rand(4, 21, 2)
    rows, frames = torch.tensor([0, 0, 1, 1]), torch.tensor([1, 4, -1, 3])
    with torch.no_grad():
        out = fusion(hand, rgb, rows, frames, points)
        want = hand.clone()
        for i in (0, 1, 3):      # crop 2 is a placeholder (frame -1)
            want[rows[i], :, frames[i]] = fusion.fuse(hand[rows[i], :, frames[i]][None],
                                                     rgb[i:i + 1], points[i:i + 1])[0]
    assert torch.allclose(out, want, atol=1e-6)
    untouched = torch.ones(2, 6, dtype=torch.bool)
    untouched[0, 1] = untouched[0, 4] = untouched[1, 3] = False
    assert torch.equal(out.transpose(1, 2)[untouched], hand.transpose(1, 2)[untouched])
    assert 0 < fusion.last_gate < 1     # the reference checkpoint's gate is open


def test_only_placeholders_leave_the_features_alone():
    fusion = UniSignDeformableFusion()
    hand = randn(1, 256, 4, 21)
    out = fusion(hand, torch.zeros(1, 1280, 4, 4), torch.tensor([0]), torch.tensor([-1]),
                 torch.zeros(1, 21, 2))
    assert out is hand and fusion.last_gate is None
