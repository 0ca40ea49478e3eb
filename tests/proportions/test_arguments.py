"""``shares`` arguments against statsmodels' Wilson interval (issue 18).

Expected limits: ``statsmodels.stats.proportion.proportion_confint(x, n, alpha, "wilson")``
times ``per``. The breakdown is synthetic (generated below).
"""

from __future__ import annotations

import polars as pl
import pytest
from statsmodels.stats.proportion import proportion_confint

import groomstats


def _breakdown() -> pl.DataFrame:
    """Synthetic single-response age bands: 8 + 24 + 4 recorded, 9 unknown."""
    return pl.DataFrame(
        {
            "period": "2023/24",
            "category": "age_band",
            "value": ["11 and under", "12-15", "16 and over", "Unknown"],
            "offences": [8, 24, 4, 9],
            "suppressed": [False] * 4,
        }
    )


def _wilson(x: int, n: int, confidence: float) -> tuple[float, float]:
    lo, hi = proportion_confint(x, n, alpha=1 - confidence, method="wilson")
    return float(lo), float(hi)


@pytest.mark.parametrize("per", [1, 100, 1000])
def test_per_scales_value_and_limits(per: float) -> None:
    s = groomstats.shares(_breakdown(), "age_band", by="period", per=per).sort("age_band")
    assert s["denominator"].to_list() == [36, 36, 36]
    for row in s.iter_rows(named=True):
        x = row["offences"]
        assert row["value"] == pytest.approx(x / 36 * per, rel=1e-14)
        for c, tag in ((0.95, "95"), (0.998, "99_8")):
            lo, hi = _wilson(x, 36, c)
            assert row[f"lower_{tag}"] == pytest.approx(lo * per, rel=1e-12), (per, x, c)
            assert row[f"upper_{tag}"] == pytest.approx(hi * per, rel=1e-12), (per, x, c)
            assert row[f"lower_{tag}"] <= row["value"] <= row[f"upper_{tag}"]
    assert s["unknown"].to_list() == [9, 9, 9]


def test_per_1_limits_are_proportions() -> None:
    """The issue's survivor: with per=1 a limit of 56.5 around a value of 0.889 was accepted."""
    b = _breakdown().with_columns(pl.Series("offences", [32, 2, 2, 0]))
    s = groomstats.shares(b, "age_band", by="period", per=1)
    top = s.filter(pl.col("age_band") == "11 and under")
    assert top["value"][0] == pytest.approx(32 / 36)
    lo, hi = _wilson(32, 36, 0.95)
    assert 0 < top["lower_95"][0] == pytest.approx(lo, rel=1e-12)
    assert top["upper_95"][0] == pytest.approx(hi, rel=1e-12) and hi < 1


@pytest.mark.parametrize("confidence", [0.9, (0.8, 0.99)])
def test_confidence_levels(confidence: float | tuple[float, ...]) -> None:
    s = groomstats.shares(_breakdown(), "age_band", by="period", confidence=confidence)
    levels = confidence if isinstance(confidence, tuple) else (confidence,)
    cols = {c for c in s.columns if c.startswith(("lower_", "upper_"))}
    tags = {f"{c * 100:g}".replace(".", "_") for c in levels}
    assert cols == {f"{side}_{t}" for side in ("lower", "upper") for t in tags}
    row = s.filter(pl.col("age_band") == "12-15").row(0, named=True)
    for c in levels:
        tag = f"{c * 100:g}".replace(".", "_")
        lo, hi = _wilson(24, 36, c)
        assert row[f"lower_{tag}"] == pytest.approx(lo * 100, rel=1e-12)
        assert row[f"upper_{tag}"] == pytest.approx(hi * 100, rel=1e-12)


def test_denominator_number_and_label() -> None:
    s = groomstats.shares(_breakdown(), "age_band", by="period", denominator=50, per=1)
    row = s.filter(pl.col("age_band") == "12-15").row(0, named=True)
    assert row["denominator"] == 50 and row["value"] == pytest.approx(24 / 50)
    assert row["lower_95"] == pytest.approx(_wilson(24, 50, 0.95)[0], rel=1e-12)
    labelled = pl.concat(
        [
            _breakdown(),
            pl.DataFrame(
                {
                    "period": "2023/24",
                    "category": "age_band",
                    "value": ["Recorded total"],
                    "offences": [40],
                    "suppressed": [False],
                }
            ),
        ]
    )
    s = groomstats.shares(labelled, "age_band", by="period", denominator="Recorded total")
    row = s.filter(pl.col("age_band") == "12-15").row(0, named=True)
    assert row["denominator"] == 40
    assert row["upper_99_8"] == pytest.approx(_wilson(24, 40, 0.998)[1] * 100, rel=1e-12)


def test_unknown_labels_leave_the_denominator() -> None:
    """``unknown=`` names the not-recorded rows: with "Unknown" listed, 9 offences leave the
    denominator (36); with another label list they are a category of their own (45)."""
    s = groomstats.shares(_breakdown(), "age_band", by="period", per=1)
    assert s["denominator"].unique().to_list() == [36] and s["unknown"][0] == 9
    s = groomstats.shares(_breakdown(), "age_band", by="period", per=1, unknown=["not known"])
    assert s["denominator"].unique().to_list() == [45]
    row = s.filter(pl.col("age_band") == "Unknown").row(0, named=True)
    assert row["value"] == pytest.approx(9 / 45)
    assert row["lower_95"] == pytest.approx(_wilson(9, 45, 0.95)[0], rel=1e-12)
