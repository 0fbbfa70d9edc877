"""One clip's RGB hand crops, as extraction cuts them, shards store them, the data pipeline
samples and batches them and the figures draw them.

Per hand (``keypoints.HANDS``) a sample holds a ``HandCrops``: the crops of the frames where the
hand was seen, each with the pose row it was cut from in column 0 of its box. Samplers keep or
renumber crops only through ``select_crops`` and the row column, so every array stays aligned.
"""
from typing import TypedDict

import numpy as np

BOX_COLUMNS = ('row', 'x0', 'y0', 'x1', 'y1')
ROW = 0                 # column of ``boxes`` holding the pose row (frame) a crop belongs to
XYXY = slice(1, 5)      # columns of ``boxes`` holding the box in source pixels


class _CutCrops(TypedDict):
    crops: np.ndarray   # uint8 (K, S, S, 3) RGB; None when a shard is read without crops
    boxes: np.ndarray   # float32 (K, 5): pose row, x0, y0, x1, y1 in source pixels


class HandCrops(_CutCrops, total=False):
    """``crops`` and ``boxes`` always; ``joints`` once ``ScoreAwareCropSampling`` has chosen."""
    joints: np.ndarray  # float32 (K, 21, 2): the hand's joints in [0, 1] of each crop's box


# A sample's crops, keyed by ``keypoints.HANDS`` (numpy arrays, or torch tensors after packing).
SampleCrops = dict[str, HandCrops]


def make_hand_crops(crops: np.ndarray, rows: np.ndarray, xyxy: np.ndarray) -> HandCrops:
    """Crops cut at pose ``rows`` (K,) inside boxes ``xyxy`` (K, 4)."""
    boxes = np.concatenate([np.asarray(rows, np.float32).reshape(-1, 1),
                            np.asarray(xyxy, np.float32).reshape(-1, 4)], axis=1)
    return HandCrops(crops=crops, boxes=boxes)


def crop_rows(hand: HandCrops) -> np.ndarray:
    """(K,) int64 pose row of each crop."""
    return hand['boxes'][:, ROW].astype(np.int64)


def select_crops(hand: HandCrops, index) -> HandCrops:
    """The crops at ``index`` (an index array or boolean mask), every array kept aligned."""
    return HandCrops(**{key: None if value is None else value[index]
                        for key, value in hand.items()})
