import pytest
import torch

from unisign_fla.models.encoders import PoseEncoder

SMALL = dict(embed_channels=16, spatial_channels=(16, 32), temporal_layers=2, out_channels=48,
             dropout=0.0)


def test_reference_size_parameter_count():
    # Reference widths (docs/recipes.md): 64 -> 64 -> 128 -> 256, 3 temporal blocks of k=5.
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


RGB = dict(backbone=dict(type='HandCropBackbone', stage_channels=(8, 16), stage_strides=(1, 2)),
           fusion=dict(type='PriorGuidedFusion', num_points=2))


def _crops(num=3, size=32):
    index = torch.tensor([[0, 1, 0], [1, 2, 1], [0, 5, 1]])[:num]
    return dict(crops=torch.randint(0, 255, (num, size, size, 3), dtype=torch.uint8),
                crop_index=index, crop_joints=torch.rand(num, 21, 2))


def test_reference_size_parameter_count_with_rgb():
    encoder = PoseEncoder(temporal_stride=1, rgb=dict(backbone=dict(type='HandCropBackbone'),
                                                      fusion=dict(type='PriorGuidedFusion')))
    # Pose 3,748,554 + HandCropBackbone 340,384 + PGF at width 256 (341,517).
    assert sum(p.numel() for p in encoder.parameters()) == 4_430_455


def test_rgb_branch_gets_gradients_at_initialisation():
    torch.manual_seed(0)
    encoder = PoseEncoder(**SMALL, rgb=RGB)
    tokens, _ = encoder(torch.randn(2, 8, 69, 3), torch.ones(2, 8, dtype=torch.bool), **_crops())
    tokens.square().sum().backward()
    for name, p in encoder.rgb_backbone.named_parameters():
        assert p.grad is not None and p.grad.abs().sum() > 0, name


def test_rgb_branch_needs_crops_and_pose_only_ignores_them():
    keypoints, mask = torch.randn(2, 8, 69, 3), torch.ones(2, 8, dtype=torch.bool)
    with pytest.raises(ValueError, match='no crops'):
        PoseEncoder(**SMALL, rgb=RGB)(keypoints, mask)
    encoder = PoseEncoder(**SMALL).eval()
    torch.testing.assert_close(encoder(keypoints, mask, **_crops())[0],
                               encoder(keypoints, mask)[0])


@pytest.mark.parametrize('empty_crops', [torch.zeros(0, 32, 32, 3, dtype=torch.uint8),
                                         torch.zeros(0, 0, 0, 3, dtype=torch.uint8)],
                         ids=['sized', 'unknown_crop_size'])
def test_batch_without_crops_under_ddp(tmp_path, empty_crops):
    """A batch in which no clip has a hand crop (the crop tensor even (0, 0, 0, 3) when shards
    carry no crop_size) runs, and under DistributedDataParallel the next step does not fail
    with "Expected to have finished reduction": every RGB parameter gets a (zero) gradient."""
    import torch.distributed as dist
    from torch.nn.parallel import DistributedDataParallel

    torch.manual_seed(0)
    encoder = PoseEncoder(**SMALL, rgb=RGB)
    no_crops = dict(crops=empty_crops, crop_index=torch.zeros(0, 3, dtype=torch.long),
                    crop_joints=torch.zeros(0, 21, 2))
    keypoints, mask = torch.randn(2, 8, 69, 3), torch.ones(2, 8, dtype=torch.bool)
    dist.init_process_group('gloo', init_method=f'file://{tmp_path}/store', rank=0,
                            world_size=1)
    try:
        model = DistributedDataParallel(encoder)
        for batch in (no_crops, _crops(), no_crops, no_crops):
            tokens, _ = model(keypoints, mask, **batch)
            tokens.square().sum().backward()
    finally:
        dist.destroy_process_group()
    assert all(p.grad is not None for p in encoder.rgb_backbone.parameters())


def test_temporal_dropout_keeps_the_evaluation_scale():
    """Averaged over dropout draws, a training forward equals the evaluation forward (the
    activation is set aside: the check is on what dropout and the norm do)."""
    from torch import nn

    from unisign_fla.models.encoders.graph_blocks import TemporalBlock
    torch.manual_seed(0)
    block = TemporalBlock(16, kernel_size=3, dropout=0.5)
    block.act = nn.Identity()
    x, mask = torch.randn(1, 6, 4, 16), torch.ones(1, 6, dtype=torch.bool)
    expected, _ = block.eval()(x, mask)
    block.train()
    with torch.no_grad():
        mean = torch.stack([block(x, mask)[0] for _ in range(4000)]).mean(dim=0)
    torch.testing.assert_close(mean, expected, atol=0.15, rtol=0)   # 1.07 off before the fix


@pytest.mark.parametrize('rgb', [False, True])
def test_trains_under_bf16_autocast(rgb):
    # The recipes train in bf16 (AmpOptimWrapper). Under autocast the masked BatchNorm got bf16
    # statistics and failed to update its float32 running averages.
    torch.manual_seed(0)
    config = dict(SMALL, rgb=dict(backbone=dict(type='HandCropBackbone', stage_channels=(8, 16),
                                                   stage_strides=(1, 2), out_channels=16),
                                  fusion=dict(type='PriorGuidedFusion'))) if rgb else SMALL
    encoder = PoseEncoder(**config).train()
    inputs = dict(keypoints=torch.randn(2, 8, 69, 3), mask=torch.ones(2, 8, dtype=torch.bool))
    if rgb:
        inputs.update(crops=torch.randint(0, 256, (2, 32, 32, 3), dtype=torch.uint8),
                      crop_index=torch.tensor([[0, 1, 0], [1, 3, 1]]),
                      crop_joints=torch.rand(2, 21, 2))
    with torch.autocast('cpu', dtype=torch.bfloat16):
        tokens, _ = encoder(**inputs)
    tokens.float().square().mean().backward()
    assert torch.isfinite(tokens.float()).all()
    norms = [m for m in encoder.modules() if isinstance(m, torch.nn.BatchNorm1d)]
    assert norms and all(m.running_mean.dtype == torch.float32 for m in norms)
    assert all(torch.isfinite(p.grad).all() for p in encoder.parameters() if p.grad is not None)
