"""Shared fixtures: small worlds and composed scenarios (see tests/helpers.py)."""

import pytest

from .helpers import load, small_world


@pytest.fixture
def small_cfg():
    """A RunConfig of one automaker and one industry buyer, 60 days."""
    return small_world()


@pytest.fixture(scope="session")
def baseline_cfg():
    """The baseline scenario as the CLI composes it."""
    return load("baseline")
