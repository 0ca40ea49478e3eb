"""The path numpy -> Rust -> numpy -> polars, the error classes and the version."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

import groomstats
from groomstats import _core

ROOT = Path(__file__).resolve().parents[2]


def test_version_matches_cargo() -> None:
    text = (ROOT / "Cargo.toml").read_text()
    m = re.search(r'^version = "([^"]+)"', text, flags=re.M)
    assert m is not None
    assert groomstats.__version__ == m.group(1)


def test_cli_version() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "groomstats.cli", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == f"groomstats {groomstats.__version__}"


def test_exact_poisson_matches_scipy_chi2() -> None:
    rng = np.random.default_rng(20171)
    counts = np.concatenate([[0.0, 1.0, 9.0, 10.0], rng.integers(0, 5000, 500).astype(float)])
    for conf, sfx in ((0.95, "95"), (0.998, "99_8")):
        df = groomstats.poisson_ci(counts, confidence=conf)
        alpha = 1 - conf
        lo = np.where(counts == 0, 0.0, stats.chi2.ppf(alpha / 2, 2 * counts) / 2)
        hi = stats.chi2.ppf(1 - alpha / 2, 2 * counts + 2) / 2
        np.testing.assert_allclose(df[f"lower_{sfx}"].to_numpy(), lo, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(df[f"upper_{sfx}"].to_numpy(), hi, rtol=1e-9)


def test_a_missing_count_gives_null_limits_and_a_negative_one_is_refused() -> None:
    df = groomstats.poisson_ci([float("nan"), 3.0])
    assert df["lower_95"].null_count() == 1 and df["count"][0] is None
    assert df["upper_95"][1] == pytest.approx(stats.chi2.ppf(0.975, 8) / 2, rel=1e-12)
    with pytest.raises(groomstats.DataFormatError, match=r"counts, row 0: -1\.0 is not a count"):
        groomstats.poisson_ci([-1.0, 3.0])


def test_bad_confidence_is_a_groomstats_error() -> None:
    with pytest.raises(groomstats.GroomstatsError, match="confidence"):
        groomstats.poisson_ci([1.0], confidence=95)
    assert issubclass(groomstats.GroomstatsError, ValueError)
    for cls in (
        groomstats.DataFormatError,
        groomstats.UnknownAreaError,
        groomstats.PeriodError,
        groomstats.FitError,
    ):
        assert issubclass(cls, groomstats.GroomstatsError)
    assert _core.GroomstatsError is groomstats.GroomstatsError
