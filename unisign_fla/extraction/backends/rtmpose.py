"""``--backend rtmpose``: a person detector plus an RTMPose / RTMW whole-body model, on ONNX
Runtime.

Takes the local ``.onnx`` files that mmdeploy writes and rtmlib downloads (e.g. rtmlib's
``rtmw-x_simcc-cocktail14_...onnx`` with ``yolox_m_8xb8-300e_humanart-...onnx``, or mmpose's
``rtmpose-m_..._coco-wholebody-256x192`` with an RTMDet person detector). The detector runs every
``detect_interval`` frames (default 50: two seconds at 25 fps, since a signer barely moves; see
signer_track.py); the pose model runs on every frame, batched. Example::

    python tools/extract_pose.py ... --backend rtmpose --backend-args \
        '{"pose_model": "models/rtmw-x.onnx", "detector": "models/yolox_m.onnx",
          "detector_kind": "yolox", "device": "cuda"}'

Without a detector every frame's box is the whole frame (datasets already cropped to the signer,
such as PHOENIX-2014T). A clip where no keyframe shows a person fails (it is logged in
failures.jsonl), unless ``no_person='full_frame'`` (signer_track.py).
"""
import os

import numpy as np

from unisign_fla.extraction.backends.base import ClipContext, PoseBackend
from unisign_fla.extraction.backends.person_detector import PersonDetector
from unisign_fla.extraction.backends.signer_track import SignerBoxes
from unisign_fla.extraction.backends.topdown_pose import TopDownPoseModel
from unisign_fla.registry import POSE_BACKENDS


@POSE_BACKENDS.register_module(name='rtmpose')
class RTMPoseBackend(PoseBackend):
    name = 'rtmpose'
    needs_frames = True
    channel_order = 'bgr'

    def __init__(self, pose_model: str, detector: str | None = None,
                 detector_kind: str = 'rtmdet', detect_interval: int = 50,
                 detection_threshold: float = 0.3, device: str = 'cpu',
                 threads: int | None = None, batch_size: int = 16,
                 no_person: str = 'fail'):
        self.pose_model = TopDownPoseModel(pose_model, device, threads, batch_size)
        self.signer_boxes = SignerBoxes(
            PersonDetector(detector, detector_kind, device, threads, detection_threshold)
            if detector else None, detect_interval, no_person)
        self.version = f'pose={os.path.basename(pose_model)}' + (
            f';detector={os.path.basename(detector)};every={detect_interval}' if detector else '')

    @classmethod
    def computes_on_cpu(cls, backend_args: dict) -> bool:
        return backend_args.get('device', 'cpu') == 'cpu'

    @classmethod
    def args_per_instance(cls, backend_args: dict, instances: int) -> dict:
        """On the CPU, copies side by side share the cores unless ``threads`` says otherwise."""
        if instances > 1 and cls.computes_on_cpu(backend_args) and not backend_args.get('threads'):
            return dict(backend_args, threads=max(1, (os.cpu_count() or 1) // instances))
        return backend_args

    def estimate(self, frames: np.ndarray | None, record: dict,
                 context: ClipContext) -> np.ndarray:
        return self.pose_model(frames, self.signer_boxes(frames, context))
