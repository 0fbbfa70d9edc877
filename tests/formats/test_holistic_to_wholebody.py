"""The fixed MediaPipe Holistic -> COCO-WholeBody correspondence (no mediapipe needed)."""
import numpy as np
import pytest

from unisign_fla.formats.keypoint_files.holistic_to_wholebody import holistic_to_wholebody
from unisign_fla.keypoints import FACE, INDEX, LEFT_HAND, RIGHT_HAND


def numbered_parts(num_frames=2):
    """Each landmark's x is its own index (plus an offset per part), so rows can be traced."""
    def part(points, offset):
        array = np.zeros((num_frames, points, 3), np.float32)
        array[..., 0] = offset + np.arange(points)
        array[..., 1] = 7
        array[..., 2] = 0.5
        return array
    return dict(pose=part(33, 0), face=part(478, 1000), left_hand=part(21, 2000),
                right_hand=part(21, 3000))


def test_named_joints_take_the_matching_landmark():
    wholebody = holistic_to_wholebody(**numbered_parts())
    assert wholebody.shape == (2, 133, 3) and wholebody.dtype == np.float32
    mediapipe_pose = {   # MediaPipe's landmark of the same name, for every COCO body/foot point
        'nose': 0, 'left_eye': 2, 'right_eye': 5, 'left_ear': 7, 'right_ear': 8,
        'left_shoulder': 11, 'right_shoulder': 12, 'left_elbow': 13, 'right_elbow': 14,
        'left_wrist': 15, 'right_wrist': 16, 'left_hip': 23, 'right_hip': 24, 'left_knee': 25,
        'right_knee': 26, 'left_ankle': 27, 'right_ankle': 28, 'left_big_toe': 31,
        'left_heel': 29, 'right_big_toe': 32, 'right_heel': 30}
    for name, landmark in mediapipe_pose.items():
        assert wholebody[0, INDEX[name], 0] == landmark, name
    # no small toe in MediaPipe: the big toe's position, never trusted
    for side, big_toe in (('left', 31), ('right', 32)):
        assert wholebody[0, INDEX[f'{side}_small_toe']].tolist() == [big_toe, 7, 0]
    assert wholebody[0, INDEX['face_jaw_8'], 0] == 1000 + 152        # chin
    assert wholebody[0, INDEX['face_nose_3'], 0] == 1000 + 4         # nose tip
    assert wholebody[0, FACE, 0].max() < 1000 + 468                  # iris points unused
    assert wholebody[0, LEFT_HAND, 0].tolist() == list(range(2000, 2021))
    assert wholebody[0, RIGHT_HAND, 0].tolist() == list(range(3000, 3021))


def test_a_missing_part_keeps_score_zero():
    parts = numbered_parts()
    parts['left_hand'][1] = 0
    wholebody = holistic_to_wholebody(**parts)
    assert (wholebody[1, LEFT_HAND, 2] == 0).all() and (wholebody[0, LEFT_HAND, 2] == 0.5).all()


def test_wrong_shapes_name_the_part():
    parts = numbered_parts()
    parts['face'] = parts['face'][:, :128]
    with pytest.raises(ValueError, match=r'face: expected \(2, 468, 3\)'):
        holistic_to_wholebody(**parts)
