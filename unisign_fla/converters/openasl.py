"""OpenASL (American Sign Language; translation to English), docs/datasets.md.

Layouts at ``--src``:

* ``openasl-v1.0.tsv`` (the file, or a folder holding it or ``data/openasl-v1.0.tsv``):
  tab-separated ``vid yid start end raw-text tokenized-text gloss split``; ``video`` is the clip
  that the official ``prep/crop_video.py`` writes, ``<vid>.mp4``, relative to its output folder;
* Uni-Sign's label files ``labels.{dev,test}``.

Quirk: ``vid`` is ``<youtube id>-HH:MM:SS.mmm-HH:MM:SS.mmm``; ``:`` and ``.`` cannot name files
inside shards, so the manifest ``id`` replaces them and ``original_id`` keeps the ``vid``.
"""
import os

from unisign_fla.converters.annotation_files import read_table
from unisign_fla.converters.base import (
    Conversion,
    DatasetConverter,
    Layout,
    annotation_file,
    split_name,
)
from unisign_fla.converters.label_file_layout import label_file_layout
from unisign_fla.registry import DATASET_CONVERTERS

TSV = 'openasl-v1.0.tsv'


def _tsv_path(src: str) -> str:
    return annotation_file(src, ('.tsv',), (TSV, os.path.join('data', TSV)))


def _read_tsv(src: str) -> Conversion:
    conversion = Conversion()
    for where, row in read_table(_tsv_path(src), '\t', ('vid', 'raw-text', 'gloss', 'split')):
        split = split_name(row['split'], where)
        record = {'id': row['vid'], 'dataset': 'openasl', 'split': split,
                  'video': f'{row["vid"]}.mp4', 'language': 'en', 'text': row['raw-text'].strip()}
        if row['gloss'].split():
            record['gloss'] = row['gloss'].split()
        conversion.add(split, record)
    return conversion


def _from_label_file(name: str, entry: dict, split: str, path: str) -> dict:
    return {'id': name.removesuffix('.mp4'), 'dataset': 'openasl', 'split': split,
            'video': entry.get('video_path') or name, 'language': 'en', 'text': entry['text']}


@DATASET_CONVERTERS.register_module(name='openasl')
class OpenASLConverter(DatasetConverter):
    name = 'openasl'
    layouts = [
        Layout(f'{TSV} (the file, or a folder holding it or data/{TSV})',
               lambda src: bool(_tsv_path(src)), _read_tsv),
        label_file_layout("Uni-Sign's label files labels.{dev,test}", _from_label_file,
                          r'[\w-]{11}-\d\d:\d\d:\d\d\.\d+-\d\d:\d\d:\d\d\.\d+(\.mp4)?'),
    ]
