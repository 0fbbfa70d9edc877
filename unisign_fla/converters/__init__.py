"""Converters from each benchmark's official files to manifests (``data_prep/convert.py``),
registered in ``DATASET_CONVERTERS`` by data set name."""
from .base import Conversion, ConversionError, DatasetConverter, Layout
from .csl_daily import CSLDailyConverter
from .csl_news import CSLNewsConverter
from .how2sign import How2SignConverter
from .msasl import MSASLConverter
from .openasl import OpenASLConverter
from .phoenix import Phoenix2014Converter, Phoenix2014TConverter
from .pipeline import ConversionSummary, convert_dataset
from .synthsign import SynthSignConverter
from .wlasl import WLASLConverter

__all__ = ['Conversion', 'ConversionError', 'DatasetConverter', 'Layout', 'ConversionSummary',
           'convert_dataset', 'CSLDailyConverter', 'CSLNewsConverter', 'How2SignConverter',
           'MSASLConverter', 'OpenASLConverter', 'Phoenix2014Converter', 'Phoenix2014TConverter',
           'SynthSignConverter', 'WLASLConverter']
