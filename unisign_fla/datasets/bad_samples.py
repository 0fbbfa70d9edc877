"""What a data set does with a clip it cannot load: stop, or skip it and say so.

A training set of a million downloaded clips may hold a few damaged ones; ending a two-day run
for one of them is wrong, and training on fewer clips without a word is wrong too. With ``skip``,
a clip whose loading fails with a data error (a damaged shard member, a missing shard file) is
replaced by the next clip of the data set, so batches keep their size (a batch of one bad clip
must not end the run); the replaced clip's id and the reason travel with the replacement,
``sign_collate`` lists them under ``batch['skipped']``, and ``unisign_fla.engine.BadSampleHook``
logs each one and stops the run when more than a set share of the data is bad. Evaluation uses
``fail``: a test set scored without some of its clips is not comparable with published results.
"""

from unisign_fla.formats.shard_index import ShardFormatError

POLICIES = ('fail', 'skip')
# Failures that belong to the data, not the code or the machine: a bug in a transform, or a
# transient I/O error (too many open files, a network file system hiccup), must still stop the run.
DATA_ERRORS = (ShardFormatError, FileNotFoundError)
# Consecutive bad clips tried before giving up: more means a damaged stretch of shards.
MAX_REPLACEMENTS = 16


def resolve_policy(policy: str | None, test_mode: bool) -> str:
    """``policy`` checked; ``None`` means ``fail`` for evaluation sets and ``skip`` for training."""
    if policy is None:
        return 'fail' if test_mode else 'skip'
    if policy not in POLICIES:
        raise ValueError(f'bad_samples must be one of {POLICIES}, got {policy!r}')
    return policy


def skipped_record(sample_id: str, error: Exception) -> dict:
    """What travels with the replacement of a skipped clip."""
    return {'id': sample_id, 'reason': f'{type(error).__name__}: {error}'}
