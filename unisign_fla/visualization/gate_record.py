"""The PGF gate of every hand joint of one clip, read from a model as it translates the clip.

Whether RGB enters at all is the gate's business (``last_gate`` is its batch mean, logged in
training); which joints and frames open it is what a person asks next, so the figure needs the
per-crop, per-joint values that ``PriorGuidedFusion.last_record`` keeps of its last forward.
"""
from dataclasses import dataclass

import numpy as np

from unisign_fla.keypoints import HANDS
from unisign_fla.models.encoders.prior_guided_fusion import PriorGuidedFusion


@dataclass
class HandGates:
    """One hand: the model-timeline frames that had a crop (K,) and their gates (K, 21)."""
    frames: np.ndarray
    gates: np.ndarray


def fusion_module(model) -> PriorGuidedFusion:
    """The model's ``PriorGuidedFusion``; ValueError when it has none."""
    for module in model.modules():
        if isinstance(module, PriorGuidedFusion):
            return module
    raise ValueError('the model has no PriorGuidedFusion (PGF): use a config with an RGB '
                     'branch, e.g. configs/synthsign/pgf_stage1_synthsign.py')


def clip_gates(inferencer, sample, language: str, task: str = 'slt'):
    """Translate ``sample`` (a ShardSample) with ``inferencer`` (``SignInferencer``) and return
    ``(prediction, {hand: HandGates})``; a hand without crops has empty arrays.

    Frames are those of the model's test pipeline: the pose rows, unless the clip is longer than
    its ``SampleFrames`` cap."""
    fusion = fusion_module(inferencer.model)
    fusion.last_record = None
    prediction = inferencer.translate(sample, language, task)
    record = fusion.last_record
    gates = (record['gate'].float().cpu().numpy() if record is not None
             else np.zeros((0, 21), np.float32))
    index = (record['crop_index'].cpu().numpy() if record is not None
             else np.zeros((0, 3), np.int64))
    out: dict[str, HandGates] = {}
    for h, hand in enumerate(HANDS):
        rows = np.flatnonzero(index[:, 2] == h)
        rows = rows[np.argsort(index[rows, 1], kind='stable')]
        out[hand] = HandGates(frames=index[rows, 1].astype(np.int64), gates=gates[rows])
    return prediction, out
