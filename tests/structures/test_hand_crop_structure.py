"""The one definition of a hand's crops: rows live in column 0 of the boxes, and selecting
crops keeps every array aligned (crops, boxes, joints; crops may be absent)."""
import numpy as np

from unisign_fla.structures import ROW, XYXY, HandCrops, crop_rows, make_hand_crops, select_crops


def test_rows_and_boxes_share_one_array():
    crops = np.arange(3 * 2 * 2 * 3, dtype=np.uint8).reshape(3, 2, 2, 3)
    hand = make_hand_crops(crops, np.array([4, 7, 9]), np.array([[0, 1, 2, 3]] * 3))
    assert hand['boxes'].dtype == np.float32 and hand['boxes'].shape == (3, 5)
    np.testing.assert_array_equal(crop_rows(hand), [4, 7, 9])
    assert crop_rows(hand).dtype == np.int64
    np.testing.assert_array_equal(hand['boxes'][:, XYXY], [[0, 1, 2, 3]] * 3)


def test_select_keeps_every_array_aligned():
    hand = make_hand_crops(np.stack([np.full((2, 2, 3), k, np.uint8) for k in range(4)]),
                           np.array([0, 1, 2, 3]), np.zeros((4, 4)))
    hand['joints'] = np.arange(4, dtype=np.float32)[:, None, None] * np.ones((4, 21, 2))
    picked = select_crops(hand, np.array([True, False, True, False]))
    np.testing.assert_array_equal(crop_rows(picked), [0, 2])
    np.testing.assert_array_equal(picked['crops'][:, 0, 0, 0], [0, 2])
    np.testing.assert_array_equal(picked['joints'][:, 0, 0], [0, 2])
    picked['boxes'][:, ROW] = [5, 6]                      # a copy: the source is untouched
    np.testing.assert_array_equal(crop_rows(hand), [0, 1, 2, 3])
    without_pixels = select_crops(HandCrops(crops=None, boxes=hand['boxes']), [3])
    assert without_pixels['crops'] is None and crop_rows(without_pixels).tolist() == [3]
