"""One style for the code base (ruff.toml: pycodestyle, pyflakes, sorted absolute imports,
``list[int]`` and ``X | None`` annotations, lines of at most 100 characters), checked with every
test run so CI holds the code to it."""
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_the_code_passes_ruff():
    result = subprocess.run([sys.executable, '-m', 'ruff', 'check', '--no-cache', REPO],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
