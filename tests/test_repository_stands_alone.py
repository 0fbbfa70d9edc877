"""The repository stands alone: no tracked text file cites a document or folder outside it.

Facts a document needs live in docs/. Tests reach the shared real data only through
``tests.conftest.shared_data_dir`` (the ``UNISIGN_SHARED_DATA`` variable, else its default
path), whose lines are the one exception. The patterns are spelt in pieces so this file does not
match itself.
"""
import ast
import os
import re
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUTSIDE = re.compile('|'.join([
    r'\b(?:DESIGN|ENVIRONMENT|DATASETS|UNISIGN_REFERENCE)\.md\b',   # notes outside the repository
    r'\.\.[/\\]+shared\b',                                          # the folder beside it
    r"""['"]\.\.['"]\s*,\s*['"]shared['"]""",                       # ... as path parts
]))
HELPER = ('tests/conftest.py', 'shared_data_dir')


def _helper_lines(path):
    """Line numbers of the shared-data helper's definition (its default path is allowed)."""
    with open(path, encoding='utf-8') as f:
        tree = ast.parse(f.read())
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == HELPER[1]:
            return set(range(node.lineno, node.end_lineno + 1))
    return set()


def citations(root=ROOT):
    """``file:line: text`` for every citation of something outside ``root`` in its tracked text
    files (binary files are skipped)."""
    names = subprocess.run(['git', 'ls-files', '-z'], cwd=root, capture_output=True,
                           check=True).stdout.decode('utf-8').split('\0')
    found = []
    for name in filter(None, names):
        path = os.path.join(root, name)
        if not os.path.isfile(path):
            continue   # deleted in the working tree
        with open(path, 'rb') as f:
            data = f.read()
        if b'\0' in data[:8192]:
            continue
        try:
            text = data.decode('utf-8')
        except UnicodeDecodeError:
            continue
        allowed = _helper_lines(path) if name == HELPER[0] else set()
        for number, line in enumerate(text.splitlines(), start=1):
            if number not in allowed and OUTSIDE.search(line):
                found.append(f'{name}:{number}: {line.strip()}')
    return found


def test_no_tracked_file_cites_files_outside_the_repository():
    found = citations()
    assert not found, ('files outside the repository are cited (move the fact into docs/, and '
                       'reach shared test data through tests.conftest.shared_data_dir):\n'
                       + '\n'.join(found))


def test_the_scan_finds_a_citation(tmp_path):
    """The check itself: a tracked file citing each kind is reported with its file and line."""
    subprocess.run(['git', 'init', '-q', str(tmp_path)], check=True)
    design = 'DESIGN' + '.md'
    (tmp_path / 'docs').mkdir()
    (tmp_path / 'docs' / 'notes.md').write_text(f'fine\nsee {design} for why\n')
    (tmp_path / 'tool.py').write_text("DATA = 'shared/data'\nDATA = '.." + "/shared/x'\n")
    (tmp_path / 'conf.py').write_text("import os\nos.path.join(here, '..', " + "'shared')\n")
    (tmp_path / 'blob.bin').write_bytes(b'\0' + design.encode())
    (tmp_path / 'tests').mkdir()
    (tmp_path / 'tests' / 'conftest.py').write_text(
        "def shared_data_dir():\n    return os.path.join(here, '..', " + "'shared', 'data')\n\n\n"
        "OTHER = '.." + "/shared/more'\n")
    subprocess.run(['git', 'add', '.'], cwd=tmp_path, check=True)
    found = citations(str(tmp_path))
    assert [f.split(': ')[0] for f in sorted(found)] == [
        'conf.py:2', 'docs/notes.md:2', 'tests/conftest.py:5', 'tool.py:2']
