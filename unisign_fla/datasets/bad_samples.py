"""What a data set does with a clip it cannot load: stop, or skip it and say so.

A training set of a million downloaded clips may hold a few damaged ones; ending a two-day run
for one of them is wrong, and training on fewer clips without a word is wrong too. With ``skip``,
a clip whose loading fails with a data error (a corrupt or unreadable shard member) comes out as
a record of its id and the reason; ``sign_collate`` takes it out of its batch and lists it under
``batch['skipped']``, and ``unisign_fla.engine.BadSampleHook`` logs each one and stops the run
when more than a set share of the data is bad. Evaluation uses ``fail``: a test set scored
without some of its clips is not comparable with published results.
"""
from typing import Optional

from unisign_fla.formats.shard_index import ShardFormatError

POLICIES = ('fail', 'skip')
# Failures that belong to the data, not the code: a bug in a transform must still stop the run.
DATA_ERRORS = (ShardFormatError, OSError)


def resolve_policy(policy: Optional[str], test_mode: bool) -> str:
    """``policy`` checked; ``None`` means ``fail`` for evaluation sets and ``skip`` for training."""
    if policy is None:
        return 'fail' if test_mode else 'skip'
    if policy not in POLICIES:
        raise ValueError(f'bad_samples must be one of {POLICIES}, got {policy!r}')
    return policy


def skipped_sample(sample_id: str, error: Exception) -> dict:
    """What the data set returns for a clip it skips."""
    return {'skipped': {'id': sample_id, 'reason': f'{type(error).__name__}: {error}'}}


def is_skipped(item: dict) -> bool:
    return 'skipped' in item and 'inputs' not in item
