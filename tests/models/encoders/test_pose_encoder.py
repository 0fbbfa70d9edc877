import pytest
import torch

from unisign_fla.models.encoders import PoseEncoder

SMALL = dict(embed_channels=16, spatial_channels=(16, 32), temporal_layers=2, out_channels=48,
             dropout=0.0)


def test_reference_size_parameter_count():
    # Reference widths (DESIGN.md §5): 64 -> 64 -> 128 -> 256, 3 temporal blocks of k=5.
    encoder = PoseEncoder(temporal_stride=1)
    assert sum(p.numel() for p in encoder.parameters()) == 3_748_554


@pytest.mark.parametrize('stride', [1, 4])
def test_padding_never_changes_valid_features(stride):
    torch.manual_seed(0)
    encoder = PoseEncoder(**SMALL, temporal_stride=stride).eval()
    keypoints = torch.randn(3, 23, 69, 3)
    mask = torch.ones(3, 23, dtype=torch.bool)
    mask[1, 13:] = False
    keypoints[1, 13:] = 100.0          # garbage in the padding must not leak into real frames
    tokens, token_mask = encoder(keypoints, mask)
    alone, alone_mask = encoder(keypoints[1:2, :13], mask[1:2, :13])
    n = alone.shape[1]
    assert n == -(-13 // stride)
    assert torch.equal(token_mask[1, :n], alone_mask[0])
    assert not token_mask[1, n:].any()
    torch.testing.assert_close(tokens[1, :n], alone[0], atol=1e-5, rtol=1e-5)
    assert torch.all(tokens[1, n:] == 0)


def test_hands_share_one_branch_and_gradients_reach_every_part():
    encoder = PoseEncoder(**SMALL)
    assert set(encoder.branches) == {'body', 'hand', 'face'}
    tokens, _ = encoder(torch.randn(2, 8, 69, 3), torch.ones(2, 8, dtype=torch.bool))
    tokens.sum().backward()
    for name, branch in encoder.branches.items():
        assert branch.embed.weight.grad.abs().sum() > 0, name


def test_even_temporal_kernel_is_rejected():
    with pytest.raises(ValueError, match='odd'):
        PoseEncoder(**dict(SMALL, temporal_kernel=4))
