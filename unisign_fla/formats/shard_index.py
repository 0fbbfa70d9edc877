"""Shard and split indices: the JSON files that let a loader find any sample without scanning tars.

A shard's index (``{dataset}-{split}-{NNNNNN}.json``) is written only after its tar is complete, so
its presence is the one marker of a finished shard. It lists every sample with the ``[offset,
size, crc32]`` of each member's data inside the tar and the sample's targets, so a map-style
dataset can list lengths and labels without opening a tar, can read a sample with one seek, and
can tell a corrupted member from a good one.
The split index (``{dataset}-{split}.index.json``) lists the finished shards of a split.

CRC-32 rather than a cryptographic hash: it guards against damage (bit rot, a bad copy, bytes
overwritten), not against an attacker, who could rewrite the index as easily as the tar; and
it runs at a few GB/s, five times blake2b, so the loader can check every member it reads.
"""
import glob
import json
import os
import tarfile
import zlib
from dataclasses import dataclass, field

from unisign_fla.fileio import write_text_atomic
from unisign_fla.formats.names import UnsafeNameError, check_file_name, check_name, output_path

SHARD_FORMAT = 'unisign_fla-shard/2'
# Version 1 indices have no checksums ([offset, size] per member); they are still read.
SHARD_FORMATS = ('unisign_fla-shard/1', SHARD_FORMAT)
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
    # member name -> (offset, size, crc32) of its data in the tar; crc32 is None in version 1
    members: dict[str, tuple[int, int, int | None]]
    meta: dict[str, object] = field(default_factory=dict)  # INDEX_META_FIELDS present in the sample


def shard_stem(dataset: str, split: str, index: int) -> str:
    return f'{check_name(dataset, "dataset")}-{check_name(split, "split")}-{index:06d}'


def split_index_path(out_dir: str, dataset: str, split: str) -> str:
    return output_path(out_dir, f'{check_name(dataset, "dataset")}-'
                                f'{check_name(split, "split")}.index.json')


def member_checksum(data: bytes) -> int:
    return zlib.crc32(data)


def tar_member_offsets(tar_path: str) -> dict[str, tuple[int, int]]:
    """``{member name: (data offset, size)}`` read from the tar headers of a finished tar."""
    offsets = {}
    with tarfile.open(tar_path, 'r:') as tar:
        for info in tar:
            if info.isfile():
                offsets[info.name] = (info.offset_data, info.size)
    return offsets


def build_shard_index(tar_path: str, samples: list[dict], extra: dict | None = None) -> dict:
    """The index of a tar whose samples are described by ``samples`` (``{'id', 'num_frames',
    'meta', 'checksums'}`` each, in write order, ``checksums`` by member name); offsets come from
    the tar itself, not from bookkeeping."""
    offsets = tar_member_offsets(tar_path)
    entries = []
    for sample in samples:
        prefix = sample['id'] + '.'
        members = {name[len(prefix):]: list(pos) for name, pos in offsets.items()
                   if name.startswith(prefix)}
        if 'pose.npy' not in members:
            raise ShardFormatError(f'{tar_path}: sample {sample["id"]!r} has no pose.npy member')
        if set(members) != set(sample['checksums']):
            raise ShardFormatError(f'{tar_path}: sample {sample["id"]!r} has members '
                                   f'{sorted(members)} but checksums of '
                                   f'{sorted(sample["checksums"])}')
        for name, position in members.items():
            position.append(sample['checksums'][name])
        entry = {'id': sample['id'], 'num_frames': int(sample['num_frames']), 'members': members}
        entry.update({k: sample['meta'][k] for k in INDEX_META_FIELDS if k in sample['meta']})
        entries.append(entry)
    index = {'format': SHARD_FORMAT, 'shard': os.path.basename(tar_path).removesuffix('.tmp'),
             'num_samples': len(entries), 'num_frames': sum(e['num_frames'] for e in entries),
             'samples': entries}
    index.update(extra or {})
    return index


def read_json(path: str, what: str) -> dict:
    """A JSON object from ``path``; anything else (missing, binary, not JSON, not an object) is
    one ShardFormatError naming the file."""
    try:
        with open(path, encoding='utf-8') as f:
            obj = json.load(f)
    except FileNotFoundError:
        raise ShardFormatError(f'{path}: {what} not found') from None
    except UnicodeDecodeError as e:
        raise ShardFormatError(f'{path}: {what} is not UTF-8 text (byte {e.start}): a binary '
                               f'or damaged file') from None
    except json.JSONDecodeError as e:
        raise ShardFormatError(f'{path}: {what} is not valid JSON ({e.msg}, line {e.lineno})') \
            from None
    if not isinstance(obj, dict):
        raise ShardFormatError(f'{path}: {what} is a JSON {type(obj).__name__}, expected an '
                               f'object')
    return obj


def read_shard_index(json_path: str) -> dict:
    index = read_json(json_path, 'shard index')
    if index.get('format') not in SHARD_FORMATS:
        raise ShardFormatError(f'{json_path}: expected "format" to be one of {SHARD_FORMATS}, '
                               f'got {index.get("format")!r}')
    for key in ('shard', 'num_samples', 'num_frames', 'samples'):
        if key not in index:
            raise ShardFormatError(f'{json_path}: shard index lacks key {key!r}')
    return index


def write_split_index(out_dir: str, dataset: str, split: str, num_shards: int) -> dict:
    """(Re)write the split index from the finished shards ``0 .. num_shards-1``; shards whose index
    is missing are listed under ``missing_shards`` so a loader can warn about an incomplete
    split."""
    shards, missing = [], []
    for k in range(num_shards):
        stem = shard_stem(dataset, split, k)
        json_path = output_path(out_dir, stem + '.json')
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
    write_text_atomic(split_index_path(out_dir, dataset, split),
                      json.dumps(split_index, ensure_ascii=False))
    return split_index


def find_split_index(path_or_dir: str, dataset: str | None = None,
                     split: str | None = None) -> str:
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


def load_split_index(path_or_dir: str, dataset: str | None = None,
                     split: str | None = None) -> list[ShardSample]:
    """All samples of a split, in shard order, as :class:`ShardSample` (no tar is opened)."""
    split_path = find_split_index(path_or_dir, dataset, split)
    split_index = read_json(split_path, 'split index')
    if split_index.get('format') != SPLIT_FORMAT or not isinstance(split_index.get('shards'),
                                                                   list):
        raise ShardFormatError(f'{split_path}: expected a split index with "format": '
                               f'"{SPLIT_FORMAT}" and a "shards" list')
    root = os.path.dirname(os.path.abspath(split_path))
    samples = []
    for n, shard in enumerate(split_index['shards']):
        try:   # names from a file: never let them point outside the split index's folder
            json_path = os.path.join(root, check_file_name(shard['index'], 'index'))
            tar_path = os.path.join(root, check_file_name(shard['shard'], 'shard'))
        except (UnsafeNameError, KeyError, TypeError) as e:
            raise ShardFormatError(f'{split_path}: shards[{n}] is malformed ({e})') from None
        index = read_shard_index(json_path)
        for i, entry in enumerate(index['samples']):
            try:
                samples.append(ShardSample(
                    shard=tar_path, id=entry['id'], num_frames=int(entry['num_frames']),
                    members={k: member_position(v, index['format'])
                             for k, v in entry['members'].items()},
                    meta={k: entry[k] for k in INDEX_META_FIELDS if k in entry}))
            except (KeyError, TypeError, ValueError, IndexError, AttributeError) as e:
                raise ShardFormatError(f'{json_path}: samples[{i}] is malformed ({e!r}); '
                                       f'expected id, num_frames and members') from None
    return samples


def member_position(value, index_format: str) -> tuple[int, int, int | None]:
    """``(offset, size, crc32)`` from an index's ``[offset, size, crc32]``, or version 1's
    ``[offset, size]`` (crc32 None): a current index must carry the checksum, so the loader
    always checks what it reads."""
    expected = 3 if index_format == SHARD_FORMAT else 2
    if not isinstance(value, list) or len(value) != expected:
        raise ValueError(f'member position {value!r} is not '
                         f'{"[offset, size, crc32]" if expected == 3 else "[offset, size]"}')
    return int(value[0]), int(value[1]), int(value[2]) if expected == 3 else None
