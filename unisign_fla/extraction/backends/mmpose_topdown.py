"""``--backend mmpose``: a whole-body top-down model from an mmpose config and checkpoint.

For users who train or fine-tune their pose model in mmpose (RTMPose, RTMW, DWPose, HRNet, ...)
and want it as it is, without an ONNX export. Install (optional; mmpose itself only installs
without its dependencies, see README)::

    pip install -e .[mmpose] && pip install --no-deps mmpose==1.3.2 mmdet==3.3.0

Person boxes come from the same ONNX detector and keyframe schedule as ``rtmpose``
(signer_track.py), or are the whole frame without one. Crops of the whole clip are run through
the model's own test pipeline in batches of ``batch_size``: the same steps as mmpose's
``inference_topdown``, which takes one image at a time. The model must predict the 133
COCO-WholeBody keypoints. Frames are BGR, as mmpose's pipelines expect.
"""
import os

import numpy as np

from unisign_fla.engine.checkpoint import load_checkpoint_state_dict
from unisign_fla.extraction.backends.base import ClipContext, PoseBackend
from unisign_fla.extraction.backends.person_detector import PersonDetector
from unisign_fla.extraction.backends.signer_track import SignerBoxes
from unisign_fla.keypoints import NUM_KEYPOINTS, with_scores
from unisign_fla.registry import POSE_BACKENDS

INSTALL_HINT = 'pip install -e .[mmpose] && pip install --no-deps mmpose==1.3.2 mmdet==3.3.0'


def _import_mmpose():
    try:
        from mmcv.transforms import Compose
        from mmengine.dataset import pseudo_collate
        from mmpose.apis import init_model
    except ImportError as e:
        raise ImportError(f'--backend mmpose needs mmpose 1.x and mmcv ({e}); install them with: '
                          f'{INSTALL_HINT}') from None
    return init_model, Compose, pseudo_collate


@POSE_BACKENDS.register_module(name='mmpose')
class MMPoseBackend(PoseBackend):
    name = 'mmpose'
    needs_frames = True
    channel_order = 'bgr'

    def __init__(self, config: str, checkpoint: str, device: str = 'cpu',
                 detector: str | None = None, detector_kind: str = 'rtmdet',
                 detect_interval: int = 50, detection_threshold: float = 0.3,
                 batch_size: int = 16, no_person: str = 'fail'):
        init_model, compose, self.collate = _import_mmpose()
        for label, path in (('config', config), ('checkpoint', checkpoint)):
            if not os.path.isfile(path):
                raise FileNotFoundError(f'mmpose {label} file not found: {path}')
        if batch_size < 1:
            raise ValueError(f'batch_size must be >= 1, got {batch_size}')
        # mmpose's own loader would unpickle the checkpoint with torch.load: the weights are
        # read here by the toolkit's weights-only reader instead (docs/security.md).
        self.model = init_model(config, None, device=device)
        num_keypoints = self.model.dataset_meta.get('num_keypoints')
        if num_keypoints != NUM_KEYPOINTS:
            raise ValueError(f'{config}: the model predicts {num_keypoints} keypoints; '
                             f'--backend mmpose needs a COCO-WholeBody ({NUM_KEYPOINTS}) model')
        try:
            self.model.load_state_dict(load_checkpoint_state_dict(checkpoint))
        except RuntimeError as error:
            raise ValueError(f'{checkpoint}: does not fit the model of {config} '
                             f'({str(error)[:300]}...)') from None
        self.pipeline = compose(self.model.cfg.test_dataloader.dataset.pipeline)
        self.batch_size = batch_size
        self.signer_boxes = SignerBoxes(
            PersonDetector(detector, detector_kind, device, None, detection_threshold)
            if detector else None, detect_interval, no_person)
        self.version = (f'mmpose;config={os.path.basename(config)};'
                        f'checkpoint={os.path.basename(checkpoint)}') + (
            f';detector={os.path.basename(detector)};every={detect_interval}' if detector else '')

    def _run(self, frames: np.ndarray, boxes: np.ndarray) -> np.ndarray:
        """(len(frames), 133, 3) for one batch of frames, each with its signer box."""
        import torch
        data = []
        for frame, box in zip(frames, boxes):
            sample = dict(img=frame, bbox=box[None].astype(np.float32),
                          bbox_score=np.ones(1, np.float32))
            sample.update(self.model.dataset_meta)
            data.append(self.pipeline(sample))
        with torch.no_grad():
            results = self.model.test_step(self.collate(data))
        keypoints = np.stack([r.pred_instances.keypoints[0] for r in results])
        scores = np.stack([r.pred_instances.keypoint_scores[0] for r in results])
        return with_scores(keypoints, scores)

    def estimate(self, frames: np.ndarray | None, record: dict,
                 context: ClipContext) -> np.ndarray:
        boxes = self.signer_boxes(frames, context)
        return np.concatenate([self._run(frames[i:i + self.batch_size],
                                         boxes[i:i + self.batch_size])
                               for i in range(0, len(frames), self.batch_size)]).astype(np.float32)
