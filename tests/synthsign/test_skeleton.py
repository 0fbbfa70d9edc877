import numpy as np
import pytest

from unisign_fla.keypoints import FACE, INDEX, LEFT_HAND, RIGHT_HAND
from unisign_fla.synthsign.estimator import simulate_estimator
from unisign_fla.synthsign.motion import build_timeline
from unisign_fla.synthsign.signer import FRAME_SIZE, make_signers
from unisign_fla.synthsign.skeleton import elbow_ik, synthesize_pose
from unisign_fla.synthsign.vocabulary import build_vocabulary


@pytest.fixture(scope='module')
def clips():
    signs = build_vocabulary()
    signers = make_signers(0)
    rng = np.random.default_rng(0)
    out = []
    for k in range(12):
        chosen = [signs[int(i)] for i in rng.choice(len(signs), 5, replace=False)]
        signer = signers[k]
        timeline = build_timeline(chosen, signer, rng)
        pose = synthesize_pose(timeline, signer, rng)
        out.append((signer, timeline, pose, simulate_estimator(pose, signer, rng)))
    return out


def test_elbow_ik_keeps_bone_proportions():
    shoulder = np.array([[100.0, 100.0]] * 3)
    wrist = np.array([[110.0, 40.0], [60.0, 150.0], [100.0, 214.0]])
    elbow = elbow_ik(shoulder, wrist, 60.0, 55.0, midline=150.0)
    upper = np.linalg.norm(elbow - shoulder, axis=1)
    fore = np.linalg.norm(wrist - elbow, axis=1)
    assert np.allclose(upper / fore, 60.0 / 55.0)            # one foreshortening for both bones
    assert np.all(upper <= 60.0 + 1e-6) and np.all(upper >= 0.7 * 60.0 - 1e-6)
    assert np.isclose(upper[2], 60.0, atol=0.5)               # a straight arm is not shortened
    assert elbow[0, 1] > 40.0                                 # hand raised: elbow stays low


def test_keypoint_array_shape_and_ranges(clips):
    for signer, timeline, pose, kp in clips:
        assert kp.shape == (timeline.num_frames, 133, 3) and kp.dtype == np.float32
        assert np.all((kp[..., 2] >= 0) & (kp[..., 2] <= 1))
        upper = [INDEX[n] for n in ('nose', 'left_shoulder', 'right_shoulder', 'left_elbow',
                                    'right_elbow', 'left_wrist', 'right_wrist')]
        for part in (upper, list(FACE), list(LEFT_HAND), list(RIGHT_HAND)):
            xy = pose.points[:, part]
            assert np.all((xy >= 0) & (xy < FRAME_SIZE[0])), 'upper body must stay in frame'
        assert kp[:, INDEX['left_ankle'], 2].max() < 0.2      # below the frame: lost


def test_anatomy_is_plausible(clips):
    for signer, timeline, pose, kp in clips:
        pts = pose.points
        assert np.allclose(pts[:, INDEX['right_wrist']], pts[:, RIGHT_HAND.start])
        assert np.allclose(pts[:, INDEX['left_wrist']], pts[:, LEFT_HAND.start])
        face = pts[:, FACE.start:FACE.stop]
        dist = np.linalg.norm(face - pose.head_centre[:, None], axis=-1)
        assert dist.max() < 0.8 * pose.head_size
        nose_tip = pts[:, INDEX['face_nose_3']]
        assert np.all(nose_tip[:, 1] > pts[:, INDEX['right_eye'], 1])   # nose below the eyes
        chin = pts[:, INDEX['face_jaw_8']]
        assert np.all(chin[:, 1] < pts[:, INDEX['right_shoulder'], 1])
        for rows in (LEFT_HAND, RIGHT_HAND):
            hand = pts[:, rows.start:rows.stop]
            extent = np.linalg.norm(hand - hand[:, :1], axis=-1).max(1)
            assert 12 < extent.min() and extent.max() < 40         # hands ~25-35 px long
        upper = np.linalg.norm(pts[:, INDEX['right_elbow']] - pts[:, INDEX['right_shoulder']],
                               axis=-1)
        assert np.all(upper <= signer.upper_arm * signer.scale + 1e-6)
        assert np.all(upper >= 0.69 * signer.upper_arm * signer.scale)


def test_score_drops_are_realistic(clips):
    hand_scores = np.concatenate([kp[:, list(RIGHT_HAND) + list(LEFT_HAND), 2]
                                  .reshape(len(kp), 2, 21).mean(-1).ravel() for *_, kp in clips])
    low = np.mean(hand_scores < 0.5)
    assert 0.02 < low < 0.25
    # Where the score drops, coordinates are noisier.
    err, score = [], []
    for _, _, pose, kp in clips:
        rows = list(RIGHT_HAND)
        err.append(np.linalg.norm(kp[:, rows, :2] - pose.points[:, rows], axis=-1).ravel())
        score.append(kp[:, rows, 2].ravel())
    err, score = np.concatenate(err), np.concatenate(score)
    assert err[score < 0.4].mean() > 2 * err[score > 0.7].mean()


def test_estimator_noise_knobs_change_the_scores(clips):
    """EstimatorNoise is the one place for the estimator's difficulty: lower hand scores there
    give lower hand scores out (and the defaults are what the data sets were made with)."""
    from unisign_fla.synthsign.estimator import DEFAULT_NOISE, EstimatorNoise
    signer, _, pose, _ = clips[0]
    rows = slice(RIGHT_HAND.start, RIGHT_HAND.stop)
    easy = simulate_estimator(pose, signer, np.random.default_rng(0), DEFAULT_NOISE)
    same = simulate_estimator(pose, signer, np.random.default_rng(0))
    hard = simulate_estimator(pose, signer, np.random.default_rng(0),
                              EstimatorNoise(hand_score=(0.3, 0.5)))
    np.testing.assert_array_equal(easy, same)
    assert hard[:, rows, 2].mean() < easy[:, rows, 2].mean() - 0.2
