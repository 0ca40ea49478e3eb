"""Suppression-aware shares (issue 12, item 6): a suppressed cell ('*') is never dropped
silently. It holds 1-4 offences by default (``suppressed=(1, 4)``), or what a published total
leaves; shares come back as ranges (``value_min``..``value_max``), the Wilson limits widen to
cover the range, and the note says how many cells were suppressed. Every expected bound below
is worked by hand; the Wilson limits come from statsmodels."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from statsmodels.stats.proportion import proportion_confint

import groomstats


def wilson(x: int, n: int, conf: float = 0.95) -> tuple[float, float]:
    lo, hi = proportion_confint(x, n, alpha=1 - conf, method="wilson")
    return 100 * float(lo), 100 * float(hi)


def frame(rows: list[tuple[str, str, str, int | None]], category: str = "gender") -> pl.DataFrame:
    return pl.DataFrame(
        {
            "force": [r[0] for r in rows],
            "period": [r[1] for r in rows],
            "category": [category] * len(rows),
            "value": [r[2] for r in rows],
            "offences": [r[3] for r in rows],
            "suppressed": [r[3] is None for r in rows],
        },
        schema_overrides={"offences": pl.Int64},
    )


GENDER = frame(
    [
        ("Gwent", "2023/24", "Female", 12),
        ("Gwent", "2023/24", "Male", None),
        ("Dyfed-Powys", "2023/24", "Female", 11),
        ("Dyfed-Powys", "2023/24", "Male", None),
    ]
)


def test_the_issue_gender_table() -> None:
    """The issue: "Female 100% (86-100)" and "Male 0%" while two male cells were '*'.
    By hand: Male holds 2..8, so Female is 23/31 .. 23/25 and Male 2/25 .. 8/31."""
    out = groomstats.shares(GENDER, "gender")
    f = out.filter(pl.col("gender") == "Female").row(0, named=True)
    m = out.filter(pl.col("gender") == "Male").row(0, named=True)
    assert f["value"] is None and m["value"] is None  # no single share
    assert (f["value_min"], f["value_max"]) == pytest.approx((100 * 23 / 31, 100 * 23 / 25))
    assert (m["value_min"], m["value_max"]) == pytest.approx((100 * 2 / 25, 100 * 8 / 31))
    assert m["value_min"] > 0  # never "Male 0%"
    assert f["value_max"] < 100  # never "Female 100%"
    # the interval covers the whole range: Wilson at the two extremes
    assert f["lower_95"] == pytest.approx(wilson(23, 31)[0], rel=1e-12)
    assert f["upper_95"] == pytest.approx(wilson(23, 25)[1], rel=1e-12)
    assert m["lower_95"] == pytest.approx(wilson(2, 25)[0], rel=1e-12)
    assert m["upper_95"] == pytest.approx(wilson(8, 31)[1], rel=1e-12)
    assert m["note"] == "2 cell(s) suppressed (1-4 each): the share is a range"
    assert f["note"] == "2 cell(s) suppressed in other categories: the denominator is a range"
    assert m["suppressed_cells"] == 2 and f["denominator"] is None


def test_the_stated_range_is_used() -> None:
    # suppressed=(0, 9): Male holds 0..18 -> Female 23/41 .. 23/23
    out = groomstats.shares(GENDER, "gender", suppressed=(0, 9))
    f = out.filter(pl.col("gender") == "Female").row(0, named=True)
    assert (f["value_min"], f["value_max"]) == pytest.approx((100 * 23 / 41, 100.0))
    assert "0-9 each" in out.filter(pl.col("gender") == "Male")["note"].item()


def test_explicit_denominator_is_fixed() -> None:
    b = frame([("A", "2023/24", "Snapchat", 30), ("A", "2023/24", "Kik", None)], "platform")
    out = groomstats.shares(b, "platform", denominator=50)
    kik = out.filter(pl.col("platform") == "Kik").row(0, named=True)
    snap = out.filter(pl.col("platform") == "Snapchat").row(0, named=True)
    assert (kik["value_min"], kik["value_max"]) == pytest.approx((2.0, 8.0))  # 1/50 .. 4/50
    assert kik["lower_95"] == pytest.approx(wilson(1, 50)[0], rel=1e-12)
    assert kik["upper_95"] == pytest.approx(wilson(4, 50)[1], rel=1e-12)
    assert snap["value"] == pytest.approx(60.0)  # 30/50: the denominator does not move
    assert snap["note"] is None


FOI = """\
Force,Year,Platform,Offences
Kent,2023/24,Snapchat,10
Kent,2023/24,Instagram,*
Kent,2023/24,Other,2
Kent,2023/24,Total,16
"""


def _read(tmp_path: Path, text: str) -> pl.DataFrame:
    p = tmp_path / "foi.csv"
    p.write_text(text)
    return groomstats.read_breakdown(p)


def test_a_total_row_fixes_the_remainder(tmp_path: Path) -> None:
    """Total 16 less 12 shown: the one suppressed cell holds 4, so every share is exact."""
    out = groomstats.shares(_read(tmp_path, FOI), "platform")
    got = {r["platform"]: r for r in out.iter_rows(named=True)}
    assert got["Instagram"]["value"] == pytest.approx(25.0)  # 4/16
    assert got["Snapchat"]["value"] == pytest.approx(62.5)  # 10/16
    assert got["Snapchat"]["denominator"] == 16
    assert got["Instagram"]["lower_95"] == pytest.approx(wilson(4, 16)[0], rel=1e-12)
    assert got["Instagram"]["note"] == (
        "1 cell(s) suppressed: the published total leaves 4 for the 1 suppressed cell(s) of "
        "the group"
    )


def test_a_total_row_bounds_two_suppressed_cells(tmp_path: Path) -> None:
    """Total 17 less 12 shown leaves 5 for two cells of 1-4 each: each holds 1..4."""
    text = FOI.replace("Other,2", "Other,2\nKent,2023/24,WhatsApp,*").replace(",16", ",17")
    out = groomstats.shares(_read(tmp_path, text), "platform")
    got = {r["platform"]: r for r in out.iter_rows(named=True)}
    assert got["Snapchat"]["value"] == pytest.approx(100 * 10 / 17)
    for name in ("Instagram", "WhatsApp"):
        r = got[name]
        assert (r["value_min"], r["value_max"]) == pytest.approx((100 / 17, 400 / 17))
        assert r["value"] is None
        assert r["lower_95"] == pytest.approx(wilson(1, 17)[0], rel=1e-12)
        assert r["upper_95"] == pytest.approx(wilson(4, 17)[1], rel=1e-12)


def test_a_total_beyond_the_stated_range_binds_alone(tmp_path: Path) -> None:
    """Total 20 less 12 shown leaves 8 for one cell: more than 4, so the total decides."""
    out = groomstats.shares(_read(tmp_path, FOI.replace(",16", ",20")), "platform")
    insta = out.filter(pl.col("platform") == "Instagram").row(0, named=True)
    assert insta["value"] == pytest.approx(40.0)  # 8/20
    assert "leaves 8" in insta["note"]


def test_two_way_breakdown(tmp_path: Path) -> None:
    p = tmp_path / "age_gender.csv"
    p.write_text(
        "Force,Year,Age band,Gender,Count of Crimes\n"
        "Gwent,2022/23,11 and under,Female,5\n"
        "Gwent,2022/23,11 and under,Male,*\n"
        "Gwent,2022/23,12-15,Female,20\n"
        "Gwent,2022/23,12-15,Male,3\n"
    )
    b = groomstats.read_breakdown(p)
    pooled = groomstats.shares(b, "gender")
    f = pooled.filter(pl.col("gender") == "Female").row(0, named=True)
    assert (f["value_min"], f["value_max"]) == pytest.approx((100 * 25 / 32, 100 * 25 / 29))
    by_age = groomstats.shares(b, "gender", by="age_band")
    rows = {(r["age_band"], r["gender"]): r for r in by_age.iter_rows(named=True)}
    young = rows[("11 and under", "Female")]
    assert (young["value_min"], young["value_max"]) == pytest.approx((100 * 5 / 9, 100 * 5 / 6))
    assert rows[("12-15", "Female")]["value"] == pytest.approx(100 * 20 / 23)
    assert rows[("12-15", "Male")]["value"] == pytest.approx(100 * 3 / 23)


@pytest.mark.parametrize("bad", [(5, 1), (-1, 4), ("1", "4"), (1,), "1-4", (1.5, 4), (True, 4)])
def test_bad_suppression_range(bad: object) -> None:
    with pytest.raises(groomstats.GroomstatsError, match="suppressed="):
        groomstats.shares(GENDER, "gender", suppressed=bad)  # type: ignore[arg-type]
