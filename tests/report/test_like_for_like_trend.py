"""The like-for-like national trend beside the national one (hostile testing found that one
force's missing quarter costs the national trend that whole year: with gaps in different years
it may lose most of them).

ALL COUNTS HERE ARE SYNTHETIC: drawn in the test from a seeded Poisson generator for five real
force names, never compared with any published figure. The expected sums are made with plain
Python from the generated cells, and the expected trends with statsmodels (GLM Poisson with
Pearson scale, ``scale="X2"``: the quasi-Poisson fit the report states).
"""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import polars as pl
import pytest
import statsmodels.api as sm

from groomstats import datasets
from groomstats.io.prc import PRC_SCHEMA
from groomstats.report.context import context
from groomstats.report.document import Document
from groomstats.report.years import national_section, years

pytestmark = pytest.mark.filterwarnings("ignore::groomstats.PopulationYearWarning")

FORCES = ["Dorset", "Essex", "Kent", "Surrey", "Sussex"]
YEARS = [2017, 2018, 2019, 2020, 2021, 2022]  # 2017/18 .. 2022/23
NA = {("Dorset", 2018, 2), ("Surrey", 2020, 4)}  # (force, first year, quarter) published N/a


_COLUMNS = (
    "financial_year",
    "quarter",
    "period_start",
    "period_end",
    "force",
    "force_code",
    "region",
    "territorial",
    "offence_code",
    "offences",
)


def _fy(y: int) -> str:
    return f"{y}/{(y + 1) % 100:02d}"


def _quarter_dates(y: int, q: int) -> tuple[date, date]:
    starts = [date(y, 4, 1), date(y, 7, 1), date(y, 10, 1), date(y + 1, 1, 1)]
    ends = [date(y, 6, 30), date(y, 9, 30), date(y, 12, 31), date(y + 1, 3, 31)]
    return starts[q - 1], ends[q - 1]


def _cells(
    seed: int = 7, na: set[tuple[str, int, int]] = NA, drop: set[tuple[str, int]] = frozenset()
) -> dict[tuple[str, int, int], int | None]:
    """SYNTHETIC quarterly counts: (force, year, quarter) -> count (None: N/a); ``drop``
    (force, year) leaves a force's rows out of a year altogether."""
    rng = np.random.default_rng(seed)
    out: dict[tuple[str, int, int], int | None] = {}
    for i, force in enumerate(FORCES):
        for y in YEARS:
            if (force, y) in drop:
                continue
            for q in (1, 2, 3, 4):
                lam = (20 + 6 * i) * 1.08 ** (y - 2017)
                n = int(rng.poisson(lam))
                out[(force, y, q)] = None if (force, y, q) in na else n
    return out


def _frame(cells: dict[tuple[str, int, int], int | None]) -> pl.DataFrame:
    ref = datasets.forces().filter(pl.col("force").is_in(FORCES))
    codes = dict(ref.select("force", "force_code").iter_rows())
    regions = dict(ref.select("force", "region").iter_rows())
    rows = []
    for (force, y, q), n in cells.items():
        s, e = _quarter_dates(y, q)
        rows.append((_fy(y), q, s, e, force, codes[force], regions[force], True, "88A", n))
    return pl.DataFrame(
        rows,
        schema={c: PRC_SCHEMA[c] for c in _COLUMNS},
        orient="row",
    )


def _sum(cells: dict[tuple[str, int, int], int | None], forces: list[str], y: int) -> int:
    total = 0
    for f in forces:
        for q in (1, 2, 3, 4):
            n = cells[(f, y, q)]
            assert n is not None
            total += n
    return total


def _quasi_poisson_apc(counts: list[int], t: list[float]) -> tuple[float, float, float]:
    x = sm.add_constant(np.asarray(t, dtype=float))
    fit = sm.GLM(np.asarray(counts, dtype=float), x, family=sm.families.Poisson()).fit(scale="X2")
    b, se = float(fit.params[1]), float(fit.bse[1])
    z = 1.959963984540054
    return 100 * math.expm1(b), 100 * math.expm1(b - z * se), 100 * math.expm1(b + z * se)


def test_like_for_like_sums_the_forces_complete_every_year() -> None:
    cells = _cells()
    y = years(_frame(cells))
    # Dorset (2018/19 Q2) and Surrey (2020/21 Q4) each miss one quarter: left out
    assert y.like_for_like_excluded == ["Dorset", "Surrey"]
    assert y.like_for_like_forces == ["Essex", "Kent", "Sussex"]
    assert y.like_for_like_label == (
        "the 3 forces with figures for every year 2017/18 to 2022/23; excludes Dorset, Surrey"
    )
    assert y.like_for_like is not None
    hand = [_sum(cells, ["Essex", "Kent", "Sussex"], yr) for yr in YEARS]
    assert y.like_for_like["financial_year"].to_list() == [_fy(yr) for yr in YEARS]
    assert y.like_for_like["offences"].to_list() == hand
    assert y.like_for_like["forces"].to_list() == [3] * 6
    # its trend: all six years, against statsmodels on the hand sums
    t = y.like_for_like_trend
    assert t is not None and t["n"] == 6
    apc, lo, hi = _quasi_poisson_apc(hand, [float(yr - 2017) for yr in YEARS])
    assert t["apc"] == pytest.approx(apc, rel=1e-6)
    assert t["lower_95"] == pytest.approx(lo, rel=1e-5)
    assert t["upper_95"] == pytest.approx(hi, rel=1e-5)


def test_the_national_trend_is_kept_and_still_leaves_out_gap_years() -> None:
    cells = _cells()
    y = years(_frame(cells))
    used = [yr for yr in YEARS if yr not in (2018, 2020)]  # a force's quarter missing there
    hand = [_sum(cells, FORCES, yr) for yr in used]
    t = y.national_trend
    assert t is not None and t["n"] == 4
    apc, lo, hi = _quasi_poisson_apc(hand, [float(yr - 2017) for yr in used])
    assert t["apc"] == pytest.approx(apc, rel=1e-6)
    assert t["lower_95"] == pytest.approx(lo, rel=1e-5)
    assert t["upper_95"] == pytest.approx(hi, rel=1e-5)
    lfl = y.like_for_like_trend
    assert lfl is not None and lfl["apc"] != pytest.approx(t["apc"], rel=1e-6)


def test_a_force_absent_from_a_year_is_excluded_too() -> None:
    """Kent has no rows at all in 2019/20 (the frame given straight to ``years``, without
    rows made for the gap): it is not complete there, so it is not summed."""
    cells = _cells(na=set(), drop={("Kent", 2019)})
    y = years(_frame(cells))
    assert y.like_for_like_excluded == ["Kent"]
    assert y.like_for_like is not None
    others = ["Dorset", "Essex", "Surrey", "Sussex"]
    assert y.like_for_like["offences"].to_list() == [_sum(cells, others, yr) for yr in YEARS]


def test_no_gaps_means_the_national_trend_is_like_for_like() -> None:
    y = years(_frame(_cells(na=set())))
    assert y.like_for_like is None and y.like_for_like_trend is None
    assert y.like_for_like_label == ""
    assert "national trend is like for like" in y.like_for_like_reason
    assert y.national_trend is not None and y.national_trend["n"] == 6


def test_the_report_shows_both_and_names_what_was_summed() -> None:
    cells = _cells()
    ctx = context(_frame(cells))
    doc = Document("like for like")
    national_section(doc, ctx)
    text = " ".join(b.text for b in doc.blocks if b.kind == "paragraph")
    y = ctx.years
    assert y is not None and y.national_trend is not None and y.like_for_like_trend is not None
    n, lfl = y.national_trend, y.like_for_like_trend
    # the national trend, as before, with its left-out years
    assert f"({n['n']} years): {n['apc']:+.1f}% a year" in text
    assert "Left out of the trend: 2018/19 (incomplete: excludes Dorset Q2" in text
    # and beside it the like-for-like one, naming the forces left out
    assert (
        "Like for like (the 3 forces with figures for every year 2017/18 to 2022/23; "
        f"excludes Dorset, Surrey): {lfl['apc']:+.1f}% a year over the 6 complete years"
    ) in text
    table = next(b for b in doc.blocks if b.kind == "table")
    frame = table.frame
    assert isinstance(frame, pl.DataFrame)
    col = "Offences (like for like: 3 forces)"
    assert frame[col].to_list() == [_sum(cells, ["Essex", "Kent", "Sussex"], yr) for yr in YEARS]
    assert frame.columns[-1] == "Note"


def test_a_force_trend_says_how_many_years_the_national_one_has() -> None:
    """Kent has all six years; the national sum only four (a force missing a quarter in
    2018/19 and 2020/21): the profile says so, not just the first and last year."""
    from groomstats import profile

    ctx = context(_frame(_cells()))
    y = ctx.years
    assert y is not None and y.national_trend is not None
    n = y.national_trend
    text = " ".join(profile(force="Kent", ctx=ctx).sentences())
    assert "Over the 6 complete financial years from 2017/18 to 2022/23, offences in Kent" in text
    assert (
        f"against {n['apc']:+.1f}% a year for 5 forces: Dorset, Essex, Kent, Surrey, Sussex "
        f"(95% CI {n['lower_95']:+.1f}% to {n['upper_95']:+.1f}%, 4 complete years from "
        "2017/18 to 2022/23)"
    ) in text
