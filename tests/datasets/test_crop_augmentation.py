import numpy as np
import pytest

from unisign_fla.datasets import RandomCropColorJitter


def _results(num_left=4, num_right=0, seed=0):
    rng = np.random.default_rng(seed)
    hand = lambda n: {'crops': rng.integers(40, 220, (n, 16, 16, 3), dtype=np.uint8),  # noqa
                      'boxes': rng.random((n, 5)).astype(np.float32),
                      'joints': rng.random((n, 21, 2)).astype(np.float32)}
    return {'left_hand': hand(num_left), 'right_hand': hand(num_right)}


def test_jitter_changes_each_crop_and_keeps_the_rest():
    np.random.seed(0)
    before = _results()
    after = RandomCropColorJitter()(_results())
    crops = after['left_hand']['crops']
    assert crops.dtype == np.uint8 and crops.shape == before['left_hand']['crops'].shape
    diffs = np.abs(crops.astype(int) - before['left_hand']['crops']).mean(axis=(1, 2, 3))
    assert (diffs > 1).all()
    assert len(set(np.round(diffs, 3))) == len(diffs)   # independent factors per crop
    np.testing.assert_array_equal(after['left_hand']['boxes'], before['left_hand']['boxes'])
    np.testing.assert_array_equal(after['left_hand']['joints'], before['left_hand']['joints'])
    assert len(after['right_hand']['crops']) == 0


def test_zero_spread_is_the_identity():
    after = RandomCropColorJitter(0.0, 0.0, 0.0, 0.0)(_results())
    np.testing.assert_array_equal(after['left_hand']['crops'], _results()['left_hand']['crops'])


def test_brightness_only_scales_pixels():
    np.random.seed(1)
    before = _results(num_left=200)['left_hand']['crops'].astype(float)
    after = RandomCropColorJitter(0.3, 0.0, 0.0, 0.0)(_results(num_left=200))
    ratio = after['left_hand']['crops'].mean(axis=(1, 2, 3)) / before.mean(axis=(1, 2, 3))
    assert 0.68 < ratio.min() < 0.8 and 1.2 < ratio.max() < 1.32


@pytest.mark.parametrize('kwargs', [dict(brightness=-0.1), dict(contrast=1.0),
                                    dict(channel_gain=2)])
def test_bad_spread_is_refused(kwargs):
    with pytest.raises(ValueError, match=next(iter(kwargs))):
        RandomCropColorJitter(**kwargs)


def test_one_colour_map_equals_the_four_steps_in_turn(monkeypatch):
    """The per-crop affine map gives what brightness, gains, saturation and contrast give when
    applied one after another in float (to within rounding)."""
    rng = np.random.default_rng(3)
    crops = rng.integers(0, 256, (6, 64, 64, 3), dtype=np.uint8)
    jitter = RandomCropColorJitter(brightness=0.3, contrast=0.25, saturation=0.2,
                                   channel_gain=0.15)
    factors = {spread: rng.uniform(1 - spread, 1 + spread, (6, *shape)).astype(np.float32)
               for spread, shape in ((0.3, (1,)), (0.15, (3,)), (0.2, (1, 1)), (0.25, (1, 1)))}
    monkeypatch.setattr(jitter, '_factors', lambda num, spread, *shape: factors[spread])
    after = jitter({'left_hand': {'crops': crops}, 'right_hand': {'crops': crops[:0]}})

    luma = np.array([0.299, 0.587, 0.114], np.float32)
    x = crops.astype(np.float32) * (factors[0.3] * factors[0.15])[:, None, None, :]
    grey = (x @ luma)[..., None]
    x = grey + (x - grey) * factors[0.2].reshape(6, 1, 1, 1)
    mean = grey.mean(axis=(1, 2), keepdims=True)
    x = mean + (x - mean) * factors[0.25].reshape(6, 1, 1, 1)
    expected = np.clip(np.round(x), 0, 255)
    assert after['left_hand']['crops'].dtype == np.uint8
    difference = np.abs(after['left_hand']['crops'] - expected)
    # OpenCV maps 8-bit images in fixed point: a pixel now and then is one level off.
    assert difference.max() <= 1 and (difference == 0).mean() > 0.9
    assert after['right_hand']['crops'].shape == (0, 64, 64, 3)
    assert (after['left_hand']['crops'] != crops).mean() > 0.9
