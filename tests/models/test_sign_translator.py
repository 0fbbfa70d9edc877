"""SignTranslator: initialising a model from an earlier stage's checkpoint by name."""
import pytest
import torch

from unisign_fla.lm import train_tokenizer
from unisign_fla.models import SignTranslator

ENCODER = dict(type='PoseEncoder', embed_channels=8, spatial_channels=(8, 16), temporal_layers=1,
               out_channels=16, dropout=0.0)
RGB = dict(backbone=dict(type='HandCropBackbone', stage_channels=(8, 16), stage_strides=(1, 2)),
           fusion=dict(type='PriorGuidedFusion', num_points=2))


@pytest.fixture
def head(tmp_path):
    train_tokenizer(['a b c', 'd e f'] * 5, tmp_path / 'tok', vocab_size=300)
    return dict(type='LightTranslator', tokenizer_dir=str(tmp_path / 'tok'), d_model=16,
                num_heads=2, ffn_channels=32, num_encoder_layers=1, num_decoder_layers=1)


def test_rgb_stage_starts_from_the_pose_stage_by_name(head, tmp_path, capsys):
    """Uni-Sign's stage 2: stage 1's weights load by name, the new RGB branch starts fresh and
    the log says which weights did."""
    from mmengine.logging import MMLogger
    MMLogger.get_instance('init_checkpoint_test')
    torch.manual_seed(0)
    pose_stage = SignTranslator(ENCODER, head)
    torch.save({'state_dict': pose_stage.state_dict()}, tmp_path / 'pose.pth')
    torch.manual_seed(1)
    fresh = SignTranslator(dict(ENCODER, rgb=RGB), head)
    torch.manual_seed(1)
    rgb_stage = SignTranslator(dict(ENCODER, rgb=RGB), head,
                               init_checkpoint=str(tmp_path / 'pose.pth'))
    loaded, own = pose_stage.state_dict(), rgb_stage.state_dict()
    for name, value in own.items():
        expected = loaded[name] if name in loaded else fresh.state_dict()[name]
        assert torch.equal(value, expected), name
    assert any(k.startswith('encoder.rgb_backbone.') for k in own if k not in loaded)
    log = capsys.readouterr().out
    assert 'start fresh (in encoder.fusion, encoder.rgb_backbone)' in log


def test_a_checkpoint_that_does_not_fit_is_named(head, tmp_path):
    torch.save({'state_dict': SignTranslator(dict(ENCODER, rgb=RGB), head).state_dict()},
               tmp_path / 'rgb.pth')
    with pytest.raises(ValueError, match=r'rgb.pth: \d+ weights this model lacks '
                                         r'\(encoder.fusion'):
        SignTranslator(ENCODER, head, init_checkpoint=str(tmp_path / 'rgb.pth'))
    torch.save({'state_dict': SignTranslator(dict(ENCODER, out_channels=24), head).state_dict()},
               tmp_path / 'wide.pth')
    with pytest.raises(ValueError, match=r'of another shape \(encoder.fuse.0.bias \(24,\) -> '
                                         r'\(16,\)'):
        SignTranslator(ENCODER, head, init_checkpoint=str(tmp_path / 'wide.pth'))
