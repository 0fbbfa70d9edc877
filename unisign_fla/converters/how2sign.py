"""How2Sign (American Sign Language; translation to English), docs/datasets.md.

Layouts at ``--src``:

* the release: ``how2sign_realigned_{train,val,test}.csv`` (tab-separated despite the name:
  ``VIDEO_ID VIDEO_NAME SENTENCE_ID SENTENCE_NAME START_REALIGNED END_REALIGNED SENTENCE``).
  A clip's ``video`` is its sentence clip ``sentence_level/<split>/rgb_front/raw_videos/
  <SENTENCE_NAME>.mp4`` where those exist; else, where the whole videos
  ``video_level/<split>/rgb_front/raw_videos/<VIDEO_NAME>.mp4`` exist, a segment of it with
  ``start``/``end`` in seconds. Paths are relative to ``--src``;
* Uni-Sign's label files ``labels.{train,test}`` (no dev split); ``video`` is the clip's name.

Quirk: some realigned rows end after their video does. For segments of whole videos the end is
clipped to the video's duration (read from the file), and a row that starts after the end is
skipped; both are reported.
"""
import glob
import os

import cv2

from unisign_fla.converters.annotation_files import number, read_table
from unisign_fla.converters.base import Conversion, DatasetConverter, Layout
from unisign_fla.converters.label_file_layout import label_file_layout
from unisign_fla.registry import DATASET_CONVERTERS

COLUMNS = ('VIDEO_NAME', 'SENTENCE_NAME', 'START_REALIGNED', 'END_REALIGNED', 'SENTENCE')
OWN_SPLITS = {'train': 'train', 'dev': 'val', 'test': 'test'}
CLIP = 'sentence_level/{split}/rgb_front/raw_videos/{name}.mp4'
WHOLE = 'video_level/{split}/rgb_front/raw_videos/{name}.mp4'


def _tables(src: str) -> dict:
    """split -> realigned CSV, in ``src`` or one folder below it (not deeper: the release holds
    millions of OpenPose files)."""
    found = {}
    for split, own in OWN_SPLITS.items():
        name = f'how2sign_realigned_{own}.csv'
        candidates = [os.path.join(src, name)] + sorted(
            glob.glob(os.path.join(glob.escape(src), '*', name)))
        existing = [path for path in candidates if os.path.isfile(path)]
        if existing:
            found[split] = existing[0]
    return found


def _duration(path: str) -> float:
    capture = cv2.VideoCapture(path)
    frames, fps = capture.get(cv2.CAP_PROP_FRAME_COUNT), capture.get(cv2.CAP_PROP_FPS)
    capture.release()
    return frames / fps if frames > 0 and fps > 0 else float('inf')


def _read_release(src: str) -> Conversion:
    conversion, durations, without_media = Conversion(), {}, 0
    for split, path in _tables(src).items():
        own = OWN_SPLITS[split]
        clipped = skipped = empty = 0
        for where, row in read_table(path, '\t', COLUMNS):
            record = {'id': row['SENTENCE_NAME'], 'dataset': 'how2sign', 'split': split,
                      'language': 'en', 'text': row['SENTENCE'].strip()}
            start = number(row['START_REALIGNED'], where, 'START_REALIGNED')
            end = number(row['END_REALIGNED'], where, 'END_REALIGNED')
            if end <= start:
                empty += 1
                continue
            clip = CLIP.format(split=own, name=row['SENTENCE_NAME'])
            whole = WHOLE.format(split=own, name=row['VIDEO_NAME'])
            if os.path.isfile(os.path.join(src, clip)) \
                    or not os.path.isfile(os.path.join(src, whole)):
                without_media += not os.path.isfile(os.path.join(src, clip))
                conversion.add(split, dict(record, video=clip))
                continue
            if whole not in durations:
                durations[whole] = _duration(os.path.join(src, whole))
            if start >= durations[whole]:
                skipped += 1
                continue
            if end > durations[whole]:
                end, clipped = durations[whole], clipped + 1
            conversion.add(split, dict(record, video=whole, start=start, end=round(end, 3),
                                       time_unit='s'))
        if clipped or skipped or empty:
            conversion.notes.append(
                f'{split}: {clipped} rows end after their video (end clipped to its duration), '
                f'{skipped} start after it (skipped), {empty} end before they start (skipped)')
    if without_media:
        conversion.notes.append(
            f'{without_media} rows have neither a sentence clip nor a whole video under {src}: '
            f'their video is the sentence clip path, and whether they end after the video '
            f'could not be checked')
    return conversion


def _from_label_file(name: str, entry: dict, split: str, path: str) -> dict:
    return {'id': os.path.splitext(name)[0], 'dataset': 'how2sign', 'split': split,
            'video': entry.get('video_path') or name, 'language': 'en', 'text': entry['text']}


@DATASET_CONVERTERS.register_module(name='how2sign')
class How2SignConverter(DatasetConverter):
    name = 'how2sign'
    layouts = [
        Layout('the How2Sign release: how2sign_realigned_{train,val,test}.csv (with '
               'sentence_level/ clips or video_level/ videos)', lambda src: os.path.isdir(src)
               and bool(_tables(src)), _read_release),
        label_file_layout("Uni-Sign's label files labels.{train,test}", _from_label_file,
                          r'.+-rgb_(front|side)(\.mp4)?'),
    ]
