import re

import pytest
import torch
from safetensors.torch import save_file

from unisign_fla.models.encoders.rgb_backbone import HandCropBackbone, SubsampledPointwiseConv
from unisign_fla.registry import MODELS


def random_crops(n: int, size: int, seed: int = 0) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    return torch.randint(0, 256, (n, size, size, 3), dtype=torch.uint8, generator=generator)


def seeded_backbone(seed: int = 0, **kwargs) -> HandCropBackbone:
    torch.manual_seed(seed)
    return HandCropBackbone(**kwargs).eval()


def test_default_parameter_count():
    backbone = HandCropBackbone()
    assert sum(p.numel() for p in backbone.parameters()) == 340_384


@pytest.mark.parametrize('size, side', [(64, 8), (32, 4)])
def test_output_shape(size, side):
    backbone = MODELS.build(dict(type='HandCropBackbone')).eval()
    assert backbone(random_crops(3, size)).shape == (3, 256, side, side)


def test_empty_batch():
    out = HandCropBackbone()(random_crops(0, 64))
    assert out.shape == (0, 256, 8, 8)


def test_uint8_and_float_in_unit_range_agree():
    backbone = seeded_backbone()
    crops = random_crops(2, 32)
    expected = backbone(crops)
    # The 1 / 255 is folded into the normalisation's scale: equal up to float rounding.
    torch.testing.assert_close(backbone(crops.float() / 255), expected, rtol=0, atol=1e-5)
    # Float input is taken as already in [0, 1]: a [0, 255] float is not rescaled.
    assert not torch.allclose(backbone(crops.float()), expected)


def test_channels_last_forward_equals_plain_nchw():
    backbone = seeded_backbone(stage_channels=(8, 16), stage_strides=(2, 2), out_channels=16)
    crops = random_crops(3, 32)
    nchw = ((crops.float() / 255 - backbone.mean) / backbone.std).permute(0, 3, 1, 2).contiguous()
    expected = backbone.proj(backbone.stages(backbone.stem(nchw)))
    assert backbone(crops).is_contiguous(memory_format=torch.channels_last)
    torch.testing.assert_close(backbone(crops), expected, rtol=0, atol=1e-4)


def test_subsampled_pointwise_conv_is_a_strided_conv():
    conv = SubsampledPointwiseConv(8, 16, stride=2)
    strided = torch.nn.Conv2d(8, 16, 1, 2, bias=False)
    strided.weight.data.copy_(conv.weight)
    x = torch.randn(3, 8, 15, 15)
    torch.testing.assert_close(conv(x), strided(x))


def test_backward_on_shapes_where_strided_1x1_conv_aborted():
    # oneDNN's channels-last weight gradient of a stride-2 1x1 convolution aborted the process
    # ("double free or corruption") for 3 crops of 32 px going from 8 to 16 channels.
    backbone = seeded_backbone(stage_channels=(8, 16), stage_strides=(1, 2),
                               out_channels=16).train()
    backbone(random_crops(3, 32)).square().sum().backward()
    assert backbone.stages[1][0].shortcut[0].weight.grad.abs().sum() > 0


def test_gradients_reach_every_parameter():
    backbone = seeded_backbone(stage_channels=(8, 16), stage_strides=(1, 2), blocks_per_stage=2,
                               out_channels=16).train()
    backbone(random_crops(2, 32)).square().mean().backward()
    for name, param in backbone.named_parameters():
        assert param.grad is not None and param.grad.abs().sum() > 0, name


def test_deterministic_in_eval_mode():
    backbone = seeded_backbone()
    crops = random_crops(2, 64)
    assert torch.equal(backbone(crops), backbone(crops))


def test_pretrained_round_trip(tmp_path):
    source = seeded_backbone(seed=1)
    path = tmp_path / 'backbone.safetensors'
    save_file(source.state_dict(), str(path))
    loaded = seeded_backbone(seed=2, pretrained=str(path))
    crops = random_crops(2, 64)
    assert torch.equal(loaded(crops), source(crops))


def test_pretrained_with_prefix(tmp_path):
    source = seeded_backbone(seed=1)
    state = {f'backbone.{k}': v for k, v in source.state_dict().items()}
    state['head.weight'] = torch.zeros(4, 4)     # other parts of a larger model are ignored
    path = tmp_path / 'model.safetensors'
    save_file(state, str(path))
    loaded = seeded_backbone(seed=2, pretrained=path, prefix='backbone.')
    crops = random_crops(2, 32)
    assert torch.equal(loaded(crops), source(crops))


def test_missing_file(tmp_path):
    path = tmp_path / 'absent.safetensors'
    with pytest.raises(FileNotFoundError, match=re.escape(str(path))):
        HandCropBackbone(pretrained=str(path))


def test_wrong_key(tmp_path):
    state = HandCropBackbone().state_dict()
    state['proj.bias_renamed'] = state.pop('proj.bias')
    path = tmp_path / 'renamed.safetensors'
    save_file(state, str(path))
    with pytest.raises(ValueError, match=re.escape('missing keys: proj.bias (expected (256,))')):
        HandCropBackbone(pretrained=str(path))
    with pytest.raises(ValueError, match='unexpected keys: proj.bias_renamed'):
        HandCropBackbone(pretrained=str(path))


def test_wrong_shape(tmp_path):
    path = tmp_path / 'narrow.safetensors'
    save_file(HandCropBackbone(out_channels=128).state_dict(), str(path))
    expected = 'proj.weight (got (128, 128, 1, 1), expected (256, 128, 1, 1))'
    with pytest.raises(ValueError, match=re.escape(expected)):
        HandCropBackbone(pretrained=str(path))
