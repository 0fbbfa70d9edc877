"""On-disk formats: the clip manifest (JSONL) and the webdataset shards (docs/formats.md)."""
from .manifest import ManifestError, read_manifest, target_of, validate_record, write_manifest
from .shard_index import ShardFormatError, ShardSample, load_split_index, write_split_index
from .shards import ShardWriter, read_sample, validate_shard

__all__ = ['ManifestError', 'read_manifest', 'target_of', 'validate_record', 'write_manifest',
           'ShardFormatError', 'ShardSample', 'load_split_index', 'write_split_index',
           'ShardWriter', 'read_sample', 'validate_shard']
