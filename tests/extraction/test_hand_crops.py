import numpy as np

from unisign_fla.extraction.hand_crops import HAND_INDICES, cut_crop, extract_hand_crops, hand_boxes
from unisign_fla.keypoints import LEFT_HAND, RIGHT_HAND


def _pose_with_hand(centres, extent, score=0.9, frames=None):
    frames = frames or len(centres)
    pose = np.zeros((frames, 133, 3), np.float32)
    offsets = np.linspace(-extent / 2, extent / 2, len(LEFT_HAND))
    for t, (cx, cy) in enumerate(centres):
        pose[t, LEFT_HAND, 0] = cx + offsets
        pose[t, LEFT_HAND, 1] = cy + offsets / 2    # extent in y is half of x
        pose[t, LEFT_HAND, 2] = score
    return pose


def test_box_is_square_centred_and_scaled():
    pose = _pose_with_hand([(50, 40), (60, 30)], extent=40)
    rows, boxes = hand_boxes(pose, HAND_INDICES['left_hand'], 200, 100)
    assert rows.tolist() == [0, 1]
    np.testing.assert_array_equal(boxes[0], [26, 16, 74, 64])    # side ceil(1.2 * 40) = 48
    assert (boxes[:, 2] - boxes[:, 0] == boxes[:, 3] - boxes[:, 1]).all()
    tiny = _pose_with_hand([(50, 40)], extent=2)
    _, small = hand_boxes(tiny, HAND_INDICES['left_hand'], 200, 100, min_side=16)
    assert small[0, 2] - small[0, 0] == 16


def test_candidates_follow_mean_score_and_ignore_low_joints():
    pose = _pose_with_hand([(50, 40)] * 3, extent=20)
    pose[1, LEFT_HAND, 2] = 0.2                       # not a candidate
    pose[2, LEFT_HAND[10], :2] = (1000, 1000)          # wild but unconfident joint
    pose[2, LEFT_HAND[10], 2] = 0.05
    rows, boxes = hand_boxes(pose, HAND_INDICES['left_hand'], 200, 100, threshold=0.3)
    assert rows.tolist() == [0, 2]
    np.testing.assert_array_equal(boxes[0], boxes[1])
    assert hand_boxes(pose, HAND_INDICES['right_hand'], 200, 100)[0].size == 0


def test_crop_at_border_is_padded_black_not_wrapped():
    rng = np.random.default_rng(0)
    frame = rng.integers(1, 256, (30, 40, 3), dtype=np.uint8)   # no black pixel inside
    crop = cut_crop(frame, (-6, -4, 18, 20), crop_size=24)      # side 24: no resampling
    assert (crop[:4] == 0).all() and (crop[:, :6] == 0).all()
    np.testing.assert_array_equal(crop[4:, 6:], frame[0:20, 0:18])
    crop = cut_crop(frame, (30, 20, 54, 44), crop_size=24)      # past the right/bottom edge
    np.testing.assert_array_equal(crop[:10, :10], frame[20:30, 30:40])
    assert (crop[10:] == 0).all() and (crop[:, 10:] == 0).all()


def test_extract_hand_crops_shapes_and_boxes():
    rng = np.random.default_rng(1)
    frames = rng.integers(0, 256, (4, 48, 64, 3), dtype=np.uint8)
    pose = _pose_with_hand([(10, 10), (60, 45), (30, 20), (30, 20)], extent=20)
    pose[3, LEFT_HAND, 2] = 0.0
    pose[:, RIGHT_HAND] = pose[:, LEFT_HAND]
    pose[:, RIGHT_HAND, 2] = 0.0
    out = extract_hand_crops(frames, pose, crop_size=32)
    left, right = out['left_hand'], out['right_hand']
    assert left['crops'].shape == (3, 32, 32, 3) and left['boxes'].dtype == np.float32
    assert left['boxes'][:, 0].tolist() == [0, 1, 2]
    assert right['crops'].shape == (0, 32, 32, 3) and right['boxes'].shape == (0, 5)
    x0, y0, x1, y1 = left['boxes'][2, 1:].astype(int)
    assert x1 - x0 == 24
    np.testing.assert_array_equal(left['crops'][2], cut_crop(frames[2], (x0, y0, x1, y1), 32))
