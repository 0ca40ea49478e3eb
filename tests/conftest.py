"""Shared test fixtures, and the tests folder on ``sys.path`` for the hostile harness.

Tests live in one folder per module (``tests/<module>/test_*.py``); hostile cases sit beside
their module in ``tests/<module>/test_hostile.py`` and share the harness in
``tests/hostile.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl
import pytest

import groomstats
from groomstats import datasets

# ``from hostile import Case, run_case`` in every tests/<module>/test_hostile.py
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="session")
def grooming_2017_18() -> pl.DataFrame:
    """The 88A (sexual grooming) rows of the embedded Home Office table, 2017/18."""
    return groomstats.grooming(datasets.prc())
