"""tools/convert_checkpoint.py unisign: Uni-Sign's key layout -> ours, with its checks."""
import pytest
import torch

from tests.models.encoders.unisign_checkpoint import converted_checkpoint, unisign_state_dict
from tests.tools.conftest import load_tool
from unisign_fla.engine.checkpoint import load_checkpoint
from unisign_fla.models.unisign_conversion import convert_unisign_state_dict, target_key


def unisign_keys(shared=None, **extra):
    """A few tensors under Uni-Sign's names; the hands share ``shared`` (or one random tensor)."""
    shared = torch.randn(64, 3) if shared is None else shared
    return {'proj_linear.left.weight': shared, 'proj_linear.right.weight': shared.clone(),
            'gcn_modules.body.layer1_0.residual.1.running_mean': torch.randn(128),
            'part_para': torch.randn(1024), 'mt5_model.shared.weight': torch.randn(10, 8),
            **extra}


def test_every_kind_of_key_has_its_place():
    assert target_key('gcn_modules.face_all.layer2_0.gcn.A') == \
        'encoder.branches.face.spatial.2.gcn.adjacency'
    assert target_key('fusion_gcn_modules.right.layer0_1.tcn.1.running_var') == \
        'encoder.branches.hand.temporal.1.tcn.norm.running_var'
    assert target_key('gcn_modules.body.layer1_0.residual.0.weight') == \
        'encoder.branches.body.spatial.1.residual.conv.weight'
    assert target_key('proj_linear.face_all.bias') == 'encoder.branches.face.embed.bias'
    assert target_key('pose_proj.weight') == 'encoder.pose_proj.weight'
    assert target_key('mt5_model.lm_head.weight') == 'head.lm.lm_head.weight'
    assert target_key('proj_linear.torso.weight') is None


def test_cli_converts_upcasts_merges_and_drops(tmp_path, capsys):
    state = unisign_keys(**{'fusion_pose_rgb_linear.weight': torch.randn(256, 256)})
    state['part_para'] = state['part_para'].bfloat16()
    torch.save({'model': state}, tmp_path / 'unisign.pth')
    load_tool('convert_checkpoint').main(['unisign', str(tmp_path / 'unisign.pth'),
                                          '--out', str(tmp_path / 'out' / 'ours.pth')])
    printed = capsys.readouterr().out
    assert 'converted 4 tensors (1 upcast to float32); merged 1 copies' in printed
    assert 'dropped 1 unused (fusion_pose_rgb_linear.weight)' in printed
    checkpoint = load_checkpoint(str(tmp_path / 'out' / 'ours.pth'))
    converted = checkpoint['state_dict']
    assert sorted(converted) == ['encoder.branches.body.spatial.1.residual.norm.running_mean',
                                 'encoder.branches.hand.embed.weight', 'encoder.part_para',
                                 'head.lm.shared.weight']
    assert converted['encoder.part_para'].dtype == torch.float32
    assert torch.equal(converted['encoder.branches.hand.embed.weight'],
                       state['proj_linear.left.weight'])
    assert checkpoint['meta']['converted_from'] == 'uni_sign'


def test_refusals_name_the_keys(tmp_path):
    with pytest.raises(ValueError, match=r'proj_linear.left.weight and proj_linear.right.weight '
                                         r'should be one shared weight'):
        state = unisign_keys()
        state['proj_linear.right.weight'] = state['proj_linear.right.weight'] + 1
        convert_unisign_state_dict(state)
    with pytest.raises(ValueError, match=r'1 keys are not part of Uni-Sign\'s model: '
                                         r'encoder.extra.weight'):
        convert_unisign_state_dict(unisign_keys(**{'encoder.extra.weight': torch.ones(1)}))
    torch.save([1, 2], tmp_path / 'list.pth')
    with pytest.raises(SystemExit, match=r'list.pth: expected a Uni-Sign checkpoint'):
        load_tool('convert_checkpoint').main(['unisign', str(tmp_path / 'list.pth'),
                                              '--out', str(tmp_path / 'x.pth')])


@pytest.mark.parametrize('closed', (False, True))
def test_rgb_pose_checkpoint_converts_and_reports_its_gate(tmp_path, capsys, closed):
    """The reference RGB-pose checkpoint (gate open), and a copy whose last gate convolution is
    zeroed (gate closed for good: ReLU(tanh(0 + bias <= 0)) = 0)."""
    state = dict(unisign_state_dict())
    if closed:
        state['fusion_gate.2.weight'] = torch.zeros_like(state['fusion_gate.2.weight'])
        state['fusion_gate.2.bias'] = -state['fusion_gate.2.bias'].abs()
    torch.save({'model': state}, tmp_path / 'rgb_pose.pth')
    load_tool('convert_checkpoint').main(['unisign', str(tmp_path / 'rgb_pose.pth'),
                                          '--out', str(tmp_path / 'ours.pth')])
    printed = capsys.readouterr().out
    assert ('PGF gate closed for good' in printed) == closed
    assert ('PGF gate open' in printed) == (not closed)
    checkpoint = load_checkpoint(str(tmp_path / 'ours.pth'))
    assert checkpoint['meta']['pgf_gate_closed'] is closed
    converted = checkpoint['state_dict']
    assert torch.equal(converted['encoder.rgb_fusion.fusion.gate.2.weight'],
                       state['fusion_gate.2.weight'])
    assert torch.equal(converted['encoder.rgb_fusion.backbone.0.0.weight'],
                       state['rgb_support_backbone.0.0.0.weight'])
    assert torch.equal(converted['encoder.rgb_fusion.fusion.attention.to_q.weight'],
                       state['fusion_pose_rgb_DA.to_q.weight'])
    assert not any(k.startswith(('rgb_', 'fusion_')) for k in converted)


def test_pose_only_leaves_the_rgb_branch_out(tmp_path, capsys):
    """--pose-only on an RGB-pose checkpoint writes what converting it without its RGB branch
    writes: the pose-only configs load it (tests/models/test_unisign_parity.py: Uni-Sign's
    pose-only outputs)."""
    torch.save({'model': unisign_state_dict()}, tmp_path / 'rgb_pose.pth')
    load_tool('convert_checkpoint').main(['unisign', str(tmp_path / 'rgb_pose.pth'), '--out',
                                          str(tmp_path / 'pose.pth'), '--pose-only'])
    assert 'left out the RGB branch (383 tensors); its gate is open' in capsys.readouterr().out
    ours = load_checkpoint(str(tmp_path / 'pose.pth'))
    assert ours['meta']['pose_only'] is True
    expected = load_checkpoint(converted_checkpoint(tmp_path, rgb=False))['state_dict']
    assert ours['state_dict'].keys() == expected.keys()
    assert all(torch.equal(v, expected[k]) for k, v in ours['state_dict'].items())
