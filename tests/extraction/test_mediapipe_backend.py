"""MediaPipe Holistic (real shipped weights) on real photographs of people from scikit-image.

The boxes below were read off the images by eye (512 x 512 pixels): the keypoints must land on
the face and the shoulders where a person would place them. Skipped where mediapipe is not
installed (it is an optional extra)."""
import sys

import cv2
import numpy as np
import pytest

from unisign_fla.extraction.backends.base import ClipContext
from unisign_fla.keypoints import FACE, INDEX, LEFT_HAND, RIGHT_HAND

skimage_data = pytest.importorskip('skimage.data')


def photo(name: str) -> np.ndarray:
    image = getattr(skimage_data, name)()
    return np.stack([image] * 3, -1) if image.ndim == 2 else image


def inside(point, box) -> bool:
    x0, y0, x1, y1 = box
    return x0 <= point[0] <= x1 and y0 <= point[1] <= y1


@pytest.fixture(scope='module')
def backend():
    pytest.importorskip('mediapipe')
    from unisign_fla.extraction.backends import MediaPipeHolisticBackend
    backend = MediaPipeHolisticBackend()
    yield backend
    backend.close()


def estimate(backend, image, num_frames=3):
    context = ClipContext('', 'photo', 25.0, image.shape[1], image.shape[0],
                          list(range(num_frames)))
    return backend.estimate(np.stack([image] * num_frames), {'id': 'photo'}, context)


PHOTOS = {   # face box, nose box, signer's left and right shoulder boxes (x0, y0, x1, y1)
    'astronaut': dict(face=(165, 75, 285, 190), nose=(205, 115, 240, 150),
                      left_shoulder=(270, 215, 340, 280), right_shoulder=(80, 215, 140, 280)),
    'camera': dict(face=(185, 125, 270, 205), nose=(230, 155, 260, 185),
                   left_shoulder=(185, 135, 235, 185), right_shoulder=(90, 160, 145, 215)),
}


@pytest.mark.parametrize('name', sorted(PHOTOS))
def test_keypoints_land_on_the_person(backend, name):
    pose = estimate(backend, photo(name))
    assert pose.shape == (3, 133, 3) and np.isfinite(pose).all()
    boxes, last = PHOTOS[name], pose[-1]
    assert (last[FACE, 2] == 1).all()
    assert all(inside(point, boxes['face']) for point in last[FACE])
    assert inside(last[INDEX['nose']], boxes['nose'])
    for side in ('left_shoulder', 'right_shoulder'):
        assert last[INDEX[side], 2] > 0.9 and inside(last[INDEX[side]], boxes[side]), side
    # face geometry in iBUG order: brows above eyes above the nose tip above the mouth above
    # the chin; the jaw runs from the signer's right (image left) to their left
    brow_y, eye_y = last[INDEX['face_brow_2'], 1], last[INDEX['face_eye_1'], 1]
    nose_y, lip_y = last[INDEX['face_nose_3'], 1], last[INDEX['face_lip_outer_3'], 1]
    assert brow_y < eye_y < nose_y < lip_y < last[INDEX['face_jaw_8'], 1]
    jaw_x = [last[INDEX[f'face_jaw_{i}'], 0] for i in (0, 8, 16)]
    assert jaw_x[0] < jaw_x[1] < jaw_x[2]
    # no hand is visible in either photograph: hands are marked missing, not guessed
    assert (pose[:, LEFT_HAND, 2] == 0).all() and (pose[:, RIGHT_HAND, 2] == 0).all()


def test_each_clip_starts_with_fresh_tracking(backend):
    first = estimate(backend, photo('astronaut'))
    estimate(backend, photo('camera'))
    np.testing.assert_array_equal(estimate(backend, photo('astronaut')), first)


def test_the_job_gives_the_backend_rgb_frames(backend, tmp_path, helpers):
    """Through tools' job: the shard holds exactly what the backend gives for the RGB frames
    decoded from the same video (BGR frames would give different keypoints)."""
    from unisign_fla.extraction.job import ExtractionConfig, ExtractionJob
    from unisign_fla.formats.shard_index import load_split_index
    from unisign_fla.formats.shards import read_sample
    root = tmp_path / 'data'
    (root / 'videos').mkdir(parents=True)
    frames = np.stack([np.roll(photo('astronaut'), 4 * t, axis=1) for t in range(4)])
    helpers.write_video(str(root / 'videos' / 'a.mp4'), frames)
    manifest = helpers.write_jsonl(str(tmp_path / 'm.jsonl'), [{
        'id': 'a', 'dataset': 'toy', 'split': 'test', 'video': 'videos/a.mp4',
        'language': 'en', 'text': 'hello'}])
    cfg = ExtractionConfig(manifest=manifest, video_root=str(root), out=str(tmp_path / 'out'),
                           backend='mediapipe', crop_size=16)
    assert ExtractionJob(cfg).run().failures == 0
    sample = read_sample(load_split_index(cfg.out, 'toy', 'test')[0])
    capture, decoded = cv2.VideoCapture(str(root / 'videos' / 'a.mp4')), []
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        decoded.append(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
    expected = backend.estimate(np.stack(decoded), {}, ClipContext(
        str(root), 'videos/a.mp4', 25.0, 512, 512, list(range(len(decoded)))))
    np.testing.assert_allclose(sample['pose'].astype(np.float32), expected, atol=0.25)
    assert sample['meta']['estimator']['name'] == 'mediapipe'
    assert inside(sample['pose'][0, INDEX['nose']], PHOTOS['astronaut']['nose'])


def test_missing_mediapipe_names_the_install_command(monkeypatch):
    monkeypatch.setitem(sys.modules, 'mediapipe', None)
    from unisign_fla.extraction.backends import MediaPipeHolisticBackend
    with pytest.raises(ImportError, match=r'pip install --no-deps mediapipe==0\.10\.21'):
        MediaPipeHolisticBackend()
