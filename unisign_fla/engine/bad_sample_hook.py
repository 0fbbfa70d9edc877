"""Counting the clips a training set skipped, and stopping when too many are bad.

``SignShardDataset(bad_samples='skip')`` (the default for training sets) replaces a clip that
fails to load by the next one and records its id and the reason, which ``sign_collate`` lists in
``batch['skipped']``. This hook takes that list out of the batch before the model sees it, logs
each bad clip once with its reason, and stops the run when the bad clips exceed ``max_share`` of
the training set: a few damaged clips deserve a warning, a damaged data set deserves a stop.
Evaluation batches must be complete, so a skipped clip there is an error.
"""
from mmengine.hooks import Hook

from unisign_fla.registry import HOOKS


class TooManyBadSamplesError(RuntimeError):
    """More of the training set failed to load than the configured share."""


@HOOKS.register_module()
class BadSampleHook(Hook):
    """Args:
        max_share: largest share of the training set (per process) that may be skipped.
    """
    priority = 'VERY_HIGH'   # the model must never receive the 'skipped' entry

    def __init__(self, max_share: float = 0.01):
        if not 0 <= max_share < 1:
            raise ValueError(f'max_share must be in [0, 1), got {max_share}')
        self.max_share = max_share
        self.skipped: dict = {}

    def before_train_iter(self, runner, batch_idx: int, data_batch=None) -> None:
        records = data_batch.pop('skipped', []) if isinstance(data_batch, dict) else []
        for record in records:
            if record['id'] not in self.skipped:
                self.skipped[record['id']] = record['reason']
                runner.logger.warning(f'skipped clip {record["id"]!r}: {record["reason"]}')
        limit = self.max_share * len(runner.train_dataloader.dataset) / runner.world_size
        if records and len(self.skipped) > limit:
            raise TooManyBadSamplesError(
                f'{len(self.skipped)} clips of the training set failed to load, more than '
                f'max_share={self.max_share} allows ({limit:.1f}); '
                f'the last: {records[-1]["id"]!r}: '
                f'{records[-1]["reason"]}. Check the shards with '
                '`python -m unisign_fla.formats.shards validate DIR`.')

    def after_train(self, runner) -> None:
        if self.skipped:
            runner.logger.warning(f'{len(self.skipped)} clips were skipped in training: '
                                  f'{sorted(self.skipped)[:20]}')

    def before_val_iter(self, runner, batch_idx: int, data_batch=None) -> None:
        self._refuse_incomplete(data_batch, 'validation')

    def before_test_iter(self, runner, batch_idx: int, data_batch=None) -> None:
        self._refuse_incomplete(data_batch, 'test')

    @staticmethod
    def _refuse_incomplete(data_batch, stage: str) -> None:
        if isinstance(data_batch, dict) and data_batch.get('skipped'):
            raise RuntimeError(f'{stage} set: clips failed to load ({data_batch["skipped"]}); '
                               'a score without them would not be comparable. Set '
                               'bad_samples="fail" on evaluation data sets.')
