"""The clip manifest: one JSON object per line, one clip per object (docs/formats.md).

The validator's messages name the file, the line and the field, because a manifest of a million
lines that fails with ``KeyError: 'text'`` is useless to the person who has to fix it.
"""
import json
import os
from collections.abc import Iterable

from unisign_fla.fileio import write_text_atomic
from unisign_fla.formats.names import SAFE_NAME, is_safe_name

LANGUAGES = ('zh', 'de', 'en')
TIME_UNITS = ('s', 'frame')

REQUIRED = {'id': str, 'dataset': str, 'split': str, 'video': str, 'language': str}
# Fields that become file names, and which files they name.
NAME_FIELDS = {'id': 'files inside shards', 'dataset': 'shard files', 'split': 'shard files'}
OPTIONAL = {'text': str, 'gloss': list, 'label': str, 'signer': (str, int), 'keypoints': str,
            'start': (int, float), 'end': (int, float), 'time_unit': str, 'original_id': str}


class ManifestError(ValueError):
    """A manifest record that does not follow the format; the message says where and why.
    ``line`` and ``record_id`` (the line's ``id`` when it parsed to an object with one) let a
    failure log point at the record without parsing the message."""

    def __init__(self, message: str, line: int | None = None, record_id=None):
        super().__init__(message)
        self.line, self.record_id = line, record_id


def validate_record(record, where: str = '<record>', require_target: bool = True) -> dict:
    """Check one manifest record and return it; ``where`` (e.g. ``'train.jsonl:12'``) prefixes
    every message. ``require_target=False`` accepts clips without any target (inference on
    new videos, tools/infer.py)."""
    if not isinstance(record, dict):
        raise ManifestError(f'{where}: expected a JSON object, got {type(record).__name__}')
    for key, kind in REQUIRED.items():
        if key not in record:
            raise ManifestError(f'{where}: missing required field {key!r}')
        if not isinstance(record[key], kind) or not record[key]:
            raise ManifestError(f'{where}: field {key!r} must be a non-empty string, '
                                f'got {record[key]!r}')
    for key, kind in OPTIONAL.items():
        if key in record and record[key] is not None and not isinstance(record[key], kind):
            raise ManifestError(f'{where}: field {key!r} has type {type(record[key]).__name__}, '
                                f'expected {kind}')
    for key, names in NAME_FIELDS.items():
        if not is_safe_name(record[key]):
            raise ManifestError(f'{where}: field {key!r} = {record[key]!r} must match '
                                f'{SAFE_NAME.pattern} in full (it names {names})')
    if record['language'] not in LANGUAGES:
        raise ManifestError(f'{where}: field \'language\' = {record["language"]!r}, '
                            f'expected one of {LANGUAGES}')
    if require_target and not any(record.get(k) for k in ('text', 'gloss', 'label')):
        raise ManifestError(f'{where}: a clip needs at least one target: \'text\', \'gloss\' '
                            f'or \'label\'')
    if record.get('gloss') is not None and not all(isinstance(g, str) for g in record['gloss']):
        raise ManifestError(f'{where}: field \'gloss\' must be a list of strings')
    if ('start' in record or 'end' in record) and record.get('time_unit') not in TIME_UNITS:
        raise ManifestError(f'{where}: \'start\'/\'end\' need \'time_unit\' in {TIME_UNITS}')
    if 'start' in record and 'end' in record and record['end'] <= record['start']:
        raise ManifestError(f'{where}: \'end\' ({record["end"]}) must be after '
                            f'\'start\' ({record["start"]})')
    return record


def read_manifest(path: str, skip_invalid: bool = False
                  ) -> tuple[list[dict], list[str]]:
    """Read and validate a manifest.

    Returns ``(records, errors)``. With ``skip_invalid`` a broken line is recorded in ``errors``
    and skipped; otherwise the first broken line raises :class:`ManifestError`. Duplicate ids are
    always an error: they would silently overwrite each other in the shards.
    """
    records, problems = scan_manifest(path)
    if problems and not skip_invalid:
        raise problems[0]
    return records, [str(problem) for problem in problems]


def scan_manifest(path: str, require_target: bool = True
                  ) -> tuple[list[dict], list[ManifestError]]:
    """Every valid record, and one :class:`ManifestError` (with ``line`` and ``record_id``) per
    broken line; a missing file raises."""
    if not os.path.isfile(path):
        raise ManifestError(f'{path}: manifest file not found')
    records, problems, seen = [], [], {}
    with open(path, 'rb') as f:   # decoded line by line: one bad byte spoils one line only
        for lineno, raw in enumerate(f, 1):
            if not raw.strip():
                continue
            where, record = f'{path}:{lineno}', None
            try:
                try:
                    record = json.loads(raw.decode('utf-8'))
                except UnicodeDecodeError as e:
                    raise ManifestError(f'{where}: not UTF-8 text (byte {e.start + 1} of the '
                                        f'line)') from None
                except json.JSONDecodeError as e:
                    raise ManifestError(f'{where}: not valid JSON ({e.msg} at column {e.colno})')
                validate_record(record, where, require_target)
                if record['id'] in seen:
                    raise ManifestError(f'{where}: duplicate id {record["id"]!r} '
                                        f'(first on line {seen[record["id"]]})')
            except ManifestError as e:
                e.line = lineno
                e.record_id = record.get('id') if isinstance(record, dict) else None
                problems.append(e)
                continue
            seen[record['id']] = lineno
            records.append(record)
    return records, problems


def write_manifest(records: Iterable[dict], path: str) -> int:
    """Validate and write records atomically (temporary file, then rename); returns the count."""
    records = list(records)
    for i, record in enumerate(records):
        validate_record(record, f'{path}: record {i}')
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    write_text_atomic(path, ''.join(json.dumps(record, ensure_ascii=False) + '\n'
                                    for record in records))
    return len(records)


def target_of(record: dict, task: str) -> str | None:
    """The training target of a clip for a task: SLT -> text, CSLR -> glosses joined by spaces,
    ISLR -> the class word (docs/recipes.md)."""
    if task == 'slt':
        return record.get('text')
    if task == 'cslr':
        return ' '.join(record['gloss']) if record.get('gloss') else None
    if task == 'islr':
        return record.get('label')
    raise ValueError(f'unknown task {task!r}, expected slt, cslr or islr')
