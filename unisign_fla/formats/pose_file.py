"""A reader for the binary ``.pose`` files of the sign-language-processing ``pose`` library.

Written from the published format (versions 0.1 and 0.2; little-endian; a string is a uint16
length followed by UTF-8 bytes) so that reading these files needs no extra package:

* header: float32 version; uint16 width, height, depth; uint16 number of components; per
  component its name, its point format (e.g. ``XYZC``: dimensions, then C for confidence),
  uint16 counts of points, limbs and colours, the point names, limbs as uint16 pairs and
  colours as uint16 triples;
* body: fps, frame count and people (v0.1: three uint16, and the frame count, which overflows on
  long videos, is recomputed from the data size; v0.2: float32, uint32, uint16), then float32
  ``data[frames, people, points, dims]`` and float32 ``confidence[frames, people, points]``,
  where points are all components' points in header order and 0 confidence means missing.
"""
import struct
from dataclasses import dataclass

import numpy as np


class PoseFileError(ValueError):
    """A file that is not a readable ``.pose`` file; the message names the file and the field."""


@dataclass
class PoseComponent:
    name: str
    point_format: str
    point_names: list[str]


@dataclass
class PoseFile:
    version: float
    width: int
    height: int
    depth: int
    components: list[PoseComponent]
    fps: float
    data: np.ndarray         # float32 (frames, people, points, dims)
    confidence: np.ndarray   # float32 (frames, people, points)

    def component_slices(self) -> dict:
        """Component name -> slice of its points in the point axis."""
        slices, start = {}, 0
        for component in self.components:
            slices[component.name] = slice(start, start + len(component.point_names))
            start += len(component.point_names)
        return slices


class _Reader:
    def __init__(self, data: bytes, path: str):
        self.data, self.path, self.offset = data, path, 0

    def unpack(self, fmt: str, field: str) -> tuple:
        size = struct.calcsize('<' + fmt)
        if self.offset + size > len(self.data):
            raise PoseFileError(f'{self.path}: file ends inside {field} (byte {self.offset})')
        values = struct.unpack_from('<' + fmt, self.data, self.offset)
        self.offset += size
        return values

    def string(self, field: str) -> str:
        (length,) = self.unpack('H', field)
        raw = self.unpack(f'{length}s', field)[0]
        try:
            return raw.decode('utf-8')
        except UnicodeDecodeError:
            raise PoseFileError(f'{self.path}: {field} is not UTF-8') from None

    def floats(self, shape: tuple[int, ...], field: str) -> np.ndarray:
        count = int(np.prod(shape))
        if self.offset + 4 * count > len(self.data):
            raise PoseFileError(f'{self.path}: file ends inside {field}: {count} float32 values '
                                f'expected at byte {self.offset}, {len(self.data)} bytes in all')
        array = np.frombuffer(self.data, '<f4', count, self.offset).reshape(shape)
        self.offset += 4 * count
        return array.astype(np.float32)


def _read_component(reader: _Reader, index: int) -> PoseComponent:
    where = f'component {index}'
    name = reader.string(f'{where} name')
    point_format = reader.string(f'{where} ({name}) point format')
    if len(point_format) < 2 or not point_format.endswith('C'):
        raise PoseFileError(f'{reader.path}: {where} ({name}) has point format '
                            f'{point_format!r}; expected dimensions followed by C, e.g. XYZC')
    num_points, num_limbs, num_colors = reader.unpack('3H', f'{where} ({name}) counts')
    point_names = [reader.string(f'{where} ({name}) point {i}') for i in range(num_points)]
    reader.unpack(f'{2 * num_limbs}H', f'{where} ({name}) limbs')
    reader.unpack(f'{3 * num_colors}H', f'{where} ({name}) colours')
    return PoseComponent(name, point_format, point_names)


def read_pose_file(path: str) -> PoseFile:
    with open(path, 'rb') as f:
        reader = _Reader(f.read(), path)
    (version,) = reader.unpack('f', 'version')
    version = round(version, 3)
    if version not in (0.1, 0.2):
        raise PoseFileError(f'{path}: .pose version {version} is not supported (0.1 and 0.2 are)'
                            if 0 <= version < 10 else f'{path}: not a .pose file')
    width, height, depth = reader.unpack('3H', 'dimensions')
    (num_components,) = reader.unpack('H', 'component count')
    components = [_read_component(reader, i) for i in range(num_components)]
    num_points = sum(len(c.point_names) for c in components)
    dims = max((len(c.point_format) for c in components), default=1) - 1
    if version == 0.1:
        fps, _, people = reader.unpack('3H', 'fps, frames, people')
        row_bytes = 4 * people * num_points * (dims + 1)
        frames = (len(reader.data) - reader.offset) // row_bytes if row_bytes else 0
    else:
        fps, frames, people = reader.unpack('fIH', 'fps, frames, people')
    data = reader.floats((frames, people, num_points, dims), 'data')
    confidence = reader.floats((frames, people, num_points), 'confidence')
    if reader.offset != len(reader.data):
        raise PoseFileError(f'{path}: {len(reader.data) - reader.offset} bytes left after '
                            f'{frames} frames of {people} people x {num_points} points')
    return PoseFile(version, width, height, depth, components, float(fps), data, confidence)
