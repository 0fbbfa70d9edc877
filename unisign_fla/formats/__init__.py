"""On-disk formats: the clip manifest (JSONL) and the webdataset shards."""
from .manifest import ManifestError, read_manifest, validate_record, write_manifest

__all__ = ['ManifestError', 'read_manifest', 'validate_record', 'write_manifest']
