import pytest
import torch

from unisign_fla.models.encoders.prior_guided_fusion import PriorGuidedFusion

C, B, T, J = 16, 2, 5, 21


def _inputs(num_crops=3, seed=0):
    g = torch.Generator().manual_seed(seed)
    hands = torch.randn(2 * B, T, J, C, generator=g)
    rgb = torch.randn(num_crops, C, 8, 8, generator=g, requires_grad=True)
    index = torch.tensor([[0, 1, 0], [1, 4, 1], [1, 0, 0]])[:num_crops]
    joints = torch.rand(num_crops, J, 2, generator=g)
    return hands, rgb, index, joints


def test_only_frames_with_crops_change():
    hands, rgb, index, joints = _inputs()
    out = PriorGuidedFusion(C)(hands, rgb, index, joints)
    changed = (out - hands).abs().amax(dim=(2, 3)) > 0          # (2B, T)
    expected = torch.zeros(2 * B, T, dtype=torch.bool)
    for b, t, h in index.tolist():
        expected[h * B + b, t] = True
    assert torch.equal(changed, expected)


def test_no_crops_is_the_identity():
    hands, rgb, index, joints = _inputs(num_crops=0)
    assert PriorGuidedFusion(C)(hands, rgb, index, joints) is hands


def test_gate_starts_near_pose_only_and_rgb_gets_gradients():
    torch.manual_seed(0)
    hands, rgb, index, joints = _inputs()
    pgf = PriorGuidedFusion(C, gate_init=0.05)
    out = pgf(hands, rgb, index, joints)
    gate = pgf.gate_values(hands[:1, 1], torch.zeros(1, J, C))
    assert gate.mean().item() == pytest.approx(0.05, abs=0.01)
    out.square().sum().backward()
    assert rgb.grad.abs().sum() > 0
    assert all(p.grad is not None and p.grad.abs().sum() > 0 for p in pgf.parameters())


def test_reference_gate_passes_no_gradient_to_rgb():
    hands, rgb, index, joints = _inputs()
    pgf = PriorGuidedFusion(C, gate='reference')
    out = pgf(hands, rgb, index, joints)
    assert torch.equal(out, hands)                               # gate is exactly 0
    out.square().sum().backward()
    assert rgb.grad.abs().sum() == 0 and pgf.gate.weight.grad.abs().sum() == 0


@pytest.mark.parametrize('gate, moves', [('sigmoid', True), ('reference', False)])
def test_gate_learns_when_rgb_carries_the_answer(gate, moves):
    """Targets depend on the crop only: the sigmoid gate opens, the reference gate cannot."""
    torch.manual_seed(0)
    pgf = PriorGuidedFusion(C, gate=gate)
    optimizer = torch.optim.Adam(pgf.parameters(), lr=1e-2)
    hands, _, index, joints = _inputs()
    rgb = torch.randn(3, C, 8, 8)
    target = rgb.mean(dim=(2, 3))[:, None].expand(3, J, C)
    probe = (hands[0, 1][None], torch.zeros(1, J, C))
    before = pgf.gate_values(*probe).mean().item()
    for _ in range(60):
        out = pgf(hands, rgb, index, joints)
        rows = index[:, 2] * B + index[:, 0]
        loss = (out[rows, index[:, 1]] - target).square().mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        after = pgf.gate_values(*probe).mean().item()
    assert (after > before + 0.05) == moves


def test_joints_outside_or_on_the_crop_border_stay_finite():
    hands, rgb, index, _ = _inputs()
    joints = torch.tensor([[-0.5, 0.0], [1.0, 1.0], [2.0, -3.0]]).repeat(3, 7, 1)
    out = PriorGuidedFusion(C)(hands, rgb, index, joints)
    assert torch.isfinite(out).all()


def test_bad_arguments():
    with pytest.raises(ValueError, match="gate='relu'"):
        PriorGuidedFusion(C, gate='relu')
    with pytest.raises(ValueError, match='gate_init'):
        PriorGuidedFusion(C, gate_init=0.0)
