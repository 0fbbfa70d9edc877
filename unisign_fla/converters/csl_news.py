"""CSL-News (Chinese; Uni-Sign's pretraining corpus, about 1,985 hours), docs/datasets.md.

Layout at ``--src``: ``CSL_News_Labels.json`` (a list of ``{video, pose, text}``) or
``CSL_News_Labels.csv`` (columns ``video,pose,text``), the file or a folder holding it (also
under ``data/train/``). ``video`` is the label's ``video``, relative to the folder of mp4 files.

There is no official split. Uni-Sign trains on the first 99 % of the label file and evaluates on
the last 1 % (the same clips for dev and test). Here the order is kept and the last ``holdout``
fraction (option, default 0.01) is split in two: its first half is dev, its second half test,
so dev and test never share a clip and the same file always gives the same split.
"""
import os

from unisign_fla.converters.annotation_files import read_json, read_table
from unisign_fla.converters.base import (
    Conversion,
    ConversionError,
    DatasetConverter,
    Layout,
    annotation_file,
)
from unisign_fla.registry import DATASET_CONVERTERS

NAMES = ('CSL_News_Labels.json', 'CSL_News_Labels.csv')


def _labels_path(src: str) -> str:
    return annotation_file(src, ('.json', '.csv'), [os.path.join(folder, name) for folder in (
        '', os.path.join('data', 'train')) for name in NAMES])


def _rows(path: str) -> list:
    if path.endswith('.csv'):
        return [row for _, row in read_table(path, ',', ('video', 'text'))]
    rows = read_json(path)
    if not isinstance(rows, list):
        raise ConversionError(f'{path}: expected a list of {{video, pose, text}}')
    return rows


def _read(src: str, holdout: str = '0.01') -> Conversion:
    try:
        fraction = float(holdout)
    except ValueError:
        fraction = -1.0
    if not 0 < fraction < 1:
        raise ConversionError(f'csl_news: holdout must be a fraction in (0, 1), got {holdout!r}')
    path = _labels_path(src)
    rows = _rows(path)
    if len(rows) < 3:
        raise ConversionError(f'{path}: {len(rows)} rows; a train / dev / test split needs 3')
    first_held = len(rows) - max(2, round(len(rows) * fraction))
    first_test = first_held + (len(rows) - first_held) // 2
    conversion = Conversion()
    for index, row in enumerate(rows):
        if not isinstance(row, dict) or not row.get('video') or not row.get('text'):
            raise ConversionError(f'{path}: row {index} lacks video / text')
        split = 'train' if index < first_held else 'dev' if index < first_test else 'test'
        conversion.add(split, {'id': os.path.splitext(os.path.basename(row['video']))[0],
                               'dataset': 'csl_news', 'split': split, 'video': row['video'],
                               'language': 'zh', 'text': row['text'].strip()})
    conversion.notes.append(f'no official split: rows {first_held}..{first_test - 1} are dev, '
                            f'{first_test}..{len(rows) - 1} test (the last {fraction:g})')
    return conversion


@DATASET_CONVERTERS.register_module(name='csl_news')
class CSLNewsConverter(DatasetConverter):
    name = 'csl_news'
    options = {'holdout': 'fraction held out at the end for dev + test (default 0.01)'}
    layouts = [
        Layout('CSL_News_Labels.json or .csv (the file, or a folder holding it or '
               'data/train/)', lambda src: bool(_labels_path(src)), _read),
    ]
