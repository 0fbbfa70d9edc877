"""Reading the releases' annotation files (PHOENIX's pipe-separated corpus files, How2Sign's and
OpenASL's tab-separated ones, JSON lists) with errors that name file, line and column. A UTF-8
byte-order mark, CRLF line ends, blank lines and empty trailing cells are accepted."""
import csv
import json
from collections.abc import Iterator, Sequence

from unisign_fla.converters.base import ConversionError


def read_table(path: str, delimiter: str, required: Sequence[str], quoting: bool = True
               ) -> Iterator[tuple[str, dict]]:
    """Yields ``('path:line', row)`` for every data row; the header must hold ``required``.
    ``quoting`` False reads ``"`` as an ordinary character (PHOENIX's corpus files)."""
    with open(path, encoding='utf-8-sig', newline='') as f:
        reader = csv.reader(f, delimiter=delimiter,
                            quoting=csv.QUOTE_MINIMAL if quoting else csv.QUOTE_NONE)
        header = [column.strip() for column in next(reader, [])]
        missing = [column for column in required if column not in header]
        if missing:
            raise ConversionError(f'{path}:1: header lacks {missing} (found {header}); expected '
                                  f'{delimiter!r}-separated columns {list(required)}')
        for row in reader:
            where = f'{path}:{reader.line_num}'
            if not any(cell.strip() for cell in row):
                continue
            while len(row) > len(header) and not row[-1].strip():
                row = row[:-1]
            if len(row) != len(header):
                raise ConversionError(f'{where}: {len(row)} columns, the header has '
                                      f'{len(header)}')
            yield where, dict(zip(header, row))


def read_json(path: str):
    try:
        with open(path, encoding='utf-8-sig') as f:
            return json.load(f)
    except json.JSONDecodeError as error:
        raise ConversionError(f'{path}:{error.lineno}: not valid JSON ({error.msg})') from None


def number(value: str, where: str, column: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ConversionError(f'{where}: column {column} = {value!r} is not a number') from None
