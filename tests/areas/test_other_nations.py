"""Police Scotland and the PSNI are known areas of their own nations (issue 12, item 4): read,
compared and shared by name, never counted as territorial forces of England and Wales, and
given a rate only with a population passed in.

Synthetic counts (generated below, labelled synthetic).
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

import groomstats
from groomstats.areas import other_nation


def _uk() -> pl.DataFrame:
    rows = [("Kent", 100, 150), ("Surrey", 50, 60), ("Police Scotland", 40, 20), ("PSNI", 9, 12)]
    out = []
    for force, a, b in rows:
        out.append((force, date(2018, 4, 1), date(2019, 3, 31), a))
        out.append((force, date(2019, 4, 1), date(2020, 3, 31), b))
    return pl.DataFrame(
        out, schema=["force", "period_start", "period_end", "offences"], orient="row"
    )


def test_known_by_name_with_their_nation() -> None:
    m = groomstats.match_forces(["Police Scotland", "PSNI", "Police Service of Scotland"])
    assert m["force"].to_list() == [
        "Police Scotland",
        "Police Service of Northern Ireland",
        "Police Scotland",
    ]
    assert m["nation"].to_list() == ["Scotland", "Northern Ireland", "Scotland"]
    assert not m["territorial"].any()
    assert other_nation("Kent") is None


def test_national_sums_leave_them_out_and_name_their_nation() -> None:
    t = groomstats.totals(_uk(), by="national", window="2019/20")
    got = dict(zip(t["national"], t["offences"], strict=True))
    assert got == {"2 forces: Kent, Surrey": 210, "Scotland": 20, "Northern Ireland": 12}
    c = groomstats.change(_uk(), current="2019/20", by="force")
    assert c["comparator"].unique().to_list() == ["2 forces: Kent, Surrey"]
    assert (c["national_baseline"][0], c["national_current"][0]) == (150, 210)
    scot = c.filter(pl.col("force") == "Police Scotland").row(0, named=True)
    assert scot["pct_change"] == pytest.approx(-50.0)


def test_read_breakdown_and_shares() -> None:
    wide = pl.DataFrame(
        {
            "Force": ["Police Scotland", "PSNI"],
            "Year": ["2018/19"] * 2,
            "Snapchat": ["30", "5"],
            "Other": ["10", "*"],
        }
    )
    b = groomstats.read_breakdown(wide, category="platform")
    assert b["force"].unique(maintain_order=True).to_list() == [
        "Police Scotland",
        "Police Service of Northern Ireland",
    ]
    s = groomstats.shares(b.filter(pl.col("force") == "Police Scotland"), "platform")
    snap = s.filter(pl.col("platform") == "Snapchat").row(0, named=True)
    assert snap["value"] == pytest.approx(75.0)  # 30 of 40


def test_rates_need_a_population_passed_in() -> None:
    df = pl.DataFrame({"force": ["Police Scotland"], "offences": [40]})
    with pytest.raises(groomstats.UnknownAreaError, match="pass its population"):
        groomstats.rates(df)
    pop = pl.DataFrame(
        {"force": ["Police Scotland"], "age_band": ["0-17"], "population": [1_000_000]}
    )  # synthetic population
    r = groomstats.rates(df, pop, on="force", age_band="0-17").row(0, named=True)
    assert r["value"] == pytest.approx(4.0)
