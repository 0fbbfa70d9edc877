"""The annotation files released with Uni-Sign-style code: gzip-compressed pickles of dicts.

They are downloaded files, so they are never given to ``pickle.load``: safe_pickle.py admits only
what the pickle opcodes build without importing anything (dicts, lists, tuples, strings, numbers,
booleans, None); any class or function reference is refused with the file's name.
Layouts (docs/datasets.md): CSL-Daily, How2Sign, WLASL, OpenASL map a clip name to
``{name, gloss: [..], text, video_path}``; PHOENIX-2014T has ``gloss`` as one string.
"""
import os

from unisign_fla.formats.safe_pickle import UnsafePickleError, load_restricted_pickle


class LabelFileError(ValueError):
    """A label file that cannot be read safely or does not have the expected layout."""


def load_label_file(path: str | os.PathLike) -> dict[str, dict]:
    """``{clip name: record}`` from a (gzip-compressed or plain) label pickle."""
    path = str(path)
    try:
        labels = load_restricted_pickle(path)
    except UnsafePickleError as error:
        raise LabelFileError(str(error)) from None
    if not isinstance(labels, dict) or not all(isinstance(v, dict) for v in labels.values()):
        raise LabelFileError(f'{path}: expected a dict of clip name -> dict record, '
                             f'got {type(labels).__name__}')
    for name, record in labels.items():
        if 'text' not in record:
            raise LabelFileError(f'{path}: record {name!r} has no "text" field')
    return labels
