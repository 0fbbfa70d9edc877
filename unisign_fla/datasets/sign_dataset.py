"""Map-style dataset over webdataset shards, for mmengine's Runner.

The shard indices store each member's byte offset, so any sample is one seek away: the Runner's
samplers (shuffling, distributed splitting) work unchanged, and lengths are known without scanning.
"""
import os.path as osp

from mmengine.dataset import BaseDataset
from mmengine.logging import print_log

from unisign_fla.datasets.bad_samples import (
    DATA_ERRORS,
    MAX_REPLACEMENTS,
    resolve_policy,
    skipped_record,
)
from unisign_fla.datasets.sample_randomness import seeded_randomness
from unisign_fla.formats.manifest import target_of
from unisign_fla.formats.shard_index import load_split_index
from unisign_fla.registry import DATASETS
from unisign_fla.tasks import TASKS


@DATASETS.register_module()
class SignShardDataset(BaseDataset):
    """Clips of one split, with the target of one task.

    Args:
        ann_file: the split index ``{dataset}-{split}.index.json`` written by
            ``tools/extract_pose.py`` (relative to ``data_root`` if given).
        task: ``slt`` (target = sentence), ``cslr`` (glosses joined by spaces) or ``islr``
            (class word). Clips without a target for the task are skipped, and counted in the log.
        bad_samples: ``fail`` or ``skip`` a clip that cannot be loaded (see bad_samples.py);
            default ``fail`` with ``test_mode``, else ``skip``.
        **kwargs: ``pipeline``, ``test_mode``, ``indices`` ... as in mmengine's ``BaseDataset``.
    """

    def __init__(self, ann_file: str, task: str = 'slt', bad_samples: str | None = None,
                 **kwargs):
        if task not in TASKS:
            raise ValueError(f'task must be one of {TASKS}, got {task!r}')
        self.task = task
        self.bad_samples = resolve_policy(bad_samples, kwargs.get('test_mode', False))
        super().__init__(ann_file=ann_file, **kwargs)

    def __getitem__(self, idx: int) -> dict:
        """The packed clip; its random augmentations are seeded by the sampler's draw. With
        ``bad_samples='skip'`` a clip that fails to load is replaced by the next one, which
        carries the skipped clips under ``'skipped'`` (bad_samples.py)."""
        skipped = []
        with seeded_randomness(idx):
            for index in range(int(idx), int(idx) + MAX_REPLACEMENTS):
                index %= len(self)
                try:
                    item = super().__getitem__(index)
                except DATA_ERRORS as error:
                    if self.bad_samples == 'fail':
                        raise
                    skipped.append(skipped_record(self.get_data_info(index)['id'], error))
                    continue
                if skipped:
                    item['skipped'] = skipped
                return item
        raise ValueError(f'{self.ann_file}: {MAX_REPLACEMENTS} consecutive clips failed to load, '
                         f'the last: {skipped[-1]["id"]!r}: {skipped[-1]["reason"]}')

    def load_data_list(self) -> list[dict]:
        if not osp.exists(self.ann_file):
            raise FileNotFoundError(
                f'{self.ann_file}: shard index not found (expected the '
                f'{{dataset}}-{{split}}.index.json that tools/extract_pose.py writes)')
        data_list, skipped = [], 0
        for sample in load_split_index(self.ann_file):
            target = target_of(sample.meta, self.task)
            if not target:
                skipped += 1
                continue
            data_list.append(dict(shard_sample=sample, id=sample.id, target=target,
                                  task=self.task, language=sample.meta.get('language'),
                                  signer=sample.meta.get('signer'),
                                  dataset=sample.meta.get('dataset')))
        if skipped:
            print_log(f'{self.ann_file}: skipped {skipped} clips without a {self.task} target',
                      logger='current')
        if not data_list:
            raise ValueError(f'{self.ann_file}: no clip has a target for task {self.task!r}')
        return data_list

    def frame_counts(self) -> list[int]:
        """Frames of every clip, in index order (for length-grouped batching)."""
        return [self.get_data_info(i)['shard_sample'].num_frames for i in range(len(self))]
