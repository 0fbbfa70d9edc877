"""RWTH-PHOENIX-Weather 2014 T (German; translation and recognition) and PHOENIX-2014
(multi-signer continuous recognition), docs/datasets.md. Both ship frames, not videos: a clip's
``video`` is its frame folder under ``features/fullFrame-210x260px/<split>/``, relative to
``--src`` (use that as ``--video-root``; frames are 25 fps, the extractor's folder default).

Layouts at ``--src``:

* PHOENIX-2014-T: the release root (``PHOENIX-2014-T/``) with
  ``annotations/manual/PHOENIX-2014-T.{train,dev,test}.corpus.csv``
  (``name|video|start|end|speaker|orth|translation``), or GFSLT-VLP's label files
  ``labels.{train,dev,test}`` (``name`` = ``<split>/<clip>``, relative to the fullFrame folder);
* PHOENIX-2014: ``phoenix-2014-multisigner/`` with
  ``annotations/manual/{train,dev,test}.corpus.csv`` (``id|folder|signer|annotation``).

Quirk: the T release's ``video`` column says ``<name>/1/*.png``, but that release has no ``1/``
folders; the frames are directly in ``<name>/``, which is what ``video`` names (reported). The
multi-signer release does have them.
"""
import os

from unisign_fla.converters.annotation_files import read_table
from unisign_fla.converters.base import SPLITS, Conversion, DatasetConverter, Layout
from unisign_fla.converters.label_file_layout import label_file_layout
from unisign_fla.registry import DATASET_CONVERTERS

FRAMES = 'features/fullFrame-210x260px'
T_CORPUS = 'annotations/manual/PHOENIX-2014-T.{split}.corpus.csv'
MULTISIGNER_CORPUS = 'annotations/manual/{split}.corpus.csv'


def _has_corpus(pattern: str):
    return lambda src: os.path.isdir(src) and all(
        os.path.isfile(os.path.join(src, pattern.format(split=s))) for s in SPLITS)


def _frame_folder(split: str, column: str) -> str:
    """The frame folder a ``video``/``folder`` column names (``<name>/1/*.png``)."""
    return f'{FRAMES}/{split}/{column.strip().removesuffix("*.png").rstrip("/")}'


def _read_corpus(src: str, pattern: str, columns: tuple, build, release_has_1: bool
                 ) -> Conversion:
    """``build(row, split, video)`` -> record, for every row of the three corpus files."""
    conversion = Conversion()
    for split in SPLITS:
        fixed = 0
        for _, row in read_table(os.path.join(src, pattern.format(split=split)), '|', columns,
                                 quoting=False):
            video = _frame_folder(split, row[columns[1]])
            if not release_has_1 and video.endswith('/1'):
                video, fixed = video[:-2], fixed + 1
            conversion.add(split, build(row, split, video))
        if fixed:
            conversion.notes.append(f'{split}: {fixed} clips name a <name>/1/ frame folder, which '
                                    f'the T release does not have; <name>/ used instead')
    return conversion


def _read_phoenix2014t(src: str) -> Conversion:
    return _read_corpus(src, T_CORPUS, ('name', 'video', 'speaker', 'orth', 'translation'),
                        lambda row, split, video: {
                            'id': row['name'], 'dataset': 'phoenix2014t', 'split': split,
                            'video': video, 'language': 'de', 'text': row['translation'].strip(),
                            'gloss': row['orth'].split(), 'signer': row['speaker']},
                        release_has_1=False)


def _read_phoenix2014(src: str) -> Conversion:
    return _read_corpus(src, MULTISIGNER_CORPUS, ('id', 'folder', 'signer', 'annotation'),
                        lambda row, split, video: {
                            'id': row['id'], 'dataset': 'phoenix2014', 'split': split,
                            'video': video, 'language': 'de', 'gloss': row['annotation'].split(),
                            'signer': row['signer']},
                        release_has_1=True)


def _from_gfslt_label(name: str, entry: dict, split: str, path: str) -> dict:
    gloss = entry.get('gloss') or ''
    return {'id': os.path.basename(name), 'dataset': 'phoenix2014t', 'split': split,
            'video': name, 'language': 'de', 'text': entry['text'],
            'gloss': gloss.split() if isinstance(gloss, str) else list(gloss)}


@DATASET_CONVERTERS.register_module(name='phoenix2014t')
class Phoenix2014TConverter(DatasetConverter):
    name = 'phoenix2014t'
    layouts = [
        Layout('the PHOENIX-2014-T release root, with annotations/manual/'
               'PHOENIX-2014-T.{train,dev,test}.corpus.csv', _has_corpus(T_CORPUS),
               _read_phoenix2014t),
        label_file_layout("GFSLT-VLP's label files labels.{train,dev,test}", _from_gfslt_label,
                          r'(train|dev|test)/[^/]+'),
    ]


@DATASET_CONVERTERS.register_module(name='phoenix2014')
class Phoenix2014Converter(DatasetConverter):
    name = 'phoenix2014'
    layouts = [
        Layout('the phoenix-2014-multisigner folder, with annotations/manual/'
               '{train,dev,test}.corpus.csv', _has_corpus(MULTISIGNER_CORPUS), _read_phoenix2014),
    ]
