"""WLASL (American Sign Language; isolated recognition), docs/datasets.md.

Layouts at ``--src``:

* ``WLASL_v0.3.json`` (the file, or a folder holding it, e.g. ``start_kit/``): glosses in the
  order that defines the subsets, each with its instances. Option ``subset`` = 100, 300, 1000 or
  2000 (default) keeps the first N glosses. ``video`` is ``videos/<video_id>.mp4`` as the
  official ``preprocess.py`` writes them, relative to the JSON's folder; the class word is
  ``label``. Where the I3D split file ``nslt_<N>.json`` sits beside it (or in
  ``code/I3D/preprocess/``), the two are compared;
* Uni-Sign's label files ``labels.{train,dev,test}`` (WLASL-2000; ``text`` is the class word).

Quirk: ``nslt_2000.json`` lists ids that v0.3 lacks, and a subset's instances can be missing
from its nslt file; both are reported. The v0.3 JSON decides what is converted.
"""
import os

from unisign_fla.converters.annotation_files import read_json
from unisign_fla.converters.base import (
    Conversion,
    ConversionError,
    DatasetConverter,
    Layout,
    annotation_file,
    parse_subset,
    split_name,
)
from unisign_fla.converters.label_file_layout import label_file_layout
from unisign_fla.registry import DATASET_CONVERTERS

SUBSETS = (100, 300, 1000, 2000)
JSON_NAME = 'WLASL_v0.3.json'


def _json_path(src: str) -> str:
    return annotation_file(src, ('.json',), (JSON_NAME, os.path.join('start_kit', JSON_NAME)))


def _compare_with_nslt(folder: str, subset: int, converted: set, conversion: Conversion):
    for candidate in (f'nslt_{subset}.json', os.path.join('code', 'I3D', 'preprocess',
                                                            f'nslt_{subset}.json')):
        path = os.path.join(folder, candidate)
        if os.path.isfile(path):
            listed = set(read_json(path))
            only_nslt, only_v03 = sorted(listed - converted), sorted(converted - listed)
            if only_nslt or only_v03:
                conversion.notes.append(
                    f'{path}: {len(only_nslt)} ids not in {JSON_NAME} (not converted: '
                    f'{", ".join(only_nslt[:5])}{"..." if len(only_nslt) > 5 else ""}); '
                    f'{len(only_v03)} of the subset\'s instances missing from it (converted)')
            return


def _read_v03(src: str, subset: str = '2000') -> Conversion:
    subset, path = parse_subset(subset, SUBSETS, 'wlasl'), _json_path(src)
    entries = read_json(path)
    if not isinstance(entries, list):
        raise ConversionError(f'{path}: expected a list of {{gloss, instances}}')
    conversion, folder, missing_videos = Conversion(), os.path.dirname(path), 0
    has_videos = os.path.isdir(os.path.join(folder, 'videos'))
    for index, entry in enumerate(entries[:subset]):
        if not isinstance(entry, dict) or 'gloss' not in entry or 'instances' not in entry:
            raise ConversionError(f'{path}: entry {index} lacks gloss / instances')
        for number, instance in enumerate(entry['instances']):
            where = f'{path}: gloss {entry["gloss"]!r} instance {number}'
            if not isinstance(instance, dict) or not {'video_id', 'split'} <= set(instance):
                raise ConversionError(f'{where}: lacks video_id / split')
            video = f'videos/{instance["video_id"]}.mp4'
            missing_videos += has_videos and not os.path.isfile(os.path.join(folder, video))
            split = split_name(instance['split'], where)
            record = {'id': str(instance['video_id']), 'dataset': f'wlasl{subset}',
                      'split': split, 'video': video, 'language': 'en', 'label': entry['gloss']}
            if instance.get('signer_id') is not None:
                record['signer'] = instance['signer_id']
            conversion.add(split, record)
    if len(entries) < subset:
        conversion.notes.append(f'{path} has {len(entries)} glosses, fewer than the subset '
                                f'{subset}')
    if missing_videos:
        conversion.notes.append(f'{missing_videos} clips have no file in {folder}/videos/ '
                                f'(not downloaded?): kept, extraction will list them as failures')
    converted = {r['id'] for records in conversion.splits.values() for r in records}
    _compare_with_nslt(folder, subset, converted, conversion)
    return conversion


def _from_label_file(name: str, entry: dict, split: str, path: str) -> dict:
    """Uni-Sign names its subsets ``labels-<N>.<split>``; plain ``labels.*`` is WLASL-2000."""
    prefix = os.path.basename(path).rpartition('.')[0]
    subset = prefix.split('-', 1)[1] if '-' in prefix else '2000'
    return {'id': name, 'dataset': f'wlasl{subset}', 'split': split,
            'video': entry.get('video_path') or f'{name}.mp4', 'language': 'en',
            'label': entry['text']}


@DATASET_CONVERTERS.register_module(name='wlasl')
class WLASLConverter(DatasetConverter):
    name = 'wlasl'
    options = {'subset': 'number of glosses: 100, 300, 1000 or 2000 (default)'}
    layouts = [
        Layout(f'{JSON_NAME} (the file, or a folder holding it or start_kit/{JSON_NAME})',
               lambda src: bool(_json_path(src)), _read_v03),
        label_file_layout("Uni-Sign's label files labels.{train,dev,test} (WLASL-2000) or "
                          "labels-<N>.*",
                          _from_label_file, r'\d+'),
    ]
