"""The annotation files released with Uni-Sign-style code: gzip-compressed pickles of dicts.

They are downloaded files, so they are never given to ``pickle.load``: the unpickler here admits
only what the pickle opcodes build without importing anything (dicts, lists, tuples, strings,
numbers, booleans, None); any class or function reference is refused with the file's name.
Layouts (DESIGN.md §11): CSL-Daily, How2Sign, WLASL, OpenASL map a clip name to
``{name, gloss: [..], text, video_path}``; PHOENIX-2014T has ``gloss`` as one string.
"""
import gzip
import io
import os
import pickle
from typing import Dict


class LabelFileError(ValueError):
    """A label file that cannot be read safely or does not have the expected layout."""


class _BuiltinsOnlyUnpickler(pickle.Unpickler):

    def __init__(self, data: bytes, path: str):
        super().__init__(io.BytesIO(data))
        self.path = path

    def find_class(self, module, name):
        raise LabelFileError(f'{self.path}: refuses to load {module}.{name}; label files may '
                             'hold only built-in containers, strings and numbers')


def load_label_file(path: str | os.PathLike) -> Dict[str, dict]:
    """``{clip name: record}`` from a (gzip-compressed or plain) label pickle."""
    path = str(path)
    with open(path, 'rb') as f:
        data = f.read()
    if data[:2] == b'\x1f\x8b':
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as error:
            raise LabelFileError(f'{path}: corrupt gzip data ({error})') from None
    try:
        labels = _BuiltinsOnlyUnpickler(data, path).load()
    except (pickle.UnpicklingError, EOFError, ValueError) as error:
        if isinstance(error, LabelFileError):
            raise
        raise LabelFileError(f'{path}: not a label pickle ({error})') from None
    if not isinstance(labels, dict) or not all(isinstance(v, dict) for v in labels.values()):
        raise LabelFileError(f'{path}: expected a dict of clip name -> dict record, '
                             f'got {type(labels).__name__}')
    for name, record in labels.items():
        if 'text' not in record:
            raise LabelFileError(f'{path}: record {name!r} has no "text" field')
    return labels
