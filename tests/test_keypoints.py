import numpy as np

from unisign_fla import keypoints as kp


def test_layout_sizes_and_names():
    assert len(kp.KEYPOINT_NAMES) == 133 == kp.NUM_KEYPOINTS
    assert kp.KEYPOINT_NAMES[91] == 'left_hand_wrist'
    assert kp.KEYPOINT_NAMES[112] == 'right_hand_wrist'
    assert kp.INDEX['face_nose_3'] == 53            # nose tip, Uni-Sign's face root
    assert kp.INDEX['face_lip_inner_0'] == 83


def test_unisign_parts_match_design():
    parts = kp.UNISIGN_PARTS
    assert parts['body'].indices == (0, 3, 4, 5, 6, 7, 8, 9, 10)
    assert parts['left_hand'].indices == tuple(range(91, 112))
    assert parts['right_hand'].indices == tuple(range(112, 133))
    assert parts['face'].indices == tuple(range(23, 40, 2)) + tuple(range(83, 91)) + (53,)
    assert kp.NUM_UNISIGN_JOINTS == 69
    assert parts['left_hand'].context == kp.INDEX['left_wrist']
    assert parts['face'].context == kp.INDEX['nose']


def test_adjacency_is_symmetric_connected_with_self_loops():
    for part in kp.UNISIGN_PARTS.values():
        adj = part.adjacency()
        assert np.array_equal(adj, adj.T)
        assert np.all(np.diag(adj) == 1)
        reach = np.linalg.matrix_power(adj, part.num_joints) > 0   # connected graph
        assert reach.all(), part.name
