"""totals(): sums over windows with coverage; roll-ups; refusals; invariances."""

from __future__ import annotations

import warnings
from datetime import date

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import groomstats
from groomstats import DataFormatError, PeriodError, SeriesBreakWarning, totals

Q = {
    1: (date(2017, 4, 1), date(2017, 6, 30)),
    2: (date(2017, 7, 1), date(2017, 9, 30)),
    3: (date(2017, 10, 1), date(2017, 12, 31)),
    4: (date(2018, 1, 1), date(2018, 3, 31)),
}
AREAS = [
    # force, force_code, region, territorial
    ("Kent", "E23000032", "South East", True),
    ("Gwent", "W15000002", "Wales", True),
    ("British Transport Police", None, None, False),
    ("Action Fraud", None, None, False),
]


def prc_like(values: dict[tuple[str, int], int | None], code: str = "88A") -> pl.DataFrame:
    """A frame in the tidy PRC layout, built by hand: one row per (force, quarter)."""
    meta = {a[0]: a for a in AREAS}
    rows = []
    for (force, q), v in values.items():
        _, fc, region, terr = meta[force]
        rows.append(
            {
                "financial_year": "2017/18",
                "quarter": q,
                "period_start": Q[q][0],
                "period_end": Q[q][1],
                "force": force,
                "force_code": fc,
                "region": region,
                "territorial": terr,
                "offence_code": code,
                "offences": v,
            }
        )
    return pl.DataFrame(
        rows,
        schema_overrides={"quarter": pl.Int8, "offences": pl.Int64},
    )


FULL = {
    **{("Kent", q): v for q, v in zip(range(1, 5), [10, 12, 15, 20], strict=True)},
    **{("Gwent", q): v for q, v in zip(range(1, 5), [3, 4, 5, 6], strict=True)},
    **{("British Transport Police", q): v for q, v in zip(range(1, 5), [1, 0, 2, 1], strict=True)},
    **{("Action Fraud", q): 0 for q in range(1, 5)},
}


def test_window_sums_and_coverage() -> None:
    t = totals(prc_like(FULL), by="force", window="April to December 2017")
    got = dict(zip(t["force"], t["offences"], strict=True))
    assert got == {"Kent": 37, "Gwent": 12, "British Transport Police": 3, "Action Fraud": 0}
    assert t["complete"].all()
    assert t["periods_expected"].to_list() == [3] * 4
    assert t["coverage_unit"].unique().to_list() == ["quarter"]
    assert t["period"].unique().to_list() == ["2017-04-01..2017-12-31"]
    assert t["rows"].to_list() == [3] * 4


def test_missing_and_null_quarters_are_flagged_not_hidden() -> None:
    vals = dict(FULL)
    del vals[("Gwent", 2)]
    vals[("Kent", 3)] = None
    t = totals(prc_like(vals), by="force", window="2017/18 Q1..2017/18 Q3")
    kent = t.filter(pl.col("force") == "Kent").row(0, named=True)
    gwent = t.filter(pl.col("force") == "Gwent").row(0, named=True)
    assert (kent["offences"], kent["null_rows"], kent["periods_present"]) == (22, 1, 2)
    assert kent["days_missing"] == 92 and not kent["complete"]
    assert (gwent["offences"], gwent["periods_present"], gwent["complete"]) == (8, 2, False)


def test_groups_without_data_in_the_window_still_appear() -> None:
    vals = dict(FULL)
    for q in (1, 2, 3):
        del vals[("Gwent", q)]
    t = totals(prc_like(vals), by="force", window="April to December 2017")
    gwent = t.filter(pl.col("force") == "Gwent").row(0, named=True)
    assert gwent["offences"] is None and gwent["rows"] == 0 and not gwent["complete"]


def test_granularity_quarter_and_alignment() -> None:
    t = totals(prc_like(FULL), by="force", window="2017/18", granularity="quarter")
    kent = t.filter(pl.col("force") == "Kent")
    assert kent["period"].to_list() == [f"2017/18 Q{i}" for i in range(1, 5)]
    assert kent["offences"].to_list() == [10, 12, 15, 20]
    assert kent["period_start"].to_list() == [Q[i][0] for i in range(1, 5)]
    with pytest.raises(PeriodError, match="part-way through quarter 2017/18 Q3"):
        totals(prc_like(FULL), window="2017-04-01..2017-11-30", granularity="quarter")
    with pytest.raises(PeriodError, match="coarser than granularity='month'"):
        totals(prc_like(FULL), window="2017/18", granularity="month")
    with pytest.raises(groomstats.GroomstatsError, match="did you mean 'quarter'"):
        totals(prc_like(FULL), window="2017/18", granularity="quartr")  # type: ignore[arg-type]


def test_window_cutting_a_data_quarter_is_refused_not_prorated() -> None:
    with pytest.raises(PeriodError, match=r"row \d+ covers 2017-10-01..2017-12-31.*pro-rated"):
        totals(prc_like(FULL), by="force", window="2017-04-01..2017-11-30")


def test_national_with_and_without_btp() -> None:
    t = totals(prc_like(FULL), by="national", window="2017/18")
    got = dict(zip(t["national"], t["offences"], strict=True))
    assert got == {"2 forces: Gwent, Kent": 75, "Non-territorial bodies": 4}
    assert t["includes_btp"].to_list() == [False, False]
    t = totals(prc_like(FULL), by="national", window="2017/18", include_btp=True)
    got = dict(zip(t["national"], t["offences"], strict=True))
    assert got == {"2 forces: Gwent, Kent": 79, "Non-territorial bodies": 0}
    assert t["includes_btp"].all()


def test_region_and_nation_rollups() -> None:
    t = totals(prc_like(FULL), by="region", window="2017/18")
    got = dict(zip(t["region"], t["offences"], strict=True))
    assert got == {"South East": 57, "Wales": 18, "Non-territorial bodies": 4}
    t = totals(prc_like(FULL), by=["nation"], window="2017/18")
    got = dict(zip(t["nation"], t["offences"], strict=True))
    assert got == {"England": 57, "Wales": 18, "Non-territorial bodies": 4}


def test_overlapping_periods_and_mixed_releases_are_refused() -> None:
    df = prc_like(FULL)
    annual = df.head(1).with_columns(
        pl.lit(date(2017, 4, 1)).alias("period_start"),
        pl.lit(date(2018, 3, 31)).alias("period_end"),
    )
    with pytest.raises(DataFormatError, match="overlap without covering the same period"):
        totals(pl.concat([df, annual]), by="force", window="2017/18")
    nat = pl.DataFrame(
        {
            "area": ["England and Wales"] * 2,
            "period_start": [date(2017, 4, 3)] * 2,
            "period_end": [date(2018, 3, 31)] * 2,
            "offences": [3171, 3217],
            "release": ["2018-06", "2019-09"],
        }
    )
    with pytest.raises(DataFormatError, match="several releases"):
        totals(nat, by=None, window="2017/18")
    one = totals(nat.filter(pl.col("release") == "2019-09"), by=None, window="2017/18")
    row = one.row(0, named=True)
    # The s.15A year starts on 3 April: two days of the financial year are not covered.
    assert (row["offences"], row["coverage_unit"], row["days_missing"]) == (
        3217,
        "financial_year",
        2,
    )
    assert row["periods_present"] == 1 and not row["complete"]


def test_series_break_warns_on_88a_only() -> None:
    before = prc_like(FULL).with_columns(
        pl.col("period_start").dt.offset_by("-1y"), pl.col("period_end").dt.offset_by("-1y")
    )
    df = pl.concat([before, prc_like(FULL)])
    with pytest.warns(SeriesBreakWarning, match="2017-04-01 break"):
        totals(df, by="force", window="2016-07-01..2017-06-30")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        totals(df, by="force", window="2016-07-01..2017-06-30", allow_series_break=True)
        other = df.with_columns(pl.lit("88E").alias("offence_code"))
        totals(other, by="force", window="2016-07-01..2017-06-30")


def test_bad_input_is_named() -> None:
    with pytest.raises(DataFormatError, match="missing column 'offences'"):
        totals(prc_like(FULL).drop("offences"), window="2017/18")
    bad = prc_like(FULL).with_columns(pl.col("period_start").cast(pl.String))
    bad = bad.with_columns(
        pl.when(pl.int_range(pl.len()) == 2)
        .then(pl.lit("2017-13-01"))
        .otherwise(pl.col("period_start"))
        .alias("period_start")
    )
    with pytest.raises(DataFormatError, match=r"row 2: '2017-13-01' is not a date"):
        totals(bad, window="2017/18")
    with pytest.raises(PeriodError, match="'2017/19'"):
        totals(prc_like(FULL), window="2017/19")


def test_pandas_input() -> None:
    pd_df = prc_like(FULL).to_pandas()
    t = totals(pd_df, by="force", window="2017/18")
    assert t.filter(pl.col("force") == "Kent")["offences"].item() == 57


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(min_value=-1, max_value=60), min_size=16, max_size=16),
    st.randoms(use_true_random=False),
    st.sampled_from(["force", "region", "national", "nation"]),
)
def test_totals_invariant_across_granularities_and_orderings(
    values: list[int], rnd: object, by: str
) -> None:
    keys = [(a[0], q) for a in AREAS for q in range(1, 5)]
    df = prc_like(dict(zip(keys, values, strict=True)))
    rows = list(range(df.height))
    rnd.shuffle(rows)  # type: ignore[attr-defined]
    shuffled = df[rows]
    whole = totals(df, by=by, window="2017/18").sort(by)
    again = totals(shuffled, by=by, window="2017/18").sort(by)
    assert whole.equals(again)
    fy = totals(shuffled, by=by, window="2017/18", granularity="financial_year").sort(by)
    assert fy["offences"].to_list() == whole["offences"].to_list()
    by_q = (
        totals(shuffled, by=by, window="2017/18", granularity="quarter")
        .group_by(by)
        .agg(pl.col("offences").sum(), pl.col("complete").all())
        .sort(by)
    )
    assert by_q["offences"].to_list() == whole["offences"].to_list()
    assert by_q["complete"].to_list() == whole["complete"].to_list()
    halves = [
        totals(shuffled, by=by, window=w).sort(by)["offences"]
        for w in ("2017/18 Q1..2017/18 Q2", "2017/18 Q3..2017/18 Q4")
    ]
    assert (halves[0] + halves[1]).to_list() == whole["offences"].to_list()


# ---------------------------------------------------------------------------------------------
# The shipped data: figures published from it
# ---------------------------------------------------------------------------------------------


def test_april_to_december_2017_as_published(grooming_2017_18: pl.DataFrame) -> None:
    t = totals(grooming_2017_18, by="force", window="April to December 2017")
    got = dict(zip(t["force"], t["offences"], strict=True))
    # Published in April 2018 (news_force_figures.csv): Northamptonshire 33, Hampshire 150.
    assert got["Northamptonshire"] == 33
    assert got["Hampshire"] == 150
    assert got["Derbyshire"] == 46
    assert t["complete"].all() and t["periods_present"].unique().to_list() == [3]


def test_derbyshire_is_a_revision_of_the_published_47(grooming_2017_18: pl.DataFrame) -> None:
    """The April 2018 release said 47 for Derbyshire, April-December 2017; this 2019 vintage of
    the same table says 46. The published figure is shown beside ours as a revision, never
    overwritten."""
    news = groomstats.datasets.news_figures().filter(
        (pl.col("measure") == "home_office_88a") & (pl.col("force") != "England and Wales")
    )
    win = groomstats.Period.parse("April to December 2017")
    news = news.filter(
        (pl.col("period_start") == win.start) & (pl.col("period_end") == win.end)
    ).select("force", pl.col("offences").alias("published"))
    ours = totals(grooming_2017_18, by="force", window=win).select("force", "offences")
    cmp = news.join(ours, on="force", how="left").with_columns(
        (pl.col("offences") - pl.col("published")).alias("revision")
    )
    rows = {
        r["force"]: (r["published"], r["offences"], r["revision"])
        for r in cmp.iter_rows(named=True)
    }
    assert rows["Derbyshire"] == (47, 46, -1)
    assert rows["Northamptonshire"] == (33, 33, 0)
    assert rows["Hampshire"] == (150, 150, 0)
    assert rows["West Mercia"][2] is not None


def test_national_totals_with_and_without_btp(grooming_2017_18: pl.DataFrame) -> None:
    t = totals(grooming_2017_18, by="national", window="2017/18")
    got = dict(zip(t["national"], t["offences"], strict=True))
    assert got == {"England and Wales": 4429, "Non-territorial bodies": 15}
    t = totals(grooming_2017_18, by="national", window="2017/18", include_btp=True)
    assert t.filter(pl.col("national") == "England and Wales")["offences"].item() == 4444
    q = totals(grooming_2017_18, by=None, window="2017/18", granularity="quarter")
    assert q["offences"].to_list() == [895, 942, 1242, 1365]
    assert q["period"].to_list() == [f"2017/18 Q{i}" for i in range(1, 5)]
    regions = totals(grooming_2017_18, by="region", window="2017/18")
    assert regions.height == 11  # 9 English regions, Wales, non-territorial bodies
    assert regions.filter(pl.col("region") != "Non-territorial bodies")["offences"].sum() == 4429
    nations = totals(grooming_2017_18, by="nation", window="2017/18")
    wales = nations.filter(pl.col("nation") == "Wales")["offences"].item()
    assert wales == regions.filter(pl.col("region") == "Wales")["offences"].item()


def test_all_offences_by_force_and_code_keeps_every_row() -> None:
    prc = groomstats.datasets.prc()
    t = totals(prc, by=["force", "offence_code"], window="2017/18")
    assert t["rows"].sum() == prc.height
    assert t["null_rows"].sum() == prc["offences"].null_count()
    assert t["offences"].sum() == prc["offences"].sum()


def test_nspcc_wales_annual_series_by_financial_year_label() -> None:
    wales = groomstats.datasets.nspcc_wales()
    t = totals(wales, by="force", window="2023/24")
    got = dict(zip(t["force"], t["offences"], strict=True))
    assert got == {"Dyfed-Powys": 67, "Gwent": 67, "North Wales": 97, "South Wales": 333}
    # The four forces sum to 564 (the same page gives a Wales total of 554).
    assert sum(got.values()) == 564
    assert t["coverage_unit"].unique().to_list() == ["financial_year"]
    # South Wales did not provide 2022/23: the year shows as incomplete, never as zero.
    t = totals(wales, by="force", window="2022/23")
    sw = t.filter(pl.col("force") == "South Wales").row(0, named=True)
    assert sw["offences"] is None and sw["null_rows"] == 1 and not sw["complete"]
    # Seven years, quarterly granularity impossible, yearly fine; the whole span by default.
    whole = totals(wales, by="force")
    assert whole["period"].unique().to_list() == ["2017-04-01..2024-03-31"]
    assert whole["periods_expected"].unique().to_list() == [7]
    yearly = totals(wales, by="force", window="2017/18..2023/24", granularity="financial_year")
    assert yearly.height == 4 * 7
    with pytest.raises(PeriodError, match="coarser than granularity='quarter'"):
        totals(wales, by="force", window="2023/24", granularity="quarter")


def test_wales_change_where_forces_can_be_compared() -> None:
    wales = groomstats.datasets.nspcc_wales()
    c = groomstats.change(
        wales, current="2023/24", baseline="2017/18", by="force", comparable_only=True
    )
    # Dyfed-Powys' 2017/18 covers six months (complete=False): the like-for-like sum leaves
    # it out (564 - 67 and 274 - 19)
    assert c["national_current"][0] == 497 and c["national_baseline"][0] == 255
    assert c["national_areas"][0] == 3
    c = groomstats.change(
        wales, current="2022/23", baseline="2017/18", by="force", comparable_only=True
    )
    # South Wales is missing in 2022/23 and Dyfed-Powys' 2017/18 is six months: the
    # like-for-like sum leaves both out.
    assert c["national_areas"][0] == 2
    assert c["national_baseline"][0] == 44 + 53
