"""Data structures that several stages share (extraction, shards, the data pipeline, figures)."""
from unisign_fla.structures.hand_crops import (
    BOX_COLUMNS,
    ROW,
    XYXY,
    HandCrops,
    SampleCrops,
    crop_rows,
    make_hand_crops,
    select_crops,
)

__all__ = ['BOX_COLUMNS', 'ROW', 'XYXY', 'HandCrops', 'SampleCrops', 'crop_rows',
           'make_hand_crops', 'select_crops']
