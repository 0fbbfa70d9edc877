"""CSL-Daily (Chinese; continuous recognition and translation), docs/datasets.md.

Layouts at ``--src``:

* the official release: ``sentence_label/csl2020ct_v2.pkl`` (``info``: one dict per clip with
  ``name``, ``label_gloss``, ``label_char``, ``signer``) and ``sentence_label/split_1.txt``
  (``name|split``), frames in ``sentence/frames_512x512/<name>/``; ``video`` is that frame folder,
  relative to ``--src`` (use it as ``--video-root``);
* Uni-Sign's label files ``labels.{train,dev,test}``; ``video`` is Uni-Sign's ``<name>.mp4``.

Quirk: the official split file names ``S000005_P0004_T00``, a clip the label file calls
``S000007_P0003_T00``; the split row is mapped to it and reported.
"""
import os
import re

from unisign_fla.converters.annotation_files import read_table
from unisign_fla.converters.base import (
    Conversion,
    ConversionError,
    DatasetConverter,
    Layout,
    first_existing,
    split_name,
)
from unisign_fla.converters.label_file_layout import label_file_layout
from unisign_fla.formats.safe_pickle import UnsafePickleError, load_restricted_pickle
from unisign_fla.registry import DATASET_CONVERTERS

LABEL_FILES = ('sentence_label/csl2020ct_v2.pkl', 'csl2020ct_v2.pkl')
SPLIT_FILES = ('sentence_label/split_1.txt', 'split_1.txt')
FRAME_ROOTS = ('sentence/frames_512x512', 'sentence_frames-512x512/frames_512x512',
               'frames_512x512')
RENAMED_IN_SPLIT = {'S000005_P0004_T00': 'S000007_P0003_T00'}
SIGNER = re.compile(r'_P(\d{4})_')


def _record(name: str, split: str, video: str, text: str, gloss, signer) -> dict:
    record = {'id': name, 'dataset': 'csl_daily', 'split': split, 'video': video,
              'language': 'zh', 'text': text, 'gloss': list(gloss)}
    if signer is not None:
        record['signer'] = signer
    return record


def _from_label_file(name: str, entry: dict, split: str, path: str) -> dict:
    signer = SIGNER.search(name)
    return _record(name, split, entry.get('video_path') or f'{name}.mp4', entry['text'],
                   entry.get('gloss') or [], int(signer.group(1)) if signer else None)


def _read_split_file(path: str):
    for where, row in read_table(path, '|', ('name', 'split'), quoting=False):
        yield row['name'].strip(), split_name(row['split'], where)


def _read_official(src: str) -> Conversion:
    label_path = os.path.join(src, first_existing(src, LABEL_FILES))
    try:
        labels = load_restricted_pickle(label_path)
    except UnsafePickleError as error:
        raise ConversionError(str(error)) from None
    if not isinstance(labels, dict) or not isinstance(labels.get('info'), list):
        raise ConversionError(f'{label_path}: expected a dict with an \'info\' list of clips')
    info = {}
    for i, clip in enumerate(labels['info']):
        missing = {'name', 'label_gloss', 'label_char'} - set(clip)
        if missing:
            raise ConversionError(f'{label_path}: info[{i}] lacks {sorted(missing)}')
        info[clip['name']] = clip
    conversion = Conversion()
    frames = first_existing(src, FRAME_ROOTS)
    if not frames:
        frames = FRAME_ROOTS[0]
        conversion.notes.append(f'no frame folders found under {src} (looked for '
                                f'{", ".join(FRAME_ROOTS)}); videos assume {frames}/<name>')
    used = set()
    for name, split in _read_split_file(os.path.join(src, first_existing(src, SPLIT_FILES))):
        if name not in info and RENAMED_IN_SPLIT.get(name) in info:
            conversion.notes.append(f'split file names {name}, known in the label file as '
                                    f'{RENAMED_IN_SPLIT[name]}: converted as the latter')
            name = RENAMED_IN_SPLIT[name]
        if name not in info:
            conversion.notes.append(f'split file names {name}, which the label file lacks: '
                                    f'skipped')
            continue
        clip = info[name]
        used.add(name)
        conversion.add(split, _record(name, split, f'{frames}/{name}', ''.join(clip['label_char']),
                                      clip['label_gloss'], clip.get('signer')))
    if len(used) < len(info):
        conversion.notes.append(f'{len(info) - len(used)} clips of the label file are in no '
                                f'split: not converted')
    return conversion


@DATASET_CONVERTERS.register_module(name='csl_daily')
class CSLDailyConverter(DatasetConverter):
    name = 'csl_daily'
    layouts = [
        Layout('the official release: sentence_label/csl2020ct_v2.pkl and '
               'sentence_label/split_1.txt (frames in sentence/frames_512x512/)',
               lambda src: os.path.isdir(src) and bool(first_existing(src, LABEL_FILES))
               and bool(first_existing(src, SPLIT_FILES)), _read_official),
        label_file_layout("Uni-Sign's label files labels.{train,dev,test}", _from_label_file,
                          r'S\d{6}_P\d{4}_T\d{2}'),
    ]
