"""Finding the one clip a figure is about, with errors a person can act on.

Visualisations are run by hand on a clip id copied from a log or a predictions file, so a
miss says what exists instead of raising an index error.
"""

from unisign_fla.formats.shard_index import ShardSample, load_split_index

SHOWN_IDS = 5


def select_clip(shards_dir: str, dataset: str | None, split: str | None,
                clip_id: str | None = None, index: int | None = None) -> ShardSample:
    """The clip named ``clip_id`` (or the ``index``-th) of a split; ValueError naming what exists
    when there is no such clip (ShardFormatError, a ValueError, for a missing split index)."""
    samples = load_split_index(shards_dir, dataset, split)
    where = f'{shards_dir} ({dataset or "*"}/{split or "*"}, {len(samples)} clips)'
    if clip_id is not None:
        for sample in samples:
            if sample.id == clip_id:
                return sample
        first = ', '.join(s.id for s in samples[:SHOWN_IDS])
        raise ValueError(f'no clip {clip_id!r} in {where}; ids look like: {first}')
    index = 0 if index is None else index
    if not -len(samples) <= index < len(samples):
        raise ValueError(f'--index {index} is out of range for {where}')
    return samples[index]
