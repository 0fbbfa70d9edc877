"""The label files distributed with Uni-Sign (CSL-Daily, How2Sign, WLASL, OpenASL) and
GFSLT-VLP (PHOENIX-2014T): one gzip-compressed pickle per split, ``labels.{train,dev,test}``
(``labels-2000.train`` and the like also match), mapping a clip name to its record. They are read
with the restricted unpickler (built-in containers and strings only)."""
import glob
import os
import re
from typing import Callable, Dict, Optional

from ..formats.label_files import LabelFileError, load_label_file
from .base import SPLITS, Conversion, ConversionError, Layout

# (clip name, label record, split) -> manifest record, or None to skip the clip
RecordBuilder = Callable[[str, dict, str], Optional[dict]]


def find_label_files(src: str) -> Dict[str, str]:
    """split -> label file at ``src`` (a folder holding them, or one of the files itself)."""
    if os.path.isfile(src):
        suffix = os.path.basename(src).rsplit('.', 1)[-1]
        return {suffix: src} if os.path.basename(src).startswith('labels') \
            and suffix in SPLITS else {}
    found = {}
    for split in SPLITS:
        matches = sorted(glob.glob(os.path.join(glob.escape(src), f'labels*.{split}')))
        if matches:
            found[split] = matches[0]
    return found


def label_file_layout(description: str, build: RecordBuilder, clip_name: str) -> Layout:
    """``clip_name``: a regular expression every clip name of this data set matches; the label
    files of the different data sets share one layout, so this is what tells them apart."""
    pattern = re.compile(clip_name)

    def read(src: str, **options) -> Conversion:
        if options:
            raise ConversionError(f'{src}: options {sorted(options)} apply to the official '
                                  f'files, not to label files')
        conversion = Conversion()
        for split, path in find_label_files(src).items():
            try:
                labels = load_label_file(path)
            except LabelFileError as error:
                raise ConversionError(str(error)) from None
            for name, entry in labels.items():
                if not pattern.fullmatch(name):
                    raise ConversionError(f'{path}: clip {name!r} does not look like this data '
                                          f'set\'s (expected {clip_name}); wrong data set?')
                record = build(name, entry, split)
                if record is not None:
                    conversion.add(split, record)
        return conversion
    return Layout(description, lambda src: bool(find_label_files(src)), read)
