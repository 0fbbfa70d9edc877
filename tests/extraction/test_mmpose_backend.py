"""``--backend mmpose`` against mmpose's own ``inference_topdown``, on a random-weight RTMPose-m
whole-body model built from the config that ships with mmpose. Skipped where mmpose is not
installed (an optional extra that must be built from source on CPU machines)."""
import importlib.machinery
import os
import sys
import types

import numpy as np
import pytest

from unisign_fla.extraction.backends.base import ClipContext

CONFIG = ('wholebody_2d_keypoint', 'rtmpose', 'coco-wholebody',
          'rtmpose-m_8xb64-270e_coco-wholebody-256x192.py')
BODY_ONLY_CONFIG = ('body_2d_keypoint', 'rtmpose', 'coco', 'rtmpose-t_8xb256-420e_coco-256x192.py')


def shipped_config(parts):
    import mmpose
    return os.path.join(os.path.dirname(mmpose.__file__), '.mim', 'configs', *parts)


def without_torchvision():
    """mmpose imports torchvision for one visualisation helper (``ToPILImage``) that inference
    never calls; PyPI has no torchvision for the CPU build of torch used here, so where it is
    missing that one name gets a stand-in that refuses to run."""
    try:
        import torchvision  # noqa: F401
    except ImportError:
        transforms = types.ModuleType('torchvision.transforms')

        class ToPILImage:
            def __init__(self, *args, **kwargs):
                raise RuntimeError('torchvision is not installed')
        transforms.ToPILImage = ToPILImage
        package = types.ModuleType('torchvision')
        package.transforms = transforms
        for module in (package, transforms):   # find_spec (used by transformers) needs one
            module.__spec__ = importlib.machinery.ModuleSpec(module.__name__, None)
        sys.modules.update({'torchvision': package, 'torchvision.transforms': transforms})


@pytest.fixture(scope='module')
def random_rtmpose(tmp_path_factory):
    """(config, checkpoint) of a random-weight RTMPose-m whole-body model."""
    pytest.importorskip('mmpose')
    without_torchvision()
    pytest.importorskip('mmpose.apis')
    import torch
    from mmpose.apis import init_model
    config = shipped_config(CONFIG)
    torch.manual_seed(0)
    model = init_model(config, None, device='cpu')
    checkpoint = str(tmp_path_factory.mktemp('mmpose') / 'rtmpose-m-random.pth')
    # as mmpose saves them: numpy arrays in the meta, which plain weights_only loading refuses
    torch.save({'state_dict': model.state_dict(), 'meta': {'dataset_meta': model.dataset_meta}},
               checkpoint)
    return config, checkpoint


def frames_and_context(num_frames=5, height=96, width=128):
    rng = np.random.default_rng(0)
    frames = rng.integers(0, 255, (num_frames, height, width, 3), dtype=np.uint8)
    return frames, ClipContext('', 'clip.mp4', 25.0, width, height, list(range(num_frames)))


def test_batched_clip_matches_mmpose_inference_topdown(random_rtmpose):
    from mmpose.apis import inference_topdown

    from unisign_fla.extraction.backends import MMPoseBackend
    config, checkpoint = random_rtmpose
    backend = MMPoseBackend(config, checkpoint, batch_size=2)
    frames, context = frames_and_context()
    keypoints = backend.estimate(frames, {'id': 'clip'}, context)
    assert keypoints.shape == (5, 133, 3) and keypoints.dtype == np.float32
    for t, frame in enumerate(frames):
        reference = inference_topdown(backend.model, frame, np.array([[0, 0, 128, 96]]))
        instances = reference[0].pred_instances
        np.testing.assert_allclose(keypoints[t, :, :2], instances.keypoints[0], atol=1e-3)
        np.testing.assert_allclose(keypoints[t, :, 2], np.clip(instances.keypoint_scores[0], 0, 1),
                                   atol=1e-5)
    assert 'checkpoint=rtmpose-m-random.pth' in backend.version


def test_models_of_other_layouts_and_missing_files_are_refused(random_rtmpose, tmp_path):
    from unisign_fla.extraction.backends import MMPoseBackend
    with pytest.raises(ValueError, match='predicts 17 keypoints; --backend mmpose needs a '
                                         'COCO-WholeBody'):
        MMPoseBackend(shipped_config(BODY_ONLY_CONFIG), random_rtmpose[1])
    larger = shipped_config(CONFIG).replace('rtmpose-m_', 'rtmpose-l_')
    with pytest.raises(ValueError, match='-random.pth: does not fit the model of .*rtmpose-l_'):
        MMPoseBackend(larger, random_rtmpose[1])
    with pytest.raises(FileNotFoundError, match='mmpose checkpoint file not found: .*nope.pth'):
        MMPoseBackend(random_rtmpose[0], str(tmp_path / 'nope.pth'))


def test_missing_mmpose_names_the_install_command(monkeypatch):
    monkeypatch.setitem(sys.modules, 'mmpose.apis', None)
    from unisign_fla.extraction.backends import MMPoseBackend
    with pytest.raises(ImportError, match=r'pip install --no-deps mmpose==1\.3\.2'):
        MMPoseBackend('config.py', 'model.pth')
