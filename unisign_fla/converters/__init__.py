"""Converters from each benchmark's official files to manifests (``data_prep/convert.py``),
registered in ``DATASET_CONVERTERS`` by data set name."""
from unisign_fla.converters.base import Conversion, ConversionError, DatasetConverter, Layout
from unisign_fla.converters.csl_daily import CSLDailyConverter
from unisign_fla.converters.csl_news import CSLNewsConverter
from unisign_fla.converters.how2sign import How2SignConverter
from unisign_fla.converters.msasl import MSASLConverter
from unisign_fla.converters.openasl import OpenASLConverter
from unisign_fla.converters.phoenix import Phoenix2014Converter, Phoenix2014TConverter
from unisign_fla.converters.pipeline import ConversionSummary, convert_dataset
from unisign_fla.converters.synthsign import SynthSignConverter
from unisign_fla.converters.wlasl import WLASLConverter

__all__ = ['Conversion', 'ConversionError', 'DatasetConverter', 'Layout', 'ConversionSummary',
           'convert_dataset', 'CSLDailyConverter', 'CSLNewsConverter', 'How2SignConverter',
           'MSASLConverter', 'OpenASLConverter', 'Phoenix2014Converter', 'Phoenix2014TConverter',
           'SynthSignConverter', 'WLASLConverter']
