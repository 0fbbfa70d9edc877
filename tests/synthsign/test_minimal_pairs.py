import cv2
import numpy as np

from unisign_fla.keypoints import RIGHT_HAND
from unisign_fla.synthsign.estimator import simulate_estimator
from unisign_fla.synthsign.motion import build_timeline
from unisign_fla.synthsign.render import write_video
from unisign_fla.synthsign.signer import make_signers
from unisign_fla.synthsign.skeleton import synthesize_pose
from unisign_fla.synthsign.vocabulary import MINIMAL_PAIRS, build_vocabulary


def _clip(sign, signer, tmp_path):
    rng = np.random.default_rng(5)
    timeline = build_timeline([sign], signer, rng, rest_frames=2)
    pose = synthesize_pose(timeline, signer, rng)
    keypoints = simulate_estimator(pose, signer, rng)
    path = str(tmp_path / f'{sign.gloss}.mp4')
    write_video(path, pose, signer, 12.5)
    cap = cv2.VideoCapture(path)
    frames = []
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        frames.append(frame.astype(np.float32))
    return keypoints, np.stack(frames), timeline.sign_index


def test_minimal_pairs_identical_keypoints_different_hand_pixels(tmp_path):
    signs = {s.gloss: s for s in build_vocabulary()}
    signer = make_signers(0)[0]
    for a, b in MINIMAL_PAIRS:
        kp_a, video_a, index = _clip(signs[a], signer, tmp_path)
        kp_b, video_b, _ = _clip(signs[b], signer, tmp_path)
        assert np.array_equal(kp_a, kp_b), f'{a}/{b}: keypoints must be identical'
        hand_diff, far_diff = [], []
        for t in np.flatnonzero(index >= 0):
            xy = kp_a[t, RIGHT_HAND.start:RIGHT_HAND.stop, :2]
            (x0, y0), (x1, y1) = xy.min(0).astype(int) - 2, xy.max(0).astype(int) + 3
            x0, y0 = max(x0, 0), max(y0, 0)
            hand_diff.append(np.abs(video_a[t, y0:y1, x0:x1] - video_b[t, y0:y1, x0:x1]).mean())
            far_diff.append(np.abs(video_a[t, :20] - video_b[t, :20]).mean())   # top strip
        assert np.mean(hand_diff) > 8, f'{a}/{b}: hand crops should differ'
        assert np.mean(far_diff) < 2, f'{a}/{b}: only the hands may differ'
