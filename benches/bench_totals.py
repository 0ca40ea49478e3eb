"""``totals`` and ``change`` on 10,000,000 rows against the hand-written polars query giving the
same figures.

Synthetic tidy frame (labelled synthetic; generated here): one row per force, offence code,
sub-category and financial quarter, 2013/14 to 2022/23 (44 forces incl. British Transport
Police), ``offences`` small counts with 1% nulls, 10,000,000 rows. Each row is a different
figure (its ``subcategory`` tells apart the rows of one force, code and quarter): groomstats
refuses rows equal in every column but the count, so part of its time is checking that no
row repeats (one hash per row of the window; the peers do not check).

Peers (same run, same frame, alternating with groomstats, medians of 5 runs each):

* ``totals(df, by="force", window="2017/18")``: the polars query that gives the same table,
  every force of the frame with its sum over the rows inside the window (null for a force with
  none): ``df.select("force").unique()`` left-joined with ``df.filter(in window).group_by(
  "force").agg(sum)`` (eager and lazy; the faster one). The bare ``filter + group_by`` (which
  drops forces with no row in the window) is printed too.
* ``totals(df, by="force")`` (the whole span): ``df.group_by("force").agg(sum)``.
* ``change(df, current="2018/19", baseline="2017/18", by="force")``: the same two sums per
  force in one polars query (``sum`` filtered by each window) plus the force keys.

groomstats does more than the peers (coverage per force and window, completeness flags, the
exact rate-ratio test in ``change``, the check that no row repeats): the ratios say what that
costs. Target: within 1.5x. Each peer is also timed with the same repeated-row check added,
as a polars user would write it (the rows it sums hashed, one 64-bit hash per row from the
columns' own hashes, and their ``n_unique`` compared with the row count): the apples-to-apples
peer. groomstats hashes the same way and checks the hashes in its Rust core
(``_core.all_distinct``).

Run: ``python benches/bench_totals.py [rows]`` (``GROOMSTATS_BENCH_QUICK=1``: 1,000,000 rows).
Prints one ``BENCH {json}`` line per comparison for ``benches/run.py``.
"""

from __future__ import annotations

import functools
import json
import operator
import os
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from datetime import date, timedelta

import numpy as np
import polars as pl

import groomstats

CODES = ["88A", "88E", "17A", "19C", "20A", "21B", "22A", "23", "70", "71"]


def quarters() -> tuple[list[date], list[date]]:
    starts, ends = [], []
    for fy in range(2013, 2023):
        for q in range(4):
            m = 4 + 3 * q
            s = date(fy + (m - 1) // 12, (m - 1) % 12 + 1, 1)
            m2 = m + 3
            e = date(fy + (m2 - 1) // 12, (m2 - 1) % 12 + 1, 1) - timedelta(days=1)
            starts.append(s)
            ends.append(e)
    return starts, ends


def frame(rows: int, seed: int = 14) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    forces = groomstats.forces().get_column("force").head(44)
    qs, qe = quarters()
    qi = rng.integers(0, len(qs), rows)
    off = pl.Series("offences", rng.poisson(3.0, rows)).set(
        pl.Series(rng.random(rows) < 0.01), None
    )
    df = pl.DataFrame(
        {
            "force": forces.gather(rng.integers(0, forces.len(), rows)),
            "offence_code": pl.Series(CODES).gather(rng.integers(0, len(CODES), rows)),
            "period_start": pl.Series(qs).gather(qi),
            "period_end": pl.Series(qe).gather(qi),
            "offences": off,
        }
    )
    # the sub-category: the k-th row of a force, code and quarter (every row a distinct figure)
    cell = ["force", "offence_code", "period_start"]
    sub = pl.int_range(pl.len(), dtype=pl.Int32).over(cell).alias("subcategory")
    return df.with_columns(sub).select(*df.columns[:-1], "subcategory", "offences")


def alternate(fns: dict[str, Callable[[], object]], runs: int) -> dict[str, float]:
    """Median wall time of each function, the functions run in turn (ABCABC...)."""
    times: dict[str, list[float]] = {k: [] for k in fns}
    for f in fns.values():
        f()  # warm up
    for _ in range(runs):
        for k, f in fns.items():
            t0 = time.perf_counter()
            f()
            times[k].append(time.perf_counter() - t0)
    return {k: statistics.median(v) for k, v in times.items()}


def emit(task: str, ours: float, peer_name: str, peer: float, note: str) -> None:
    print(
        "BENCH "
        + json.dumps(
            {
                "bench": "totals",
                "task": task,
                "groomstats_s": ours,
                "peer": peer_name,
                "peer_s": peer,
                "note": note,
            }
        )
    )


def main() -> None:
    quick = os.environ.get("GROOMSTATS_BENCH_QUICK") == "1"
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else (1_000_000 if quick else 10_000_000)
    runs = 3 if quick else 5
    df = frame(rows)
    warnings.simplefilter("ignore", groomstats.SeriesBreakWarning)
    win = groomstats.Period.parse("2017/18")
    cur, base = groomstats.Period.parse("2018/19"), groomstats.Period.parse("2017/18")

    def inside(p: groomstats.Period) -> pl.Expr:
        return (pl.col("period_start") >= p.start) & (pl.col("period_end") <= p.end)

    def hand_window_eager() -> pl.DataFrame:
        sums = df.filter(inside(win)).group_by("force").agg(pl.col("offences").sum())
        return df.select("force").unique().join(sums, on="force", how="left")

    def hand_window_lazy() -> pl.DataFrame:
        lf = df.lazy()
        sums = lf.filter(inside(win)).group_by("force").agg(pl.col("offences").sum())
        return lf.select("force").unique().join(sums, on="force", how="left").collect()

    def bare() -> pl.DataFrame:
        return (
            df.lazy().filter(inside(win)).group_by("force").agg(pl.col("offences").sum()).collect()
        )

    def ours_window() -> pl.DataFrame:
        return groomstats.totals(df, by="force", window="2017/18")

    def hand_span() -> pl.DataFrame:
        return df.lazy().group_by("force").agg(pl.col("offences").sum()).collect()

    def ours_span() -> pl.DataFrame:
        return groomstats.totals(df, by="force")

    def hand_change() -> pl.DataFrame:
        return (
            df.lazy()
            .group_by("force")
            .agg(
                pl.col("offences").filter(inside(cur)).sum().alias("current"),
                pl.col("offences").filter(inside(base)).sum().alias("baseline"),
            )
            .with_columns(
                (100 * (pl.col("current") - pl.col("baseline")) / pl.col("baseline")).alias("pct")
            )
            .collect()
        )

    def ours_change() -> pl.DataFrame:
        return groomstats.change(df, current="2018/19", baseline="2017/18", by="force")

    others = [c for c in df.columns if c != "offences"]
    row_hash = functools.reduce(
        operator.xor, [pl.col(c).hash(seed=i) for i, c in enumerate(others)]
    )

    def distinct(rows: pl.LazyFrame) -> bool:
        """The same repeated-row check as groomstats: no two rows of ``rows`` hash equal."""
        h = rows.select(row_hash.alias("h")).collect().to_series()
        return h.n_unique() == h.len()

    def overlaps(*ps: groomstats.Period) -> pl.Expr:
        return pl.any_horizontal(
            [(pl.col("period_end") >= p.start) & (pl.col("period_start") <= p.end) for p in ps]
        )

    def hand_window_checked() -> pl.DataFrame:
        assert distinct(df.lazy().filter(overlaps(win)))
        return hand_window_lazy()

    def hand_span_checked() -> pl.DataFrame:
        assert distinct(df.lazy())
        return hand_span()

    def hand_change_checked() -> pl.DataFrame:
        assert distinct(df.lazy().filter(overlaps(cur, base)))
        return hand_change()

    # same figures
    a, b = ours_window(), hand_window_lazy()
    j = a.join(b, on="force", suffix="_peer")
    assert j.height == a.height == b.height == 44
    assert (j["offences"] == j["offences_peer"]).all()
    a, b = ours_change(), hand_change()
    j = a.join(b, on="force", suffix="_peer")
    assert j.height == 44
    assert (j["current"] == j["current_peer"]).all() and (j["baseline"] == j["baseline_peer"]).all()
    assert np.allclose(j["pct_change"].to_numpy(), j["pct"].to_numpy())

    t = alternate(
        {
            "ours": ours_window,
            "eager": hand_window_eager,
            "lazy": hand_window_lazy,
            "bare": bare,
            "checked": hand_window_checked,
        },
        runs,
    )
    peer = min(t["eager"], t["lazy"])
    print(f"totals, {rows:,} rows, by force, window 2017/18 (1 year of 10; medians of {runs})")
    print(f"  groomstats.totals                               {t['ours'] * 1e3:9.1f} ms")
    print(f"  polars keys + filter + group_by + join, eager  {t['eager'] * 1e3:9.1f} ms")
    print(f"  polars keys + filter + group_by + join, lazy   {t['lazy'] * 1e3:9.1f} ms")
    print(f"  polars filter + group_by only (drops forces)   {t['bare'] * 1e3:9.1f} ms")
    print(f"  polars lazy query + the repeated-row check     {t['checked'] * 1e3:9.1f} ms")
    print(f"  ratio groomstats / same-figures polars: {t['ours'] / peer:5.2f}x (target <= 1.5x)")
    print(f"  ratio groomstats / bare filter+group_by: {t['ours'] / t['bare']:5.2f}x")
    emit(
        f"totals {rows:,} rows by force, window 2017/18",
        t["ours"],
        "polars keys + filter + group_by + left join (faster of eager/lazy)",
        peer,
        "target: within 1.5x (speed-up >= 0.67)",
    )
    emit(
        f"totals {rows:,} rows by force, window 2017/18",
        t["ours"],
        "the same polars query (lazy) + the same repeated-row check",
        t["checked"],
        "apples to apples: the peer checks that no row of the window repeats too",
    )
    emit(
        f"totals {rows:,} rows by force, window 2017/18",
        t["ours"],
        "polars filter + group_by alone (drops forces with no row in the window)",
        t["bare"],
        "not the same figures: for scale",
    )

    t = alternate({"ours": ours_span, "peer": hand_span, "checked": hand_span_checked}, runs)
    print(f"totals, {rows:,} rows, by force, whole span")
    print(f"  groomstats.totals            {t['ours'] * 1e3:9.1f} ms")
    print(f"  polars lazy group_by + sum   {t['peer'] * 1e3:9.1f} ms")
    print(f"  + the repeated-row check     {t['checked'] * 1e3:9.1f} ms")
    print(f"  ratio groomstats / polars: {t['ours'] / t['peer']:5.2f}x (target <= 1.5x)")
    emit(
        f"totals {rows:,} rows by force, whole span",
        t["ours"],
        "polars lazy group_by + sum",
        t["peer"],
        "target: within 1.5x (speed-up >= 0.67)",
    )
    emit(
        f"totals {rows:,} rows by force, whole span",
        t["ours"],
        "the same polars query + the same repeated-row check",
        t["checked"],
        "apples to apples: the peer checks that no row repeats too",
    )

    t = alternate({"ours": ours_change, "peer": hand_change, "checked": hand_change_checked}, runs)
    print(f"change, {rows:,} rows, by force, 2018/19 against 2017/18")
    print(f"  groomstats.change                              {t['ours'] * 1e3:9.1f} ms")
    print(f"  polars group_by with two filtered sums + pct   {t['peer'] * 1e3:9.1f} ms")
    print(f"  + the repeated-row check                       {t['checked'] * 1e3:9.1f} ms")
    print(f"  ratio groomstats / polars: {t['ours'] / t['peer']:5.2f}x (target <= 1.5x)")
    emit(
        f"change {rows:,} rows by force, 2018/19 vs 2017/18",
        t["ours"],
        "polars lazy group_by, two filtered sums + pct change",
        t["peer"],
        "target: within 1.5x (speed-up >= 0.67)",
    )
    emit(
        f"change {rows:,} rows by force, 2018/19 vs 2017/18",
        t["ours"],
        "the same polars query + the same repeated-row check",
        t["checked"],
        "apples to apples: the peer checks that no row of either window repeats too",
    )


if __name__ == "__main__":
    main()
