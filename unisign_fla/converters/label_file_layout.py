"""The label files distributed with Uni-Sign (CSL-Daily, How2Sign, WLASL, OpenASL) and
GFSLT-VLP (PHOENIX-2014T): one gzip-compressed pickle per split, ``labels.{train,dev,test}``
(or ``labels-<N>.*``, Uni-Sign's WLASL subsets), mapping a clip name to its record. They are read
with the restricted unpickler (built-in containers and strings only)."""
import glob
import os
import re
from collections.abc import Callable

from unisign_fla.converters.base import SPLITS, Conversion, ConversionError, Layout
from unisign_fla.formats.label_files import LabelFileError, load_label_file

# (clip name, label record, split, label file path) -> manifest record
RecordBuilder = Callable[[str, dict, str, str], dict]


def find_label_files(src: str) -> dict[str, str]:
    """split -> label file of the set at ``src``: a folder holding one set (``labels.<split>`` or
    ``labels-<N>.<split>``), or one file of a set, whose siblings of the same prefix complete it."""
    if os.path.isfile(src):
        folder, base = os.path.split(src)
        prefix, _, suffix = base.rpartition('.')
        if not prefix.startswith('labels') or suffix not in SPLITS:
            return {}
    else:
        folder = src
        prefixes = sorted({os.path.basename(p).rpartition('.')[0] for split in SPLITS
                           for p in glob.glob(os.path.join(glob.escape(src), f'labels*.{split}'))})
        if len(prefixes) > 1:
            raise ConversionError(f'{src} holds several label file sets {prefixes}; give --src '
                                  f'one file of the set to convert, e.g. '
                                  f'{os.path.join(src, prefixes[-1])}.train')
        if not prefixes:
            return {}
        prefix = prefixes[0]
    return {split: os.path.join(folder, f'{prefix}.{split}') for split in SPLITS
            if os.path.isfile(os.path.join(folder, f'{prefix}.{split}'))}


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
                conversion.add(split, build(name, entry, split, path))
        return conversion
    return Layout(description, lambda src: bool(find_label_files(src)), read)
