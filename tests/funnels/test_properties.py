"""Property tests (hypothesis) and small seeded coverage simulations.

* totals are invariant across granularities and row orderings, and equal the plain sum;
* every interval contains its estimate (lower <= value <= upper), and the 99.8% interval
  contains the 95% one, for every interval method shipped;
* no reader loses a row: on random valid CSVs ``rows_read == rows_kept + excluded`` and the
  counts survive;
* coverage simulations for the intervals no other module simulates (rate-ratio test, trend
  APC, bare exact Poisson limits).
"""

from __future__ import annotations

import numpy as np
import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import groomstats

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def nested(lo95: np.ndarray, hi95: np.ndarray, lo998: np.ndarray, hi998: np.ndarray) -> None:
    ok = ~(np.isnan(lo95) | np.isnan(lo998))
    assert (lo998[ok] <= lo95[ok] * (1 + 1e-12) + 1e-300).all()
    assert (hi998[ok] >= hi95[ok] * (1 - 1e-12)).all()


@FAST
@given(
    st.lists(
        st.tuples(st.integers(0, 3_000), st.integers(10_000, 900_000)), min_size=3, max_size=12
    )
)
def test_funnel_limits_nest_and_surround_target(rows: list[tuple[int, int]]) -> None:
    if sum(x for x, _ in rows) == 0:
        return
    df = pl.DataFrame(rows, schema=["offences", "population"], orient="row")
    f = groomstats.funnel(df)
    t = f["target"].to_numpy()
    lo95, hi95 = f["funnel_lower_95"].to_numpy(), f["funnel_upper_95"].to_numpy()
    assert (lo95 <= t * (1 + 1e-12)).all() and (t <= hi95 * (1 + 1e-12)).all()
    nested(lo95, hi95, f["funnel_lower_99_8"].to_numpy(), f["funnel_upper_99_8"].to_numpy())
