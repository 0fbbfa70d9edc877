"""Reading the delimited annotation tables of the releases (PHOENIX's pipe-separated corpus
files, How2Sign's and OpenASL's tab-separated ones) with errors that name file, line and column."""
import csv
from typing import Iterator, Sequence, Tuple

from .base import ConversionError


def read_table(path: str, delimiter: str, required: Sequence[str]
               ) -> Iterator[Tuple[str, dict]]:
    """Yields ``('path:line', row)`` for every data row; the header must hold ``required``."""
    with open(path, encoding='utf-8', newline='') as f:
        reader = csv.reader(f, delimiter=delimiter, quoting=csv.QUOTE_NONE)
        header = [column.strip() for column in next(reader, [])]
        missing = [column for column in required if column not in header]
        if missing:
            raise ConversionError(f'{path}:1: header lacks {missing} (found {header}); expected '
                                  f'{delimiter!r}-separated columns {list(required)}')
        for lineno, row in enumerate(reader, 2):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise ConversionError(f'{path}:{lineno}: {len(row)} columns, the header has '
                                      f'{len(header)}')
            yield f'{path}:{lineno}', dict(zip(header, row))
