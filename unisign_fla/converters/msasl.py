"""MS-ASL (American Sign Language; isolated recognition), docs/datasets.md.

Layout at ``--src``: a folder with ``MSASL_{train,val,test}.json`` (lists of clips with
``url``, ``start_time``, ``end_time``, ``label``, ``signer_id``, ...) and ``MSASL_classes.json``
(1000 class names in label order). Option ``subset`` = 100, 200, 500 or 1000 (default) keeps
the clips whose label is below N, as the MS-ASL subsets are defined. Videos are YouTube
downloads: ``video`` is ``videos/<youtube id>.mp4`` relative to ``--src``, and the clip is its
segment ``start_time``..``end_time`` in seconds.
"""
import os
from urllib.parse import parse_qs, urlparse

from unisign_fla.converters.annotation_files import number, read_json
from unisign_fla.converters.base import (
    Conversion,
    ConversionError,
    DatasetConverter,
    Layout,
    parse_subset,
)
from unisign_fla.registry import DATASET_CONVERTERS

SUBSETS = (100, 200, 500, 1000)
SPLIT_FILES = {'train': 'MSASL_train.json', 'dev': 'MSASL_val.json', 'test': 'MSASL_test.json'}
REQUIRED = ('url', 'start_time', 'end_time', 'label')


def _youtube_id(url: str) -> str:
    parsed = urlparse(url if '://' in url else f'https://{url}')
    if parsed.hostname and parsed.hostname.endswith('youtu.be'):
        return parsed.path.strip('/')
    return parse_qs(parsed.query).get('v', [''])[0]


def _read(src: str, subset: str = '1000') -> Conversion:
    subset = parse_subset(subset, SUBSETS, 'msasl')
    classes = read_json(os.path.join(src, 'MSASL_classes.json'))
    conversion = Conversion()
    for split, name in SPLIT_FILES.items():
        path, empty = os.path.join(src, name), 0
        for index, clip in enumerate(read_json(path)):
            where = f'{path}: clip {index}'
            missing = [key for key in REQUIRED if not isinstance(clip, dict) or key not in clip]
            if missing:
                raise ConversionError(f'{where}: lacks {missing}')
            label = int(number(clip['label'], where, 'label'))
            if not 0 <= label < len(classes):
                raise ConversionError(f'{where}: label {label} outside the {len(classes)} classes')
            if label >= subset:
                continue
            youtube_id = _youtube_id(clip['url'])
            if not youtube_id:
                raise ConversionError(f'{where}: no YouTube id in url {clip["url"]!r}')
            start = number(clip['start_time'], where, 'start_time')
            end = number(clip['end_time'], where, 'end_time')
            if end <= start:
                empty += 1
                continue
            record = {'id': f'{youtube_id}-{start:.3f}-{end:.3f}', 'dataset': f'msasl{subset}',
                      'split': split, 'video': f'videos/{youtube_id}.mp4', 'start': start,
                      'end': end, 'time_unit': 's', 'language': 'en', 'label': classes[label]}
            if clip.get('signer_id') is not None:
                record['signer'] = clip['signer_id']
            conversion.add(split, record)
        if empty:
            conversion.notes.append(f'{path}: {empty} clips end before they start (skipped)')
    return conversion


@DATASET_CONVERTERS.register_module(name='msasl')
class MSASLConverter(DatasetConverter):
    name = 'msasl'
    options = {'subset': 'number of classes: 100, 200, 500 or 1000 (default)'}
    layouts = [
        Layout('a folder with MSASL_{train,val,test}.json and MSASL_classes.json',
               lambda src: os.path.isdir(src) and all(
                   os.path.isfile(os.path.join(src, f))
                   for f in list(SPLIT_FILES.values()) + ['MSASL_classes.json']), _read),
    ]
