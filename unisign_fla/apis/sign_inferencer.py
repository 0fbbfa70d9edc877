"""A trained model on clips that have no reference: keypoints in, text out.

It runs the config's own test pipeline on samples read from shards (``tools/extract_pose.py``
writes them; ``tools/infer.py`` writes them for any video), so a clip gets exactly the
prediction ``tools/test.py`` gives it. Clips go through the model one at a time, which keeps
every output independent of what else is being translated.
"""
import copy

import numpy as np
import torch
from mmengine.dataset import Compose

from unisign_fla.apis.export import build_model, load_exported_model
from unisign_fla.datasets.collate import sign_collate
from unisign_fla.datasets.transforms import remap_crops
from unisign_fla.engine import load_model_weights, load_run_config
from unisign_fla.formats.shard_index import ShardSample
from unisign_fla.keypoints import HANDS
from unisign_fla.tasks import TASKS


class SignInferencer:
    """A model from ``config`` + ``checkpoint`` (the whole model, as ``tools/test.py`` loads it),
    or from a folder ``tools/export.py`` wrote (``checkpoint=None``).

    Args:
        cfg_options: ``--cfg-options`` style overrides, checked like the tools' own.
        generation: overrides of the model's ``generation`` (``num_beams``, ``max_new_tokens``).
        device: where the model runs.
    """

    def __init__(self, model: str, checkpoint: str | None = None,
                 cfg_options: dict | None = None, generation: dict | None = None,
                 device: str = 'cpu'):
        if checkpoint is None:
            cfg, self.model = load_exported_model(model, cfg_options)
        else:
            cfg = load_run_config(model, cfg_options or {})
            self.model = build_model(cfg)
            load_model_weights(self.model, checkpoint)
        self.model.generation.update(generation or {})
        self.model.to(device).eval()
        steps = copy.deepcopy(cfg.test_dataloader.dataset.pipeline)
        if not steps or steps[0]['type'] != 'LoadShardSample':
            raise ValueError(f'{model}: the test pipeline must start with LoadShardSample')
        self.load = Compose(steps[:1])
        self.rest = Compose(steps[1:])
        self.needs_crops = bool(steps[0].get('with_crops'))
        self.reads_video = any(step['type'] == 'DecodeClipFrames' for step in steps)

    def translate(self, sample: ShardSample, language: str, task: str = 'slt') -> str:
        """The model's text for one clip."""
        return self._predict(self._load(sample, language, task))

    def translate_windows(self, sample: ShardSample, language: str, task: str = 'slt',
                          window: float = 8.0, stride: float | None = None) -> list:
        """Long signing window by window: ``[(start_s, end_s, text)]`` for windows of ``window``
        seconds every ``stride`` seconds (default: ``window``); the last one ends with the clip."""
        if self.reads_video:
            raise ValueError('windows need a pipeline that takes its crops from the shards; '
                             'this one decodes the video (DecodeClipFrames)')
        results = self._load(sample, language, task)
        fps = float(results['meta']['fps'])
        out = []
        for start, stop in frame_windows(len(results['pose']), fps, window, stride or window):
            rows = np.arange(start, stop)
            part = dict(results, pose=results['pose'][rows])
            for hand in HANDS:
                if hand in results:
                    part[hand] = remap_crops(results[hand], rows)
            out.append((round(start / fps, 3), round(stop / fps, 3), self._predict(part)))
        return out

    def _load(self, sample: ShardSample, language: str, task: str) -> dict:
        if task not in TASKS:
            raise ValueError(f'task must be one of {TASKS}, got {task!r}')
        return self.load(dict(shard_sample=sample, id=sample.id, target='', task=task,
                              language=language, signer=None, dataset=None))

    def _predict(self, results: dict) -> str:
        batch = sign_collate([self.rest(dict(results))])
        with torch.no_grad():
            return self.model.test_step(batch)[0]['prediction']


def frame_windows(num_frames: int, fps: float, window: float, stride: float) -> list:
    """``(start, stop)`` frame slices of ``window`` seconds every ``stride`` seconds, the last
    one ending with the clip."""
    size, step = max(1, round(window * fps)), max(1, round(stride * fps))
    starts = list(range(0, max(1, num_frames - size + 1), step))
    if starts[-1] + size < num_frames:
        starts.append(num_frames - size)
    return [(start, min(start + size, num_frames)) for start in starts]
