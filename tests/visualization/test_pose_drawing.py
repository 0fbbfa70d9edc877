"""Keypoints and crop marks land on the pixels they belong to."""
import numpy as np

from unisign_fla.keypoints import INDEX, LEFT_HAND, NUM_KEYPOINTS, RIGHT_HAND, WHOLEBODY_EDGES
from unisign_fla.visualization.pose_drawing import (
    CROP_COLORS,
    draw_crop_box,
    draw_pose,
    mark_crops,
    score_color,
)

BACKGROUND = 40


def _canvas(size=200):
    return np.full((size, size, 3), BACKGROUND, np.uint8)


def _pose(points):
    """A (133, 3) pose where only ``points`` ({name: (x, y, score)}) were found."""
    pose = np.zeros((NUM_KEYPOINTS, 3), np.float32)
    for name, value in points.items():
        pose[INDEX[name]] = value
    return pose


def test_score_colors_run_from_red_to_green():
    assert score_color(0.0) == (255, 0, 0)
    assert score_color(1.0) == (0, 255, 0)
    assert score_color(0.5) == (255, 255, 0)


def test_a_drawn_joint_is_where_its_keypoint_is():
    image = draw_pose(_canvas(), _pose({'nose': (60, 140, 0.9)}), radius=4)
    assert np.abs(image[140, 60].astype(int) - score_color(0.9)).max() <= 2   # row y, column x
    assert (image[140, 140] == BACKGROUND).all()          # the transposed place stays empty
    assert (image[20, 180] == BACKGROUND).all()


def test_an_edge_joins_two_found_joints_and_unfound_joints_are_not_drawn():
    pose = _pose({'left_shoulder': (40, 100, 0.8), 'left_elbow': (160, 100, 0.8)})
    image = draw_pose(_canvas(), pose, radius=4)
    assert (image[100, 100] != BACKGROUND).any()          # midway along the arm
    assert (image[0, 0] == BACKGROUND).all()              # score-0 joints sit at (0, 0)


def test_a_joint_below_the_threshold_is_hollow():
    image = draw_pose(_canvas(), _pose({'nose': (100, 100, 0.1)}), threshold=0.3, radius=6)
    assert (image[100, 100] == BACKGROUND).all()          # the centre stays empty
    assert (image[100, 106] != BACKGROUND).any()          # the ring is drawn
    assert image[100, 106, 0] > image[100, 106, 1]        # red: a low score


def test_crop_marks_draw_a_border_per_hand_and_the_crop_box():
    image = mark_crops(_canvas(), ['R', 'L'], border=6)
    assert tuple(image[1, 100]) == CROP_COLORS['L']       # left hand outside
    assert tuple(image[8, 100]) == CROP_COLORS['R']       # right hand inside it
    assert (mark_crops(_canvas(), []) == BACKGROUND).all()
    boxed = draw_crop_box(_canvas(), (50, 60, 90, 120), 'R', scale=1.0)
    assert tuple(boxed[90, 50]) == CROP_COLORS['R'] and (boxed[90, 70] == BACKGROUND).all()


def test_the_wholebody_skeleton_covers_every_part_once():
    assert len(set(WHOLEBODY_EDGES)) == len(WHOLEBODY_EDGES)
    joined = {j for edge in WHOLEBODY_EDGES for j in edge}
    assert joined == set(range(NUM_KEYPOINTS))            # every keypoint has an edge
    assert (INDEX['left_wrist'], LEFT_HAND[0]) in WHOLEBODY_EDGES
    assert (RIGHT_HAND[0], RIGHT_HAND[1]) in WHOLEBODY_EDGES
