"""Fixtures for the language-model tests: a tiny English corpus, one thread for tiny models."""
import pytest

SUBJECTS = ['I', 'you', 'we', 'they', 'the teacher', 'my friend']
VERBS = ['like', 'see', 'need', 'visit']
OBJECTS = ['the house', 'a dog', 'coffee', 'the city']
TIMES = ['today', 'tomorrow', 'every day']


@pytest.fixture(autouse=True)
def _tiny_models_on_one_thread(single_thread):
    """See ``single_thread`` in tests/conftest.py."""


@pytest.fixture
def english_lines() -> list[str]:
    """Short sentences over a 20-word vocabulary (288 of them)."""
    lines = [f'{s} {v} {o} {t}.' for s in SUBJECTS for v in VERBS for o in OBJECTS for t in TIMES]
    return [line[0].upper() + line[1:] for line in lines]
