"""Shard and split indices: the JSON files that let a loader find any sample without scanning tars.

A shard's index (``{dataset}-{split}-{NNNNNN}.json``) is written only after its tar is complete, so
its presence is the one marker of a finished shard. It lists every sample with the ``[offset,
size]`` of each member's data inside the tar and the sample's targets, so a map-style dataset can
list lengths and labels without opening a tar and can read a sample with one seek.
The split index (``{dataset}-{split}.index.json``) lists the finished shards of a split.
"""
import glob
import json
import os
import tarfile
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

SHARD_FORMAT = 'unisign_fla-shard/1'
SPLIT_FORMAT = 'unisign_fla-split/1'
# Meta fields copied into each index entry so a dataset can list targets without opening tars.
INDEX_META_FIELDS = ('dataset', 'split', 'text', 'gloss', 'label', 'language', 'signer')


class ShardFormatError(ValueError):
    """An index or shard that does not follow docs/formats.md; the message names the file."""


@dataclass
class ShardSample:
    """Where one sample lives: enough to read it with one seek per member (see ``read_sample``)."""
    shard: str                     # absolute path of the tar
    id: str
    num_frames: int
    members: Dict[str, Tuple[int, int]]   # member name -> (offset, size) of its data in the tar
    meta: Dict[str, object] = field(default_factory=dict)  # INDEX_META_FIELDS present in the sample


def shard_stem(dataset: str, split: str, index: int) -> str:
    return f'{dataset}-{split}-{index:06d}'


def split_index_path(out_dir: str, dataset: str, split: str) -> str:
    return os.path.join(out_dir, f'{dataset}-{split}.index.json')


def write_json_atomic(path: str, obj) -> None:
    """Write JSON through a temporary file and a rename, so readers never see half a file."""
    tmp = f'{path}.tmp{os.getpid()}'
    with open(tmp, 'w', encoding='utf-8') as f:
        json.dump(obj, f, ensure_ascii=False)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def tar_member_offsets(tar_path: str) -> Dict[str, Tuple[int, int]]:
    """``{member name: (data offset, size)}`` read from the tar headers of a finished tar."""
    offsets = {}
    with tarfile.open(tar_path, 'r:') as tar:
        for info in tar:
            if info.isfile():
                offsets[info.name] = (info.offset_data, info.size)
    return offsets


def build_shard_index(tar_path: str, samples: List[dict], extra: Optional[dict] = None) -> dict:
    """The index of a tar whose samples are described by ``samples`` (``{'id', 'num_frames',
    'meta'}`` each, in write order); offsets come from the tar itself, not from bookkeeping."""
    offsets = tar_member_offsets(tar_path)
    entries = []
    for sample in samples:
        prefix = sample['id'] + '.'
        members = {name[len(prefix):]: list(pos) for name, pos in offsets.items()
                   if name.startswith(prefix)}
        if 'pose.npy' not in members:
            raise ShardFormatError(f'{tar_path}: sample {sample["id"]!r} has no pose.npy member')
        entry = {'id': sample['id'], 'num_frames': int(sample['num_frames']), 'members': members}
        entry.update({k: sample['meta'][k] for k in INDEX_META_FIELDS if k in sample['meta']})
        entries.append(entry)
    index = {'format': SHARD_FORMAT, 'shard': os.path.basename(tar_path).removesuffix('.tmp'),
             'num_samples': len(entries), 'num_frames': sum(e['num_frames'] for e in entries),
             'samples': entries}
    index.update(extra or {})
    return index


def read_json(path: str, what: str) -> dict:
    try:
        with open(path, encoding='utf-8') as f:
            return json.load(f)
    except FileNotFoundError:
        raise ShardFormatError(f'{path}: {what} not found') from None
    except json.JSONDecodeError as e:
        raise ShardFormatError(f'{path}: {what} is not valid JSON ({e.msg}, line {e.lineno})') \
            from None


def read_shard_index(json_path: str) -> dict:
    index = read_json(json_path, 'shard index')
    if index.get('format') != SHARD_FORMAT:
        raise ShardFormatError(f'{json_path}: expected "format": "{SHARD_FORMAT}", '
                               f'got {index.get("format")!r}')
    for key in ('shard', 'num_samples', 'num_frames', 'samples'):
        if key not in index:
            raise ShardFormatError(f'{json_path}: shard index lacks key {key!r}')
    return index


def write_split_index(out_dir: str, dataset: str, split: str, num_shards: int) -> dict:
    """(Re)write the split index from the finished shards ``0 .. num_shards-1``; shards whose index
    is missing are listed under ``missing_shards`` so a loader can warn about an incomplete split."""
    shards, missing = [], []
    for k in range(num_shards):
        stem = shard_stem(dataset, split, k)
        json_path = os.path.join(out_dir, stem + '.json')
        if not os.path.exists(json_path):
            missing.append(stem + '.tar')
            continue
        index = read_shard_index(json_path)
        shards.append({'shard': stem + '.tar', 'index': stem + '.json',
                       'num_samples': index['num_samples'], 'num_frames': index['num_frames']})
    split_index = {'format': SPLIT_FORMAT, 'dataset': dataset, 'split': split,
                   'num_shards': len(shards), 'missing_shards': missing,
                   'num_samples': sum(s['num_samples'] for s in shards),
                   'num_frames': sum(s['num_frames'] for s in shards), 'shards': shards}
    write_json_atomic(split_index_path(out_dir, dataset, split), split_index)
    return split_index


def find_split_index(path_or_dir: str, dataset: Optional[str] = None,
                     split: Optional[str] = None) -> str:
    """Resolve a split index file from a file path or a shard folder (+ dataset / split)."""
    if os.path.isfile(path_or_dir):
        return path_or_dir
    if not os.path.isdir(path_or_dir):
        raise ShardFormatError(f'{path_or_dir}: no such split index file or shard folder')
    pattern = f'{dataset or "*"}-{split or "*"}.index.json'
    found = sorted(glob.glob(os.path.join(glob.escape(path_or_dir), pattern)))
    if len(found) != 1:
        available = sorted(os.path.basename(p) for p in
                           glob.glob(os.path.join(glob.escape(path_or_dir), '*.index.json')))
        raise ShardFormatError(f'{path_or_dir}: expected exactly one split index matching '
                               f'{pattern!r}, found {len(found)}; available: {available}')
    return found[0]


def load_split_index(path_or_dir: str, dataset: Optional[str] = None,
                     split: Optional[str] = None) -> List[ShardSample]:
    """All samples of a split, in shard order, as :class:`ShardSample` (no tar is opened)."""
    split_path = find_split_index(path_or_dir, dataset, split)
    split_index = read_json(split_path, 'split index')
    if split_index.get('format') != SPLIT_FORMAT or 'shards' not in split_index:
        raise ShardFormatError(f'{split_path}: expected a split index with "format": '
                               f'"{SPLIT_FORMAT}" and a "shards" list')
    root = os.path.dirname(os.path.abspath(split_path))
    samples = []
    for shard in split_index['shards']:
        json_path = os.path.join(root, shard['index'])
        index = read_shard_index(json_path)
        tar_path = os.path.join(root, shard['shard'])
        for i, entry in enumerate(index['samples']):
            try:
                samples.append(ShardSample(
                    shard=tar_path, id=entry['id'], num_frames=int(entry['num_frames']),
                    members={k: (int(v[0]), int(v[1])) for k, v in entry['members'].items()},
                    meta={k: entry[k] for k in INDEX_META_FIELDS if k in entry}))
            except (KeyError, TypeError, ValueError, IndexError) as e:
                raise ShardFormatError(f'{json_path}: samples[{i}] is malformed ({e!r}); '
                                       f'expected id, num_frames and members') from None
    return samples
