"""Several files and editions read together: every published figure counted once, the latest
edition winning, superseded rows accounted for, and revisions listed.

The files are the real 2017/18 table shipped in the package (Home Office, 2019 vintage) and
copies of it. Where an "earlier edition" is needed it is the real table with one figure changed
by the test (named as such below): the real first-published figures are not shipped.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

import groomstats
from groomstats import DataFormatError, datasets
from groomstats.cli import main
from groomstats.io.editions import edition_from_name

RAW = pl.read_csv(datasets.path("prc"), infer_schema=False)
KENT_88A = (pl.col("Force Name") == "Kent") & (pl.col("Offence Code") == "88A")
#: Kent's 2017/18 88A total, counted from the raw cells (independently of the reader).
KENT_TRUE = sum(int(v) for v in RAW.filter(KENT_88A)["Number of Offences"].str.strip_chars())


def _write(df: pl.DataFrame, path: Path) -> Path:
    df.write_csv(path)
    return path


def _with_figure(force: str, quarter: str, value: str) -> pl.DataFrame:
    """The real table with one 88A cell changed: a constructed edition for revision tests."""
    hit = (
        (pl.col("Force Name") == force)
        & (pl.col("Offence Code") == "88A")
        & (pl.col("Financial Quarter") == quarter)
    )
    return RAW.with_columns(
        pl.when(hit)
        .then(pl.lit(value))
        .otherwise(pl.col("Number of Offences"))
        .alias("Number of Offences")
    )


def test_edition_dates_from_home_office_names() -> None:
    assert edition_from_name("prc-pfa-mar2013-onwards-tables-180719.ods") == date(2019, 7, 18)
    assert edition_from_name("x/prc-pfa-mar2013-onwards-tables-240725.csv.gz") == date(2025, 7, 24)
    assert edition_from_name("prc-pfa-mar2013-onwards-tables-2017-18.csv") is None
    assert edition_from_name("prc-pfa-mar2013-onwards-tables-310299.ods") is None  # no 31 Feb


def test_edition_column_from_name_or_argument(tmp_path: Path) -> None:
    p = _write(RAW.head(50), tmp_path / "prc-pfa-mar2013-onwards-tables-180719.csv")
    assert groomstats.read_prc(p)["edition"].unique().to_list() == [date(2019, 7, 18)]
    assert groomstats.read_prc(p, edition="2020-01-23")["edition"].unique().to_list() == [
        date(2020, 1, 23)
    ]
    assert groomstats.read_prc(datasets.path("prc"))["edition"].null_count() == 23_068


def test_same_file_twice_is_counted_once(tmp_path: Path) -> None:
    full = _write(RAW, tmp_path / "full.csv")
    df, rep = groomstats.read_prc([full, full], report=True)
    assert KENT_TRUE == 45
    kent = df.filter((pl.col("force") == "Kent") & (pl.col("offence_code") == "88A"))
    assert kent["offences"].sum() == KENT_TRUE
    assert df.height == RAW.height
    assert rep.rows_read == 2 * RAW.height
    assert rep.rows_kept == RAW.height
    (why,) = rep.excluded
    assert rep.excluded[why] == RAW.height and "counted once" in why
    # the same as reading it once, row for row
    assert df.equals(groomstats.read_prc(full))


def test_latest_edition_wins_and_superseded_rows_are_reported(tmp_path: Path) -> None:
    # a constructed earlier edition: Derbyshire's Q1 88A cell changed from the real 17 to 18
    real_q1 = RAW.filter(
        (pl.col("Force Name") == "Derbyshire")
        & (pl.col("Offence Code") == "88A")
        & (pl.col("Financial Quarter") == "1")
    )["Number of Offences"][0].strip()
    old = _write(
        _with_figure("Derbyshire", "1", str(int(real_q1) + 1)),
        tmp_path / "prc-pfa-mar2013-onwards-tables-180418.csv",
    )
    new = _write(RAW, tmp_path / "prc-pfa-mar2013-onwards-tables-180719.csv")
    for order in ([old, new], [new, old]):
        df, rep = groomstats.read_prc(order, report=True)
        derby = df.filter(
            (pl.col("force") == "Derbyshire")
            & (pl.col("offence_code") == "88A")
            & (pl.col("quarter") == 1)
        )
        assert derby["offences"].to_list() == [int(real_q1)]
        assert derby["edition"].to_list() == [date(2019, 7, 18)]
        assert df.height == RAW.height
        assert df["edition"].unique().to_list() == [date(2019, 7, 18)]
        assert rep.excluded == {
            "superseded by the edition of 18 July 2019 (the edition of 18 April 2018 replaced)": (
                RAW.height
            )
        }
        assert rep.rows_read == rep.rows_kept + sum(rep.excluded.values())
    rev = groomstats.revisions(old, new)
    assert rev.select("force", "quarter", "offence_code", "old", "new", "difference").rows() == [
        ("Derbyshire", 1, "88A", int(real_q1) + 1, int(real_q1), -1)
    ]
    assert rev["old_edition"][0] == date(2018, 4, 18)
    assert rev["new_edition"][0] == date(2019, 7, 18)


def test_revisions_lists_figures_that_became_unavailable() -> None:
    new = groomstats.read_prc(datasets.path("prc"))
    gone = new.with_columns(
        pl.when((pl.col("force") == "Kent") & (pl.col("offence_code") == "88A"))
        .then(None)
        .otherwise(pl.col("offences"))
        .alias("offences")
    )
    rev = groomstats.revisions(new, gone)
    assert rev.height == 4
    assert rev["new"].null_count() == 4 and rev["difference"].null_count() == 4
    assert rev["old"].sum() == KENT_TRUE
    assert groomstats.revisions(new, new).height == 0


def test_older_edition_fills_figures_the_newer_lacks(tmp_path: Path) -> None:
    """An older edition holding a year the newer one no longer has: its rows are kept."""
    q1 = _write(
        RAW.filter(pl.col("Financial Quarter") == "1"),
        tmp_path / "prc-pfa-mar2013-onwards-tables-180418.csv",
    )
    rest = _write(
        RAW.filter(pl.col("Financial Quarter") != "1"),
        tmp_path / "prc-pfa-mar2013-onwards-tables-180719.csv",
    )
    df, rep = groomstats.read_prc([q1, rest], report=True)
    assert df.height == RAW.height and rep.excluded == {}
    assert df.filter(pl.col("quarter") == 1)["edition"].unique().to_list() == [date(2018, 4, 18)]


def test_conflicting_undated_files_are_refused(tmp_path: Path) -> None:
    a = _write(RAW, tmp_path / "a.csv")
    b = _write(_with_figure("Kent", "2", "99"), tmp_path / "b.csv")
    with pytest.raises(DataFormatError, match=r"Kent offence 88A.*'a\.csv'.*'b\.csv'.*edition="):
        groomstats.read_prc([a, b])
    # saying which is newer settles it
    df = groomstats.read_prc([a, b], edition=["2018-04-18", "2019-07-18"])
    kent = df.filter((pl.col("force") == "Kent") & (pl.col("offence_code") == "88A"))
    assert kent.sort("quarter")["offences"][1] == 99


def test_report_with_the_same_file_twice_says_45_not_90(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    full = _write(RAW, tmp_path / "full.csv")
    out = tmp_path / "rep"
    assert (
        main(["report", "--data", str(full), str(full), "--force", "Kent", "--out", str(out)]) == 0
    )
    text = (out / "report.md").read_text(encoding="utf-8")
    assert f"Police in Kent recorded {KENT_TRUE} sexual grooming offences" in text
    assert "Police in Kent recorded 90" not in text
    assert "4,429 recorded by the 43 police forces" in text
    summary = capsys.readouterr().out
    assert f"rows read: {2 * RAW.height:,}" in summary
    assert f"not counted {RAW.height:,}: read twice" in summary
    assert "4,444 (4,429 by the 43 territorial forces" in summary


def test_stacked_reads_are_refused_not_summed() -> None:
    one = groomstats.read_prc(datasets.path("prc"))
    with pytest.raises(DataFormatError, match=r"appears 2 times.*read_prc\(\[file1, file2\]\)"):
        groomstats.grooming(pl.concat([one, one]))
