"""Webdataset shards of extracted samples: atomic writer, random-access reader, validator.

Layout and members are specified in docs/formats.md. Shards hold only plain ``.npy`` arrays, JSON
and JPEG, so every array loads with ``allow_pickle=False`` and a shard from an untrusted source
cannot execute code. Damage is caught where it would otherwise reach training as NaN losses: the
reader checks each member it reads against the index's CRC-32 and refuses keypoints that are not
finite or lie far outside the frame. Run ``python -m unisign_fla.formats.shards validate DIR`` to
check whole shards.
"""
import argparse
import glob
import io
import json
import os
import sys
import tarfile
import threading
from collections import OrderedDict

import cv2
import numpy as np
from webdataset import TarWriter

from unisign_fla.fileio import write_text_atomic
from unisign_fla.formats.manifest import REQUIRED as MANIFEST_REQUIRED
from unisign_fla.formats.shard_index import (
    SHARD_FORMAT,
    ShardFormatError,
    ShardSample,
    build_shard_index,
    member_checksum,
    member_position,
    read_shard_index,
    tar_member_offsets,
)
from unisign_fla.keypoints import HANDS, JOINT_SCORE_THRESHOLD, NUM_KEYPOINTS
from unisign_fla.structures.hand_crops import ROW, HandCrops

META_REQUIRED = tuple(MANIFEST_REQUIRED) + ('fps', 'width', 'height', 'num_frames',
                                            'frame_indices', 'estimator', 'crop_size')
KNOWN_MEMBERS = ({'pose.npy', 'meta.json'} | {f'{h}.jpg' for h in HANDS}
                 | {f'{h}_boxes.npy' for h in HANDS})


def _npy_bytes(array: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, array, allow_pickle=False)
    return buf.getvalue()


def _load_npy(data: bytes, where: str) -> np.ndarray:
    try:
        return np.load(io.BytesIO(data), allow_pickle=False)
    except ValueError as e:   # object arrays need pickle; truncated or foreign data
        raise ShardFormatError(f'{where}: not a plain .npy array ({e})') from None


def pose_problem(pose: np.ndarray, width, height) -> str | None:
    """Why keypoints (T, 133, 3) of a ``width`` x ``height`` frame are unfit to train on, or
    None. Every value must be finite and every score >= 0; a point scoring above
    ``JOINT_SCORE_THRESHOLD`` (the threshold at which normalisation uses a joint) must lie in
    [-W, 2W] x [-H, 2H]. That margin lets through what real estimators predict just past the
    frame edge; MediaPipe extrapolates hidden joints even further, but scores them low."""
    try:
        size = np.array([width, height], np.float64)
    except (TypeError, ValueError):
        size = np.zeros(2)
    if not (np.isfinite(size).all() and (size > 0).all()):
        return f'frame size {width!r} x {height!r} is not a positive number of pixels'
    width, height = size
    if pose.ndim != 3 or pose.shape[1:] != (NUM_KEYPOINTS, 3) or len(pose) == 0:
        return f'shape {pose.shape}, expected (T >= 1, {NUM_KEYPOINTS}, 3)'
    if not np.isfinite(pose).all():
        return f'{int((~np.isfinite(pose)).sum())} non-finite values (NaN or inf)'
    x, y, scores = pose.reshape(-1, 3).T.copy()   # contiguous: the reductions below are fast
    if scores.min() < 0:
        return f'{int((scores < 0).sum())} negative scores'
    if x.min() >= -width and x.max() <= 2 * width and y.min() >= -height \
            and y.max() <= 2 * height:
        return None   # every point inside, whatever its score: the common case, decided cheaply
    outside = (scores > JOINT_SCORE_THRESHOLD) & ((x < -width) | (x > 2 * width)
                                                  | (y < -height) | (y > 2 * height))
    if outside.any():
        first = np.flatnonzero(outside)[0]
        return (f'{int(outside.sum())} points scoring above {JOINT_SCORE_THRESHOLD} lie outside '
                f'[-W, 2W] x [-H, 2H] of the {width:g}x{height:g} frame, e.g. '
                f'({x[first]:g}, {y[first]:g})')
    return None


def encode_sample(sample: dict, jpeg_quality: int = 90) -> dict[str, bytes]:
    """Member bytes of a sample given as ``read_sample`` returns it (``id``, ``pose``, ``meta``,
    and per hand a ``structures.HandCrops``, or no hands at all)."""
    where = f'sample {sample["id"]!r}'
    pose = np.asarray(sample['pose'])
    if pose.ndim != 3 or pose.shape[1:] != (NUM_KEYPOINTS, 3) or len(pose) == 0:
        raise ShardFormatError(f'{where}: pose must be (T, {NUM_KEYPOINTS}, 3) with T >= 1, '
                               f'got {pose.shape}')
    members = {'pose.npy': _npy_bytes(pose.astype(np.float16)),
               'meta.json': json.dumps(sample['meta'], ensure_ascii=False).encode('utf-8')}
    for hand in HANDS:
        if hand not in sample:
            continue
        crops, boxes = sample[hand]['crops'], np.asarray(sample[hand]['boxes'], np.float32)
        if boxes.ndim != 2 or boxes.shape[1] != 5 or len(boxes) != len(crops):
            raise ShardFormatError(f'{where}: {hand} boxes must be (K, 5) with K = '
                                   f'{len(crops)} crops, got {boxes.shape}')
        if len(boxes) and not ((boxes[:, ROW] >= 0) & (boxes[:, ROW] < len(pose))).all():
            raise ShardFormatError(f'{where}: {hand} boxes name pose rows outside '
                                   f'0..{len(pose) - 1}')
        members[f'{hand}_boxes.npy'] = _npy_bytes(boxes)
        if len(crops):
            k, s = crops.shape[:2]
            stacked = cv2.cvtColor(np.ascontiguousarray(crops).reshape(k * s, s, 3),
                                   cv2.COLOR_RGB2BGR)
            ok, jpg = cv2.imencode('.jpg', stacked, [cv2.IMWRITE_JPEG_QUALITY, jpeg_quality])
            if not ok:
                raise ShardFormatError(f'{where}: OpenCV could not JPEG-encode the {hand} crops')
            members[f'{hand}.jpg'] = jpg.tobytes()
    return members


class ShardWriter:
    """Write one shard as ``X.tar.tmp`` (replacing any left there), rename it to ``X.tar`` when
    complete, then write the ``X.json`` index. Only the index marks the shard finished; ``abort``
    (or an exception inside ``with``) deletes the temporary tar so nothing half-written
    survives."""

    def __init__(self, tar_path: str, jpeg_quality: int = 90):
        if not tar_path.endswith('.tar'):
            raise ValueError(f'{tar_path}: shard names must end in .tar')
        self.tar_path = tar_path
        self.tmp_path = tar_path + '.tmp'
        self.json_path = tar_path[:-len('.tar')] + '.json'
        self.jpeg_quality = jpeg_quality
        self._entries: list[dict] = []
        if os.path.lexists(self.tmp_path):   # left by an interrupted attempt at this shard
            os.remove(self.tmp_path)
        self._file = open(self.tmp_path, 'xb')   # a new file: never through a planted symlink
        self._writer = TarWriter(self._file, encoder=False, compress=False)

    def write(self, sample: dict) -> None:
        self.write_encoded(sample['id'], encode_sample(sample, self.jpeg_quality),
                           num_frames=len(sample['pose']), meta=sample['meta'])

    def write_encoded(self, sample_id: str, members: dict[str, bytes], num_frames: int,
                      meta: dict) -> None:
        """Write members already made by ``encode_sample`` (lets callers encode in threads)."""
        self._writer.write({'__key__': sample_id, **members})
        self._entries.append({'id': sample_id, 'num_frames': num_frames, 'meta': meta,
                              'checksums': {name: member_checksum(data)
                                            for name, data in members.items()}})

    def finish(self, extra_index: dict | None = None) -> dict:
        """Close, index (offsets read back from the tar headers), rename, write the index."""
        self._close()
        index = build_shard_index(self.tmp_path, self._entries, extra_index)
        os.replace(self.tmp_path, self.tar_path)
        write_text_atomic(self.json_path, json.dumps(index, ensure_ascii=False))
        return index

    def abort(self) -> None:
        self._close()
        if os.path.exists(self.tmp_path):
            os.remove(self.tmp_path)

    def _close(self) -> None:
        if self._file.closed:
            return
        self._writer.close()
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            self.abort()


class _ShardFiles:
    """Open shard file descriptors per process; ``os.pread`` needs no seek, so threads and forked
    workers never disturb each other's position."""

    def __init__(self, max_open: int = 64):
        self.max_open = max_open
        self._fds: 'OrderedDict[str, int]' = OrderedDict()
        self._pid = os.getpid()
        self._lock = threading.Lock()

    def read(self, path: str, offset: int, size: int) -> bytes:
        with self._lock:
            if self._pid != os.getpid():        # forked: the parent's descriptors are not ours
                self._fds, self._pid = OrderedDict(), os.getpid()
            fd = self._fds.pop(path, None)
            if fd is None:
                fd = os.open(path, os.O_RDONLY)
                if len(self._fds) >= self.max_open:
                    os.close(self._fds.popitem(last=False)[1])
            self._fds[path] = fd
            data = os.pread(fd, size, offset)
        if len(data) != size:
            raise ShardFormatError(f'{path}: truncated, wanted {size} bytes at offset {offset}, '
                                   f'got {len(data)}')
        return data


_SHARD_FILES = _ShardFiles()


def _load_meta(data: bytes, where: str) -> dict:
    try:
        meta = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise ShardFormatError(f'{where}: not a JSON object ({e})') from None
    if not isinstance(meta, dict):
        raise ShardFormatError(f'{where}: not a JSON object (got {type(meta).__name__})')
    return meta


def _decode_crops(data: bytes, num_crops: int, where: str) -> np.ndarray:
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise ShardFormatError(f'{where}: not a decodable JPEG')
    height, side = image.shape[:2]
    if height != num_crops * side:
        raise ShardFormatError(f'{where}: image is {height} px high, expected K * S = '
                               f'{num_crops} * {side}')
    rgb = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
    return rgb.reshape(num_crops, side, side, 3)


def read_sample(sample: ShardSample, with_crops: bool = True) -> dict:
    """Read one sample with one ``pread`` per member. Returns ``{'id', 'pose': float32 (T, 133, 3),
    'meta', 'left_hand': {'crops', 'boxes'}, 'right_hand': {...}}``; ``crops`` is uint8
    (K, S, S, 3) RGB, or ``None`` when ``with_crops`` is False (boxes are always returned).

    Every member read is checked against its CRC-32 from the index, and the keypoints against
    ``pose_problem``; any failure is a ShardFormatError naming the shard and the sample, so a
    training loop can skip the sample."""
    def member(name: str) -> bytes:
        offset, size, checksum = sample.members[name]
        data = _SHARD_FILES.read(sample.shard, offset, size)
        if checksum is not None and member_checksum(data) != checksum:
            raise ShardFormatError(f'{where}: member {name!r}: CRC-32 {member_checksum(data):08x}'
                                   f' does not match the index ({checksum:08x}): the shard is '
                                   f'damaged')
        return data

    where = f'{sample.shard}: sample {sample.id!r}'
    if 'pose.npy' not in sample.members or 'meta.json' not in sample.members:
        raise ShardFormatError(f'{where}: index lists no pose.npy / meta.json member')
    pose = _load_npy(member('pose.npy'), f'{where}: pose.npy')
    if pose.dtype.kind != 'f':
        raise ShardFormatError(f'{where}: pose.npy: dtype {pose.dtype}, expected float16')
    pose = pose.astype(np.float32)
    meta = _load_meta(member('meta.json'), f'{where}: meta.json')
    problem = pose_problem(pose, meta.get('width'), meta.get('height'))
    if problem:
        raise ShardFormatError(f'{where}: pose.npy: {problem}')
    out = {'id': sample.id, 'pose': pose, 'meta': meta}
    side = meta.get('crop_size') or 0
    for hand in HANDS:
        boxes_name = f'{hand}_boxes.npy'
        boxes = (_load_npy(member(boxes_name), f'{where}: {boxes_name}')
                 if boxes_name in sample.members else np.zeros((0, 5), np.float32))
        crops = None
        if with_crops:
            if f'{hand}.jpg' in sample.members:
                crops = _decode_crops(member(f'{hand}.jpg'), len(boxes), f'{where}: {hand}.jpg')
            else:
                crops = np.zeros((0, side, side, 3), np.uint8)
        out[hand] = HandCrops(crops=crops, boxes=boxes)
    return out


def _validate_members(members: dict[str, bytes], where: str) -> list[str]:
    """Problems of one sample's members; ``where`` is ``'shard: sample id'``."""
    problems = []
    for name in sorted(set(members) - KNOWN_MEMBERS):
        problems.append(f'{where}: member {name!r}: unknown member')
    pose, meta = None, None
    if 'pose.npy' not in members:
        problems.append(f'{where}: member \'pose.npy\': missing')
    else:
        try:
            pose = _load_npy(members['pose.npy'], f'{where}: member \'pose.npy\'')
            if pose.dtype != np.float16 or pose.ndim != 3 or pose.shape[1:] != (NUM_KEYPOINTS, 3) \
                    or len(pose) == 0:
                problems.append(f'{where}: member \'pose.npy\': expected float16 '
                                f'(T>=1, {NUM_KEYPOINTS}, 3), got {pose.dtype} {pose.shape}')
                pose = None
        except ShardFormatError as e:
            problems.append(str(e))
    num_frames = None if pose is None else len(pose)
    if 'meta.json' not in members:
        problems.append(f'{where}: member \'meta.json\': missing')
    else:
        try:
            meta = _load_meta(members['meta.json'], f'{where}: member \'meta.json\'')
            missing = [k for k in META_REQUIRED if k not in meta]
            if missing:
                problems.append(f'{where}: member \'meta.json\': missing keys {missing}')
            elif num_frames is not None and (meta['num_frames'] != num_frames
                                             or len(meta['frame_indices']) != num_frames):
                problems.append(f'{where}: member \'meta.json\': num_frames / frame_indices do '
                                f'not match the {num_frames} pose rows')
        except ShardFormatError as e:
            problems.append(str(e))
            meta = None
        except TypeError as e:
            problems.append(f'{where}: member \'meta.json\': malformed ({e})')
            meta = None
    if pose is not None and meta is not None:
        problem = pose_problem(pose.astype(np.float32), meta.get('width'), meta.get('height'))
        if problem:
            problems.append(f'{where}: member \'pose.npy\': {problem}')
    for hand in HANDS:
        problems += _validate_hand(members, hand, num_frames, meta, where)
    return problems


def _validate_hand(members, hand, num_frames, meta, where) -> list[str]:
    jpg_name, boxes_name = f'{hand}.jpg', f'{hand}_boxes.npy'
    if boxes_name not in members:
        return [f'{where}: member {jpg_name!r}: present without {boxes_name!r}'] \
            if jpg_name in members else []
    try:
        boxes = _load_npy(members[boxes_name], f'{where}: member {boxes_name!r}')
    except ShardFormatError as e:
        return [str(e)]
    if boxes.dtype != np.float32 or boxes.ndim != 2 or boxes.shape[1] != 5:
        return [f'{where}: member {boxes_name!r}: expected float32 (K, 5), '
                f'got {boxes.dtype} {boxes.shape}']
    problems = []
    if num_frames is not None and len(boxes) and not (
            (boxes[:, 0] >= 0).all() and (boxes[:, 0] < num_frames).all()):
        problems.append(f'{where}: member {boxes_name!r}: pose rows outside 0..{num_frames - 1}')
    if len(boxes) and jpg_name not in members:
        problems.append(f'{where}: member {jpg_name!r}: missing for {len(boxes)} boxes')
    elif jpg_name in members:
        try:
            crops = _decode_crops(members[jpg_name], len(boxes), f'{where}: member {jpg_name!r}')
            side = (meta or {}).get('crop_size')
            if side is not None and crops.shape[1] != side:
                problems.append(f'{where}: member {jpg_name!r}: crops are {crops.shape[1]} px, '
                                f'meta crop_size is {side}')
        except ShardFormatError as e:
            problems.append(str(e))
    return problems


def validate_shard(tar_path: str, notes: list[str] | None = None) -> list[str]:
    """Every problem found in a shard (and its index, if present); an empty list means valid.
    Remarks that are not problems (an index too old to carry checksums) go to ``notes``."""
    try:
        samples: dict[str, dict[str, bytes]] = OrderedDict()
        with tarfile.open(tar_path, 'r:') as tar:
            for info in tar:
                key, _, name = info.name.partition('.')
                if not info.isfile() or not name:
                    return [f'{tar_path}: entry {info.name!r} is not an {{id}}.{{member}} file']
                samples.setdefault(key, {})[name] = tar.extractfile(info).read()
    except (tarfile.TarError, OSError) as e:
        return [f'{tar_path}: cannot be read as a tar file ({e})']
    problems = []
    for key, members in samples.items():
        problems += _validate_members(members, f'{tar_path}: sample {key!r}')
    json_path = tar_path[:-len('.tar')] + '.json'
    if not os.path.exists(json_path):
        return problems + [f'{tar_path}: no index {os.path.basename(json_path)} (unfinished)']
    return problems + _validate_index(tar_path, json_path, samples,
                                      notes if notes is not None else [])


def _validate_index(tar_path: str, json_path: str, samples: dict[str, dict[str, bytes]],
                    notes: list[str]) -> list[str]:
    """Problems of a shard's index against the tar: ids, offsets and checksums."""
    problems = []
    try:
        index = read_shard_index(json_path)
        if index['format'] != SHARD_FORMAT:
            notes.append(f'{json_path}: format {index["format"]} has no member checksums; '
                         f'extract the shard again to get them')
        offsets = tar_member_offsets(tar_path)
        if [s['id'] for s in index['samples']] != list(samples):
            problems.append(f'{json_path}: sample ids differ from those in the tar')
        for entry in index['samples']:
            where = f'sample {entry["id"]!r}'
            for name, value in entry['members'].items():
                offset, size, checksum = member_position(value, index['format'])
                if tuple(offsets.get(f'{entry["id"]}.{name}', ())) != (offset, size):
                    problems.append(f'{json_path}: {where}: member {name!r}: [offset, size] '
                                    f'does not match the tar')
                data = samples.get(entry['id'], {}).get(name)
                if checksum is not None and data is not None \
                        and member_checksum(data) != checksum:
                    problems.append(f'{tar_path}: {where}: member {name!r}: CRC-32 '
                                    f'{member_checksum(data):08x} does not match the index '
                                    f'({checksum:08x}): the member is damaged')
    except (ShardFormatError, KeyError, TypeError, ValueError) as e:
        problems.append(f'{json_path}: malformed shard index ({e})')
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog='python -m unisign_fla.formats.shards',
                                     description='Check webdataset shards against docs/formats.md.')
    sub = parser.add_subparsers(dest='command', required=True)
    check = sub.add_parser('validate', help='validate shard tars (files or folders of them)')
    check.add_argument('paths', nargs='+')
    args = parser.parse_args(argv)
    tars = []
    for path in args.paths:
        tars += sorted(glob.glob(os.path.join(glob.escape(path), '*.tar'))) \
            if os.path.isdir(path) else [path]
    num_problems = 0
    for tar_path in tars:
        notes = []
        problems = validate_shard(tar_path, notes)
        num_problems += len(problems)
        print('\n'.join((problems or [f'{tar_path}: ok']) + notes))
    print(f'{len(tars)} shard(s), {num_problems} problem(s)', file=sys.stderr)
    return 1 if num_problems or not tars else 0


if __name__ == '__main__':
    sys.exit(main())
