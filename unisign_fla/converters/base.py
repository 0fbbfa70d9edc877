"""The interface of a dataset converter: official release (or a known label file) -> manifest
records per split, plus a report of every quirk met on the way.

A data set may arrive in several layouts (its official files, or the label files that Uni-Sign or
GFSLT-VLP distribute); each ``Layout`` says how to recognise itself at ``--src`` and how to read
it, and the converter tries them in order, so the user never names the layout.
"""
import os
from collections.abc import Callable
from dataclasses import dataclass, field

SPLITS = ('train', 'dev', 'test')
SPLIT_ALIASES = {'train': 'train', 'dev': 'dev', 'val': 'dev', 'valid': 'dev',
                 'validation': 'dev', 'test': 'test'}


class ConversionError(ValueError):
    """Input that cannot be converted; the message names the file, line or key."""


@dataclass
class Conversion:
    """Records per split (manifest records; ``id`` may still be unsafe, see clip_ids.py) and
    human-readable notes on every quirk handled."""
    splits: dict[str, list[dict]] = field(default_factory=lambda: {s: [] for s in SPLITS})
    notes: list[str] = field(default_factory=list)

    def add(self, split: str, record: dict) -> None:
        self.splits[split].append(record)


@dataclass
class Layout:
    description: str                        # what the user must have at --src, for the error
    detect: Callable[[str], bool]
    read: Callable[..., Conversion]         # read(src, **options)


class DatasetConverter:
    """Subclasses set ``name`` and ``layouts`` and register in ``DATASET_CONVERTERS``;
    ``options`` lists the extra keyword arguments a layout's ``read`` accepts."""
    name: str = ''
    layouts: list[Layout] = []
    options: dict[str, str] = {}

    def convert(self, src: str, **options) -> Conversion:
        if not os.path.exists(src):
            raise ConversionError(f'--src {src} does not exist')
        unknown = set(options) - set(self.options)
        if unknown:
            raise ConversionError(f'{self.name}: unknown option(s) {sorted(unknown)}; '
                                  f'accepted: {sorted(self.options) or "none"}')
        for layout in self.layouts:
            if layout.detect(src):
                return layout.read(src, **options)
        expected = '\n'.join(f'  - {layout.description}' for layout in self.layouts)
        raise ConversionError(f'{src}: not a layout the {self.name} converter knows; expected '
                              f'one of:\n{expected}')


def split_name(value: str, where: str) -> str:
    """A data set's own split name mapped to train / dev / test."""
    try:
        return SPLIT_ALIASES[value.strip().lower()]
    except KeyError:
        raise ConversionError(f'{where}: unknown split {value!r}; expected one of '
                              f'{sorted(SPLIT_ALIASES)}') from None


def first_existing(root: str, candidates) -> str:
    """The first of ``candidates`` (paths relative to ``root``) that exists, else ''."""
    return next((c for c in candidates if os.path.exists(os.path.join(root, c))), '')


def annotation_file(src: str, suffixes: tuple, candidates) -> str:
    """``--src`` itself when it is a file ending in one of ``suffixes``; else the first of
    ``candidates`` (relative to ``--src``) that exists; else ''."""
    if os.path.isfile(src):
        return src if src.endswith(suffixes) else ''
    found = first_existing(src, candidates)
    return os.path.join(src, found) if found else ''


def parse_subset(value, allowed, dataset: str) -> int:
    """A ``subset=N`` option, one of ``allowed``."""
    if not str(value).isdigit() or int(value) not in allowed:
        raise ConversionError(f'{dataset}: subset must be one of {tuple(allowed)}, got {value!r}')
    return int(value)
