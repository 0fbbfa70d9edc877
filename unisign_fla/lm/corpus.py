"""Read the sentences an LM is pretrained on: plain text files or manifest JSONL files (§3)."""
import json
import os
from pathlib import Path


def read_text_lines(paths: list[str | os.PathLike]) -> list[str]:
    """Sentences from ``paths``: one per line for text files, the ``text`` field for ``.jsonl``.

    Blank lines and manifest rows without text are skipped; a ``.jsonl`` row that is not a JSON
    object with a string ``text`` is an error naming the file and line.
    """
    lines = []
    for path in map(Path, paths):
        if not path.is_file():
            raise FileNotFoundError(f'{path}: no such text file')
        with path.open(encoding='utf-8') as f:
            if path.suffix == '.jsonl':
                lines.extend(_manifest_texts(f, path))
            else:
                lines.extend(line.strip() for line in f if line.strip())
    return lines


def _manifest_texts(f, path: Path) -> list[str]:
    texts = []
    for number, row in enumerate(f, start=1):
        if not row.strip():
            continue
        try:
            record = json.loads(row)
        except json.JSONDecodeError as err:
            raise ValueError(f'{path}:{number}: not valid JSON ({err.msg})') from None
        if not isinstance(record, dict):
            raise ValueError(f'{path}:{number}: expected a JSON object per line')
        text = record.get('text')
        if text is None:
            continue
        if not isinstance(text, str):
            raise ValueError(f'{path}:{number}: "text" must be a string, got {type(text).__name__}')
        if text.strip():
            texts.append(text.strip())
    return texts
