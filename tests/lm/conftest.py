"""Fixtures for the language-model tests: a tiny English corpus, one thread for tiny models."""
import pytest
import torch

SUBJECTS = ['I', 'you', 'we', 'they', 'the teacher', 'my friend']
VERBS = ['like', 'see', 'need', 'visit']
OBJECTS = ['the house', 'a dog', 'coffee', 'the city']
TIMES = ['today', 'tomorrow', 'every day']


@pytest.fixture(autouse=True)
def single_thread():
    """Tiny models run faster on one thread, and far faster when other jobs share the CPU."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture
def english_lines() -> list[str]:
    """Short sentences over a 20-word vocabulary (288 of them)."""
    lines = [f'{s} {v} {o} {t}.' for s in SUBJECTS for v in VERBS for o in OBJECTS for t in TIMES]
    return [line[0].upper() + line[1:] for line in lines]
