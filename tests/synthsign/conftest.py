"""Shared fixtures: one tiny SynthSign data set generated once per test session."""
import pytest

from unisign_fla.synthsign import generate_dataset


@pytest.fixture(scope='session')
def tiny_dataset(tmp_path_factory):
    out = tmp_path_factory.mktemp('synthsign_tiny')
    summary = generate_dataset(str(out), size='tiny', seed=0, workers=1)
    return out, summary
