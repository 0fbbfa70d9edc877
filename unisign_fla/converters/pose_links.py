"""``--poses DIR``: link each clip to a keypoint file the user already has (Uni-Sign's released
``.pkl`` pose pickles, ``.pose`` files, native ``.npy``), so ``tools/extract_pose.py --backend
precomputed`` skips pose estimation.

A clip's keypoint file is found by name: the stem of its video (or frame folder), else its
original id, anywhere under DIR; a clip that is a segment of a longer video only takes a file
named like that video (a file named like the clip would hold the clip's frames, not the
video's, which is what the importers expect for segments). Where one stem occurs in several
folders (PHOENIX ships ``<split>/<name>.pose``), the file under a folder named like the clip's
split wins.
"""
import os

from unisign_fla.formats.keypoint_files import KEYPOINT_IMPORTERS


def index_keypoint_files(poses_dir: str) -> dict[str, list[str]]:
    """stem -> absolute paths of keypoint files under ``poses_dir``."""
    index: dict[str, list[str]] = {}
    for folder, _, files in os.walk(poses_dir):
        for name in sorted(files):
            stem, suffix = os.path.splitext(name)
            if suffix.lower() in KEYPOINT_IMPORTERS:
                index.setdefault(stem, []).append(os.path.abspath(os.path.join(folder, name)))
    return index


def _clip_stem(record: dict) -> str:
    return os.path.splitext(os.path.basename(record['video'].rstrip('/')))[0]


def link_keypoints(splits: dict[str, list[dict]], poses_dir: str) -> list[str]:
    """Set ``keypoints`` (an absolute path) on every clip with a file; returns the ids of the
    clips without one."""
    if not os.path.isdir(poses_dir):
        raise FileNotFoundError(f'--poses {poses_dir}: not a directory')
    index, missing = index_keypoint_files(poses_dir), []
    for split, records in splits.items():
        for record in records:
            candidates = index.get(_clip_stem(record), [])
            if not candidates and 'start' not in record:
                candidates = index.get(record.get('original_id', record['id']), [])
            in_split = [p for p in candidates
                        if split in os.path.dirname(p).split(os.sep)]
            chosen = (in_split or candidates)[:1]
            if chosen:
                record['keypoints'] = chosen[0]
            else:
                missing.append(record['id'])
    return missing
