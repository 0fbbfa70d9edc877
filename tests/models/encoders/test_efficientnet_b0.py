import torch

from tests.models.encoders.unisign_checkpoint import unisign_state_dict
from unisign_fla.models.encoders.efficientnet_b0 import EfficientNetB0Features

PREFIX = 'rgb_support_backbone.0.'


def backbone_tensors():
    return {k[len(PREFIX):]: v for k, v in unisign_state_dict().items() if k.startswith(PREFIX)}


def test_keys_and_shapes_match_the_checkpoint():
    expected = {k: tuple(v.shape) for k, v in backbone_tensors().items()}
    ours = {k: tuple(v.shape) for k, v in EfficientNetB0Features().state_dict().items()}
    assert ours == expected
    assert len(ours) == 358       # torchvision's efficientnet_b0().features


def test_loads_the_checkpoint_strictly_and_maps_112px_to_4x4():
    model = EfficientNetB0Features().eval()
    model.load_state_dict(backbone_tensors(), strict=True)
    crops = torch.randn(3, 3, 112, 112, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        out = model(crops)
    assert out.shape == (3, 1280, 4, 4)
    assert torch.isfinite(out).all()
    assert out.std() > 0


def test_stochastic_depth_only_in_training():
    model = EfficientNetB0Features(stochastic_depth_prob=0.5)
    crops = torch.randn(2, 3, 32, 32)
    model.eval()
    with torch.no_grad():
        assert torch.equal(model(crops), model(crops))
    assert model[1][0].drop_prob == 0.0 and model[7][0].drop_prob == 0.5 * 15 / 16
