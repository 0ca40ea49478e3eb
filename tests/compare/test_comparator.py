"""Comparators say what they are (issue 12, item 1): ``totals(by="national")`` and ``change()``
label a sum "England and Wales" only when it covers all 43 territorial forces (or comes from a
national frame); otherwise the label names what was summed. The comparator of ``change()`` is
like-for-like by default, a row is never compared with itself, and opposite directions give no
ratio.

Synthetic frames (generated below, labelled synthetic); expected values worked by hand in the
comments. The 43-force case uses the embedded Home Office 2017/18 table.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

import groomstats
from groomstats import change, totals
from groomstats.areas import comparator_label

Y1 = (date(2017, 4, 1), date(2018, 3, 31))
Y2 = (date(2018, 4, 1), date(2019, 3, 31))


def _frame(rows: list[tuple[str, int | None, int | None]], **extra: str) -> pl.DataFrame:
    """Synthetic: (force, offences 2017/18, offences 2018/19); None = no figure (blank)."""
    out = []
    for force, a, b in rows:
        for (start, end), n in ((Y1, a), (Y2, b)):
            out.append((force, start, end, n))
    df = pl.DataFrame(
        out,
        schema={
            "force": pl.String,
            "period_start": pl.Date,
            "period_end": pl.Date,
            "offences": pl.Int64,
        },
        orient="row",
    )
    return df.with_columns(pl.lit(v).alias(k) for k, v in extra.items())


SOUTH_EAST4 = [("Kent", 100, 120), ("Surrey", 50, 60), ("Sussex", 80, 90), ("Hampshire", 70, 80)]


def test_labels_name_what_was_summed() -> None:
    assert comparator_label(["Kent", "Surrey", "Sussex", "Hampshire"]) == (
        "4 forces: Hampshire, Kent, Surrey, Sussex"
    )
    # the five South East forces are exactly the region
    assert comparator_label(["Kent", "Surrey", "Sussex", "Hants", "TVP"]) == "South East"
    assert comparator_label(["Gwent", "North Wales", "South Wales", "Dyfed Powys"]) == "Wales"
    every = groomstats.datasets.forces().filter(pl.col("territorial"))["force"].to_list()
    assert comparator_label(every) == "England and Wales"
    assert comparator_label(every[1:]) == f"42 forces: England and Wales except {every[0]}"


def test_totals_national_of_four_forces_is_not_england_and_wales() -> None:
    t = totals(_frame(SOUTH_EAST4), by="national", window="2018/19")
    assert t["national"].to_list() == ["4 forces: Hampshire, Kent, Surrey, Sussex"]
    assert t["offences"].to_list() == [350]  # 120 + 60 + 90 + 80


def test_totals_region_says_what_it_summed() -> None:
    four = _frame(SOUTH_EAST4).with_columns(region=pl.lit("South East"), territorial=True)
    t = totals(four, by="region", window="2018/19")
    assert t.select("region", "offences", "forces_summed").rows() == [
        ("South East", 350, "4 forces: Hampshire, Kent, Surrey, Sussex")
    ]
    g = groomstats.grooming(groomstats.datasets.prc())
    t = totals(g, by="region", window="2017/18").filter(pl.col("region") == "South East")
    assert t["forces_summed"].to_list() == ["South East"]  # all five of its forces


def test_totals_national_of_all_43_forces_is_england_and_wales() -> None:
    t = totals(groomstats.datasets.prc(), by="national", window="2017/18")
    assert set(t["national"]) == {"England and Wales", "Non-territorial bodies"}


def test_change_comparator_is_like_for_like_by_default() -> None:
    # The case: a force with no baseline figure still added its current count to the
    # "national" sum. Kent has no 2017/18 figure: like-for-like sums the other three only:
    # 200 -> 230 (+15%), not 200 -> 350 (+75%).
    rows = [("Kent", None, 120), ("Surrey", 50, 60), ("Sussex", 80, 90), ("Hampshire", 70, 80)]
    c = change(_frame(rows), current="2018/19", by="force").sort("force")
    assert c["comparator"].unique().to_list() == ["3 forces: Hampshire, Surrey, Sussex"]
    assert (c["national_baseline"][0], c["national_current"][0]) == (200, 230)
    assert c["national_pct_change"][0] == pytest.approx(15.0)
    surrey = c.filter(pl.col("force") == "Surrey").row(0, named=True)
    assert surrey["ratio_to_national"] == pytest.approx(20.0 / 15.0)
    assert "leaves out Kent (no count in both windows)" in surrey["note"]
    old = change(_frame(rows), current="2018/19", by="force", comparable_only=False)
    assert (old["national_baseline"][0], old["national_current"][0]) == (200, 350)
    assert old["comparator"][0] == "4 forces: Hampshire, Kent, Surrey, Sussex"


def test_change_against_region_and_frame() -> None:
    rows = [*SOUTH_EAST4, ("Thames Valley", 100, 100), ("Gwent", 10, 20), ("South Wales", 30, 20)]
    c = change(_frame(rows), current="2018/19", by="force", against="region").sort("force")
    got = dict(zip(c["force"], c["comparator"], strict=True))
    assert got["Kent"] == "South East"  # all five South East forces
    assert got["Gwent"] == "2 forces: Gwent, South Wales"  # not Wales: two of its four forces
    gwent = c.filter(pl.col("force") == "Gwent").row(0, named=True)
    assert (gwent["national_baseline"], gwent["national_current"]) == (40, 40)
    kent = c.filter(pl.col("force") == "Kent").row(0, named=True)
    assert (kent["national_baseline"], kent["national_current"]) == (400, 450)
    nat = pl.DataFrame(
        {
            "area": ["England and Wales"] * 2,
            "period_start": [Y1[0], Y2[0]],
            "period_end": [Y1[1], Y2[1]],
            "offences": [1000, 1500],
        }
    )
    f = change(_frame(rows), current="2018/19", by="force", against=nat)
    assert f["comparator"].unique().to_list() == ["England and Wales"]
    with pytest.raises(groomstats.GroomstatsError, match="did you mean"):
        change(_frame(rows), current="2018/19", by="force", against="regoin")
    with pytest.raises(groomstats.GroomstatsError, match="by= must name a force column"):
        change(_frame(rows), current="2018/19", against="region")


def test_change_never_compares_a_row_with_itself() -> None:
    one = change(_frame([("Kent", 100, 150)]), current="2018/19", by="force").row(0, named=True)
    assert one["pct_change"] == pytest.approx(50.0)
    assert one["ratio_to_national"] is None  # was 1.0
    assert one["note"] == "the comparator (1 force: Kent) is this row itself: no comparison"
    # grouping by platform: each platform's "national" figure was its own
    plat = _frame([("Kent", 10, 20), ("Kent", 5, 4)]).with_columns(
        pl.Series("platform", ["Snapchat", "Snapchat", "Instagram", "Instagram"])
    )
    p = change(plat.drop("force"), current="2018/19", by="platform")
    assert p["ratio_to_national"].to_list() == [None, None]
    assert p["note"].str.contains("is this row itself").all()


def test_opposite_directions_give_no_ratio() -> None:
    # Kent 100 -> 80 (-20%); the four forces 300 -> 350 (+16.7%): the ratio -1.2 would mislead
    rows = [("Kent", 100, 80), ("Surrey", 50, 80), ("Sussex", 80, 100), ("Hampshire", 70, 90)]
    c = change(_frame(rows), current="2018/19", by="force")
    kent = c.filter(pl.col("force") == "Kent").row(0, named=True)
    assert kent["pct_change"] == pytest.approx(-20.0)
    assert kent["national_pct_change"] == pytest.approx(50 / 300 * 100)
    assert kent["ratio_to_national"] is None
    assert kent["note"] == (
        "this row and the comparator moved in opposite directions (-20.0% against 16.7%): no ratio"
    )
    surrey = c.filter(pl.col("force") == "Surrey").row(0, named=True)
    assert surrey["ratio_to_national"] == pytest.approx(60.0 / (50 / 3))
    assert surrey["note"] is None
