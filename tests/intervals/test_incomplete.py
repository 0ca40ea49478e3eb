"""rates() and rank_areas() on totals with a missing quarter: no rate, no rank, a reason."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from scipy import stats

import groomstats


def _quarters() -> pl.DataFrame:
    """Three areas over a year; C's Q2 is N/a (null)."""
    starts = [date(2017, 4, 1), date(2017, 7, 1), date(2017, 10, 1), date(2018, 1, 1)]
    ends = [date(2017, 6, 30), date(2017, 9, 30), date(2017, 12, 31), date(2018, 3, 31)]
    rows = []
    for area, counts in (("A", [10, 12, 9, 11]), ("B", [30, 25, 28, 31]), ("C", [5, None, 6, 4])):
        rows += [
            {"area": area, "period_start": s, "period_end": e, "offences": n}
            for s, e, n in zip(starts, ends, counts, strict=True)
        ]
    return pl.DataFrame(rows)


def test_incomplete_total_gets_no_rate_and_no_rank() -> None:
    t = groomstats.totals(_quarters(), by="area", window="2017/18")
    assert t["complete"].to_list() == [True, True, False]
    assert t["offences"].to_list() == [42, 114, 15]  # C flagged, never a complete 15
    t = t.with_columns(pl.Series("children", [100_000, 200_000, 50_000]))
    r = groomstats.rank_areas(groomstats.rates(t, denominator="children"))
    c = r.row(2, named=True)
    assert c["value"] is None and c["lower_95"] is None and c["rank"] is None
    assert c["reason"].startswith("incomplete count") and c["rank_reason"] == c["reason"]
    assert r["rank"].to_list()[:2] == [2, 1]  # 42 and 57 per 100,000
    # the complete rows keep their exact limits (chi-square, as scipy gives them)
    a = r.row(0, named=True)
    assert a["value"] == pytest.approx(42.0)
    assert a["upper_95"] == pytest.approx(stats.chi2.ppf(0.975, 2 * 43) / 2, rel=0.02)


def test_complete_column_survives_grouping() -> None:
    t = groomstats.totals(_quarters(), by="area", window="2017/18").with_columns(
        pl.lit("all").alias("g"), pl.lit(100_000).alias("children")
    )
    r = groomstats.rates(t, denominator="children", by="g")
    assert r["value"][0] is None and r["reason"][0].startswith("incomplete count")
