"""``convert_dataset``: run a converter, make ids safe, link keypoint files, write and validate
``{train,dev,test}.jsonl``. What ``data_prep/convert.py`` does, as a function for scripts."""
from dataclasses import dataclass, field

from unisign_fla.converters.base import Conversion, ConversionError
from unisign_fla.converters.clip_ids import assign_safe_ids
from unisign_fla.converters.pose_links import link_keypoints
from unisign_fla.formats.manifest import validate_record, write_manifest
from unisign_fla.formats.names import UnsafeNameError, check_name, output_path
from unisign_fla.registry import DATASET_CONVERTERS


@dataclass
class ConversionSummary:
    counts: dict[str, int]
    notes: list[str]
    manifests: dict[str, str]
    without_keypoints: list[str] = field(default_factory=list)


def _drop_duplicates(conversion: Conversion) -> None:
    for split, records in conversion.splits.items():
        seen, kept = set(), []
        for record in records:
            if record['id'] in seen:
                conversion.notes.append(f'{split}: duplicate clip {record["id"]!r} dropped '
                                        f'(kept the first)')
                continue
            seen.add(record['id'])
            kept.append(record)
        conversion.splits[split] = kept


def convert_dataset(name: str, src: str, out: str, poses: str | None = None,
                    **options) -> ConversionSummary:
    if name not in DATASET_CONVERTERS.module_dict:
        DATASET_CONVERTERS.import_from_location()
    if name not in DATASET_CONVERTERS.module_dict:
        raise ConversionError(f'unknown dataset {name!r}; known: '
                              f'{sorted(DATASET_CONVERTERS.module_dict)}')
    conversion = DATASET_CONVERTERS.build(dict(type=name)).convert(src, **options)
    _drop_duplicates(conversion)
    changed = assign_safe_ids(conversion.splits)
    if changed:
        conversion.notes.append(f'{changed} ids were not filesystem-safe: replaced, the '
                                f'original kept in original_id')
    missing = link_keypoints(conversion.splits, poses) if poses else []
    manifests = {}
    for split, records in conversion.splits.items():   # all valid before any file is written
        try:
            manifests[split] = output_path(out, f'{check_name(split, "split")}.jsonl')
        except UnsafeNameError as error:
            raise ConversionError(f'{name}: {error}') from None
        for record in records:
            clip = record.get('original_id', record['id'])
            validate_record(record, f'{name} {split} clip {clip!r}')
    for split, records in conversion.splits.items():   # empty splits too: no stale file stays
        write_manifest(records, manifests[split])
    counts = {split: len(records) for split, records in conversion.splits.items()}
    return ConversionSummary(counts, conversion.notes, manifests, missing)
