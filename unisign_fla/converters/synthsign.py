"""SynthSign, the toolkit's generated data set: ``data_prep/synthsign.py`` already writes its
manifests (``manifests/{train,dev,test}.jsonl``), so converting means reading them back, one
path for both. ``--src`` is the folder that generator wrote."""
import os

from unisign_fla.converters.base import (
    SPLITS,
    Conversion,
    ConversionError,
    DatasetConverter,
    Layout,
)
from unisign_fla.formats.manifest import ManifestError, read_manifest
from unisign_fla.registry import DATASET_CONVERTERS


def _manifest(src: str, split: str) -> str:
    return os.path.join(src, 'manifests', f'{split}.jsonl')


def _read(src: str) -> Conversion:
    conversion = Conversion()
    for split in SPLITS:
        try:
            conversion.splits[split] = read_manifest(_manifest(src, split))[0]
        except ManifestError as error:
            raise ConversionError(str(error)) from None
    return conversion


@DATASET_CONVERTERS.register_module(name='synthsign')
class SynthSignConverter(DatasetConverter):
    name = 'synthsign'
    layouts = [
        Layout('a folder written by data_prep/synthsign.py (manifests/{train,dev,test}.jsonl)',
               lambda src: all(os.path.isfile(_manifest(src, s)) for s in SPLITS), _read),
    ]
