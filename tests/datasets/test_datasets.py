"""Shipped datasets reproduce the published and computed figures."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

import groomstats
from groomstats import datasets


def test_prc_published_figures() -> None:
    df = datasets.prc()
    assert df.height == 23_068
    g = groomstats.grooming(df)
    assert g["offences"].sum() == 4_444
    assert g.filter(pl.col("territorial"))["offences"].sum() == 4_429
    assert g.filter(pl.col("force") == "British Transport Police")["offences"].sum() == 15
    by_q = g.group_by("quarter").agg(pl.col("offences").sum()).sort("quarter")
    assert by_q["offences"].to_list() == [895, 942, 1_242, 1_365]


def test_prc_april_to_december_2017() -> None:
    g = groomstats.grooming(datasets.prc()).filter(pl.col("quarter") <= 3)
    tot = dict(g.group_by("force").agg(pl.col("offences").sum()).iter_rows())
    assert tot["Northamptonshire"] == 33
    assert tot["Hampshire"] == 150
    assert tot["Derbyshire"] == 46  # 47 as published in April 2018: a revision


def test_population_totals() -> None:
    pop = datasets.population(2023)
    tot = dict(pop.group_by("age_band").agg(pl.col("population").sum()).iter_rows())
    assert tot["all ages"] == 60_854_727
    assert tot["0-17"] == 12_618_614
    assert pop["force_code"].n_unique() == 43
    assert pop.schema == pl.Schema(
        {
            "force_code": pl.String,
            "force": pl.String,
            "region": pl.String,
            "age_band": pl.String,
            "population": pl.Int64,
            "year": pl.Int16,
            "vintage": pl.String,
            "note": pl.String,
        }
    )
    assert pop["year"].unique().to_list() == [2023]
    city = pop.filter(pl.col("force") == "City of London", pl.col("age_band") == "0-17")
    assert city["population"].item() == 642


def test_population_matches_derived_ons_file() -> None:
    from importlib import resources

    ref = resources.files("groomstats") / "data" / "pfa_population_mid2023.csv"
    with resources.as_file(ref) as p:
        exp = pl.read_csv(p).sort("PFA23CD")
    wide = datasets.population(2023).pivot(on="age_band", index="force_code", values="population")
    wide = wide.sort("force_code")
    assert wide["force_code"].to_list() == exp["PFA23CD"].to_list()
    assert wide["all ages"].to_list() == exp["population_all_ages_mid2023"].to_list()
    assert wide["0-17"].to_list() == exp["population_aged_0_17_mid2023"].to_list()
    assert wide["0-15"].to_list() == exp["population_aged_0_15_mid2023"].to_list()
    # names: the lookup's spellings map to the canonical names
    names = dict(datasets.population().select("force_code", "force").unique().iter_rows())
    assert names["E23000035"] == "Devon and Cornwall"
    assert names["E23000034"] == "City of London"


def test_published_tables() -> None:
    nat = datasets.nspcc_national()
    assert {"offences", "release", "source_url"} <= set(nat.columns)
    first_year = nat.filter(
        pl.col("period_start") == pl.date(2017, 4, 3), pl.col("period_end") == pl.date(2018, 3, 31)
    )
    assert sorted(first_year["offences"].to_list()) == [3_171, 3_217, 3_728]
    wales = datasets.nspcc_wales()
    assert wales.height == 28
    assert wales["offences"].null_count() == 2  # published as n/a, never 0
    shares = datasets.platform_shares()
    assert shares.filter(pl.col("release") == "2024-10")[
        "offences_with_method_recorded"
    ].unique().to_list() == [1_824]
    assert "source_url" in datasets.victim_facts().columns
    news = datasets.news_figures()
    tv = news.filter(pl.col("force") == "Thames Valley").row(0, named=True)
    assert (tv["offences"], tv["comparison_offences"]) == (274, 114)


@pytest.mark.parametrize(
    "name",
    [
        "prc",
        "population",
        "forces",
        "nspcc_national",
        "nspcc_wales",
        "platform_shares",
        "victim_facts",
        "news_figures",
    ],
)
def test_provenance(name: str) -> None:
    assert len(datasets.provenance(name)) > 40
    assert isinstance(getattr(datasets, name)(), pl.DataFrame)


def test_provenance_bad_name() -> None:
    with pytest.raises(groomstats.GroomstatsError, match="did you mean 'prc'"):
        datasets.provenance("prcc")


def test_cli_report_prints_real_figures(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from groomstats.cli import main

    assert main(["report", "--force", "Kent", "--out", str(tmp_path)]) == 0  # not --quiet
    out = capsys.readouterr().out
    assert "rows read: 23,068" in out
    assert "sexual grooming (88A) offences: 4,444" in out
    assert "quarter 4: 1,365" in out
