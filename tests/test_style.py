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


def test_no_path_hacks_outside_the_tool_scripts():
    """Shared code lives in the package (unisign_fla/recipes.py, unisign_fla/testing/), so
    nothing but the ``tools/`` entry points may change ``sys.path``."""
    needles = tuple('sys.path.' + verb + '(' for verb in ('insert', 'append'))
    offenders = []
    for folder in ('unisign_fla', 'benchmarks', 'data_prep', 'tests'):
        for root, _, files in os.walk(os.path.join(REPO, folder)):
            for name in files:
                path = os.path.join(root, name)
                if name.endswith('.py'):
                    with open(path, encoding='utf-8') as f:
                        text = f.read()
                    if any(needle in text for needle in needles):
                        offenders.append(os.path.relpath(path, REPO))
    assert offenders == []


def test_formats_and_converters_do_not_reach_into_extraction():
    """File formats (keypoint files included) sit below the stages: converters and formats read
    files without importing the extraction job or its pose backends."""
    code = ('import importlib, pkgutil, sys\n'
            'import unisign_fla.converters, unisign_fla.formats\n'
            'for package in (unisign_fla.formats, unisign_fla.converters):\n'
            '    for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):\n'
            '        importlib.import_module(module.name)\n'
            'print(sorted({m.split(".")[1] for m in sys.modules if m.startswith("unisign_fla.")}))')
    result = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True,
                            cwd=REPO, check=True)
    assert result.stdout.strip() == ("['converters', 'fileio', 'formats', 'keypoints', 'registry',"
                                    " 'structures']")
