"""UniSignPoseEncoder on its own: Uni-Sign's sizes, graphs and initialisation, the hook for the
RGB fusion, and the shape contract shared with PoseEncoder."""
import torch

from unisign_fla.models.encoders import UniSignPoseEncoder
from unisign_fla.models.encoders.unisign_stgcn import distance_partitions
from unisign_fla.registry import MODELS


def test_sizes_and_initialisation():
    torch.manual_seed(0)
    encoder = UniSignPoseEncoder()
    assert sum(p.numel() for p in encoder.parameters()) == 5346088
    assert encoder.pose_proj.weight.std().item() < 0.021 and not encoder.pose_proj.bias.any()
    assert not encoder.part_para.any()
    # column-normalised self and 1-hop partitions: each output joint's weights sum to 1
    partitions = distance_partitions(3, [(0, 1), (1, 2)])
    torch.testing.assert_close(partitions.sum(dim=(0, 1)), torch.ones(3))
    assert torch.equal(partitions[0], torch.diag(partitions[0].diagonal()))


@MODELS.register_module(force=True)
class _MarkLeftHand(torch.nn.Module):
    """A stand-in fusion that records its calls and moves the left hand's features."""

    def __init__(self):
        super().__init__()
        self.calls = []

    def forward(self, hand, features, **rgb_inputs):
        self.calls.append((hand, tuple(features.shape), sorted(rgb_inputs)))
        return features + 1.0 if hand == 'left' else features


def test_rgb_hook_sees_each_hand_before_the_wrist_feature():
    torch.manual_seed(0)
    keypoints, mask = torch.randn(2, 6, 69, 3), torch.ones(2, 6, dtype=torch.bool)
    plain = UniSignPoseEncoder(spatial_channels=(8, 16), temporal_layers=1,
                               out_channels=12).eval()
    hooked = UniSignPoseEncoder(spatial_channels=(8, 16), temporal_layers=1, out_channels=12,
                                rgb=dict(type='_MarkLeftHand')).eval()
    hooked.load_state_dict(plain.state_dict())
    tokens, token_mask = plain(keypoints, mask)
    assert tokens.shape == (2, 6, 12) and torch.equal(token_mask, mask)
    moved, _ = hooked(keypoints, mask, crops=torch.zeros(1))
    assert hooked.rgb_fusion.calls == [('left', (2, 16, 6, 21), ['crops']),
                                       ('right', (2, 16, 6, 21), ['crops'])]
    assert not torch.allclose(moved, tokens)


def test_batches_pad_by_repeating_the_last_frame():
    """As Uni-Sign's collate pads: a short clip in a batch sees copies of its last frame."""
    torch.manual_seed(0)
    encoder = UniSignPoseEncoder(spatial_channels=(8, 16), temporal_layers=1,
                                 out_channels=12).eval()
    short, long = torch.randn(4, 69, 3), torch.randn(7, 69, 3)
    batch = torch.zeros(2, 7, 69, 3)
    batch[0, :4], batch[1] = short, long
    mask = torch.tensor([[True] * 4 + [False] * 3, [True] * 7])
    tokens, _ = encoder(batch, mask)
    repeated = torch.cat([short, short[-1:].expand(3, 69, 3)])[None]
    alone, _ = encoder(repeated, torch.ones(1, 7, dtype=torch.bool))
    torch.testing.assert_close(tokens[0], alone[0])
    torch.testing.assert_close(tokens[1:], encoder(long[None], mask[1:])[0])
