import numpy as np
import pytest
import torch
from mmengine.registry import init_default_scope

from unisign_fla.datasets import (
    NormalizeKeypoints,
    PackSignInputs,
    SampleFrames,
    ScoreAwareCropSampling,
    SignShardDataset,
    sign_collate,
)
from unisign_fla.datasets.score_aware_sampling import joints_in_boxes
from unisign_fla.formats.shards import read_sample
from unisign_fla.keypoints import FINGERTIPS, HANDS, UNISIGN_PARTS

SIDE = 8
TIPS = {hand: np.asarray(UNISIGN_PARTS[hand].indices)[list(FINGERTIPS)] for hand in HANDS}
HAND_JOINTS = {hand: np.asarray(UNISIGN_PARTS[hand].indices) for hand in HANDS}


def _results(num_frames=40, crop_rows=None, hand_score=0.9, tip_scores=None,
             box=(10, 20, 50, 60)):
    """A sample as ``LoadShardSample(with_crops=True)`` leaves it: pixel pose and per-hand crops.

    ``hand_score`` and ``tip_scores`` are scalars or per-frame arrays; each crop is filled with its
    pose row so tests can tell which crops were kept.
    """
    crop_rows = np.arange(num_frames) if crop_rows is None else np.asarray(crop_rows)
    pose = np.zeros((num_frames, 133, 3), np.float32)
    pose[..., :2] = 30.0
    pose[..., 2] = 0.95
    results = {'pose': pose, 'id': 'clip', 'target': 'a sentence', 'task': 'slt'}
    for hand in HANDS:
        pose[:, HAND_JOINTS[hand], 2] = np.broadcast_to(hand_score, num_frames)[:, None]
        if tip_scores is not None:
            pose[:, TIPS[hand], 2] = np.broadcast_to(tip_scores, num_frames)[:, None]
        crops = np.broadcast_to(crop_rows[:, None, None, None],
                                (len(crop_rows), SIDE, SIDE, 3)).astype(np.uint8)
        boxes = np.array([(row,) + tuple(box) for row in crop_rows], np.float32).reshape(-1, 5)
        results[hand] = {'crops': crops, 'boxes': boxes}
    return results


def _rows(results, hand='left_hand'):
    return results[hand]['boxes'][:, 0].astype(int).tolist()


def _check_hand(hand: dict):
    """Crops, boxes and joints stay aligned, and joints are finite in [0, 1]."""
    assert len(hand['crops']) == len(hand['boxes']) == len(hand['joints'])
    assert hand['joints'].shape[1:] == (21, 2) and hand['joints'].dtype == np.float32
    assert np.isfinite(hand['joints']).all()
    assert hand['joints'].min() >= 0 and hand['joints'].max() <= 1
    assert (hand['crops'][:, 0, 0, 0] == hand['boxes'][:, 0]).all()


@pytest.mark.parametrize('random', [True, False])
def test_fraction_of_candidates_per_hand(random):
    np.random.seed(0)
    results = ScoreAwareCropSampling(fraction=0.1, random=random)(_results(num_frames=40))
    for hand in HANDS:
        assert len(results[hand]['crops']) == 4
        _check_hand(results[hand])
        assert np.all(np.diff(_rows(results, hand)) > 0)              # kept in frame order
    # At least one crop for a short clip, none for fraction 0; a fraction of the candidates.
    assert len(ScoreAwareCropSampling(0.1, random=random)(_results(3))['left_hand']['crops']) == 1
    assert len(ScoreAwareCropSampling(0.0, random=random)(_results(40))['left_hand']['crops']) == 0
    few = ScoreAwareCropSampling(0.5, random=random)(_results(40, crop_rows=[5, 9, 13, 17]))
    assert len(_rows(few)) == 2


@pytest.mark.parametrize('random', [True, False])
def test_low_score_hands_and_frames_without_crops_are_never_chosen(random):
    # Odd frames: hand barely detected, so its fingertips look the least reliable of all.
    hand_score = np.where(np.arange(40) % 2, 0.2, 0.9)
    transform = ScoreAwareCropSampling(fraction=0.25, hand_score_threshold=0.5, random=random)
    np.random.seed(0)
    for _ in range(50):
        results = transform(_results(40, hand_score=hand_score, tip_scores=hand_score))
        assert all(row % 2 == 0 for row in _rows(results))
        assert len(results['left_hand']['crops']) == 5           # a quarter of 20 candidates
    # Frames 0..9 are the only ones with crops, even though every frame has a valid hand.
    results = transform(_results(40, crop_rows=np.arange(10), tip_scores=np.linspace(1, 0, 40)))
    assert set(_rows(results)) <= set(range(10))


def test_training_prefers_unreliable_fingertips():
    np.random.seed(0)
    unreliable = np.arange(40) % 2 == 0
    results = _results(40, tip_scores=np.where(unreliable, 0.2, 0.9))
    transform = ScoreAwareCropSampling(fraction=0.1, random=True)
    counts = np.zeros(40)
    draws = [tuple(_rows(transform(dict(results)))) for _ in range(500)]
    for rows in draws:
        counts[list(rows)] += 1
    # Weights 0.8 vs 0.1: unreliable frames win most picks, but reliable ones still get some.
    assert counts[unreliable].sum() > 4 * counts[~unreliable].sum()
    assert counts[~unreliable].sum() > 0
    assert len(set(draws)) > 100                                      # a fresh draw each time


def test_evaluation_is_deterministic_and_picks_least_reliable():
    tips = np.random.default_rng(1).permutation(np.linspace(0.1, 0.9, 40))
    transform = ScoreAwareCropSampling(fraction=0.1, random=False)
    first = transform(_results(40, tip_scores=tips))
    second = transform(_results(40, tip_scores=tips))
    assert _rows(first) == sorted(np.argsort(tips)[:4].tolist())
    for hand in HANDS:
        for key in ('crops', 'boxes', 'joints'):
            assert np.array_equal(first[hand][key], second[hand][key])
    # Ties are broken by frame order.
    rows = [3, 7, 11, 15, 19, 23, 27, 31, 35, 39, 2, 6, 10, 14, 18, 22, 26, 30, 34, 38]
    assert _rows(transform(_results(40, crop_rows=rows))) == [2, 3]


def test_clip_without_valid_hand_runs_through_pipeline_and_collate():
    np.random.seed(0)
    transform = ScoreAwareCropSampling(fraction=0.1, random=True)
    rest = [NormalizeKeypoints(), SampleFrames(max_frames=16, random=True), PackSignInputs()]
    empty, full = transform(_results(40, hand_score=0.1)), transform(_results(40))
    for hand in HANDS:
        assert empty[hand]['crops'].shape == (0, SIDE, SIDE, 3)
        assert empty[hand]['boxes'].shape == (0, 5) and empty[hand]['joints'].shape == (0, 21, 2)
    packed = []
    for results in (empty, full):
        for step in rest:
            results = step(results)
        packed.append(results)
    assert packed[0]['inputs']['left_hand']['joints'].shape == (0, 21, 2)
    batch = sign_collate(packed)['inputs']
    assert len(batch['crops']) == len(batch['crop_index']) == len(batch['crop_joints'])
    assert set(batch['crop_index'][:, 0].tolist()) <= {1}
    assert torch.isfinite(batch['keypoints']).all() and torch.isfinite(batch['crop_joints']).all()
    only_empty = sign_collate([packed[0], packed[0]])['inputs']
    assert only_empty['crops'].shape == (0, SIDE, SIDE, 3)
    assert only_empty['crop_joints'].shape == (0, 21, 2)


def test_zero_size_box_and_hand_at_image_border_give_finite_joints():
    transform = ScoreAwareCropSampling(fraction=1.0, random=False)
    for box in [(30, 30, 30, 30), (40, 40, 35, 35), (-20, -20, 20, 20)]:
        results = _results(4, box=box)
        for hand in HANDS:
            results['pose'][:, HAND_JOINTS[hand], :2] = [[-5.0, 0.0]] + [[15.0, 25.0]] * 20
        results = transform(results)
        for hand in HANDS:
            assert len(results[hand]['joints']) == 4
            _check_hand(results[hand])


def test_joints_are_positions_inside_the_crop():
    results = _results(4, crop_rows=[2], box=(100, 200, 140, 240))
    xy = np.full((21, 2), (120.0, 220.0), np.float32)
    xy[0], xy[4], xy[8] = (100.0, 200.0), (140.0, 240.0), (110.0, 230.0)
    for hand in HANDS:
        results['pose'][2, HAND_JOINTS[hand], :2] = xy
    results = ScoreAwareCropSampling(fraction=0.25, random=False)(results)
    for hand in HANDS:
        joints = results[hand]['joints'][0]
        assert joints[0].tolist() == [0.0, 0.0] and joints[4].tolist() == [1.0, 1.0]
        assert joints[8].tolist() == [0.25, 0.75] and joints[12].tolist() == [0.5, 0.5]


def test_needs_crops_from_the_loader():
    results = _results(10)
    del results['right_hand']
    with pytest.raises(ValueError, match='with_crops=True'):
        ScoreAwareCropSampling()(results)


@pytest.mark.parametrize('random', [True, False])
def test_end_to_end_from_shards(shard_set, random):
    init_default_scope('unisign_fla')
    records = [dict(id=f'clip{i}', language='en', text=f'sentence {i}', signer='s1')
               for i in range(3)]
    index = shard_set('train', records, frames=40)
    dataset = SignShardDataset(str(index), test_mode=not random, pipeline=[
        dict(type='LoadShardSample', with_crops=True),
        dict(type='ScoreAwareCropSampling', fraction=0.1, random=random),
        dict(type='NormalizeKeypoints'),
        dict(type='SampleFrames', max_frames=20, random=random),
        dict(type='PackSignInputs')])
    np.random.seed(0)
    items = [dataset[i] for i in range(len(dataset))]
    inputs = sign_collate(items)['inputs']
    crops, joints, crop_index = inputs['crops'], inputs['crop_joints'], inputs['crop_index']
    # Only the left hand has crops (even frames): 4 of 40 frames are chosen, some then dropped.
    assert 0 < len(crops) <= 4 * len(items) and set(crop_index[:, 2].tolist()) == {0}
    assert joints.shape == (len(crops), 21, 2) and joints.dtype == torch.float32
    assert len(inputs['crop_boxes']) == len(crops)
    # Each crop, box and joint set still belongs to the frame that crop_index names: find the
    # shard crop it came from (crops are random images) and recompute its joints.
    eval_rows = np.linspace(0, 39, 20).round().astype(int)
    for n, (b, frame, _) in enumerate(crop_index.tolist()):
        sample = read_sample(dataset.get_data_info(b)['shard_sample'], with_crops=True)
        left = sample['left_hand']
        k = next(k for k in range(len(left['crops']))
                 if torch.equal(crops[n], torch.from_numpy(left['crops'][k])))
        row = int(left['boxes'][k, 0])
        assert random or row == eval_rows[frame]
        assert inputs['crop_boxes'][n].tolist() == left['boxes'][k, 1:].tolist()
        expected = joints_in_boxes(sample['pose'][[row]][:, HAND_JOINTS['left_hand'], :2],
                                   left['boxes'][k:k + 1, 1:])[0]
        assert torch.allclose(joints[n], torch.from_numpy(expected))
