"""Filesystem-safe clip ids: they name files inside shards, so ``:``, ``.`` or spaces (OpenASL
ids are ``<youtube id>-HH:MM:SS.mmm-HH:MM:SS.mmm``) are replaced, and the dataset's own id is
kept in ``original_id``."""
import hashlib
import re

from unisign_fla.formats.names import is_safe_name

UNSAFE = re.compile(r'[^A-Za-z0-9_\-]+')


def safe_id(original: str) -> str:
    cleaned = UNSAFE.sub('_', original).strip('_')
    return cleaned or 'clip_' + hashlib.sha1(original.encode('utf-8')).hexdigest()[:10]


def assign_safe_ids(splits: dict[str, list[dict]]) -> int:
    """Make every record's ``id`` safe and unique within its split (``original_id`` keeps an id
    that changed); returns how many ids changed. Records must have distinct ids already."""
    changed = 0
    for records in splits.values():
        taken = set()
        for record in records:
            original = record['id']
            new = original if is_safe_name(original) else safe_id(original)
            if new in taken:
                new = f'{new}-{hashlib.sha1(original.encode("utf-8")).hexdigest()[:8]}'
            if new != original:
                record['original_id'], record['id'] = original, new
                changed += 1
            taken.add(new)
    return changed
