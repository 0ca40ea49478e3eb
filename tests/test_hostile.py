"""Hostile input against every public entry point in ``groomstats.__all__``.

One parametrised matrix: each case calls one public function with bad or awkward input (empty
frames, nulls, NaN/inf, negative and huge counts, unknown forces, duplicated periods, wrong
dtypes, pandas input, unsorted input, Unicode names, malformed CSV/ODS files) and states what
must happen: a typed groomstats error (a ``GroomstatsError`` subclass) whose message names the
offending column/value/file, or a documented result that is checked.

Whatever happens, a Rust panic must never reach Python: pyo3 turns one into
``pyo3_runtime.PanicException``, a ``BaseException``; the harness catches ``BaseException`` and
fails on it. ``test_matrix_covers_every_public_name`` makes sure a new public name cannot slip in
without cases here.
"""

from __future__ import annotations

import atexit
import gzip
import math
import shutil
import tempfile
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pytest

import groomstats
from groomstats import (
    DataFormatError,
    GroomstatsError,
    PeriodError,
    SeriesBreakWarning,
    UnknownAreaError,
)

I64_MAX = 2**63 - 1
BIG = 2**62  # near the i64 limit, with room for a sum of two
TMP = Path(tempfile.mkdtemp(prefix="groomstats-hostile-"))
atexit.register(shutil.rmtree, TMP, ignore_errors=True)

Expect = type[BaseException] | Callable[[Any], object]


@dataclass(frozen=True)
class Case:
    api: str  # a name in groomstats.__all__ ("datasets.prc" for a submodule's function)
    label: str
    call: Callable[[], object]
    expect: Expect  # a GroomstatsError subclass, or a checker of the result
    match: tuple[str, ...] = ()  # fragments the error message must hold (the location)
    xfail: str | None = None  # a known defect, reported to its owner: xfail(strict=True)

    @property
    def id(self) -> str:
        return f"{self.api}:{self.label}"


def is_panic(e: BaseException) -> bool:
    t = type(e)
    return t.__name__ == "PanicException" or t.__module__ == "pyo3_runtime"


def run_case(case: Case) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SeriesBreakWarning)
            out = case.call()
    except BaseException as e:  # a panic is a BaseException: catch it to fail on it
        if is_panic(e):
            pytest.fail(f"a Rust panic reached Python: {type(e).__name__}: {e}")
        if isinstance(e, (KeyboardInterrupt, SystemExit)):
            raise
        if not isinstance(case.expect, type):
            pytest.fail(f"expected a result, got {type(e).__module__}.{type(e).__name__}: {e}")
        if not isinstance(e, case.expect):
            pytest.fail(
                f"expected {case.expect.__name__}, got {type(e).__module__}.{type(e).__name__}: {e}"
            )
        for frag in case.match:
            assert frag in str(e), f"message does not name {frag!r}: {e}"
        return
    if isinstance(case.expect, type):
        pytest.fail(f"expected {case.expect.__name__}, got a result: {str(out)[:300]}")
    case.expect(out)


# ---------------------------------------------------------------------------------------------
# building blocks
# ---------------------------------------------------------------------------------------------


def write(name: str, text: str | bytes) -> Path:
    p = TMP / name
    if isinstance(text, str):
        p.write_text(text, encoding="utf-8")
    else:
        p.write_bytes(text)
    return p


def height(n: int) -> Callable[[Any], None]:
    def check(out: Any) -> None:
        frame = out[0] if isinstance(out, tuple) else out
        assert isinstance(frame, pl.DataFrame), type(frame)
        assert frame.height == n, frame

    return check


def all_null(col: str) -> Callable[[Any], None]:
    def check(out: Any) -> None:
        assert isinstance(out, pl.DataFrame)
        assert out.height > 0 and out.get_column(col).null_count() == out.height, out

    return check


def both(*checks: Callable[[Any], object]) -> Callable[[Any], None]:
    def check(out: Any) -> None:
        for c in checks:
            c(out)

    return check


def finite_or_null(*cols: str) -> Callable[[Any], None]:
    def check(out: Any) -> None:
        for c in cols:
            s = out.get_column(c).drop_nulls()
            assert s.is_finite().all(), (c, s)

    return check


def close_figure(fig: Any) -> None:
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    assert isinstance(fig, Figure), type(fig)
    plt.close(fig)


PRC_HEADER = (
    "Financial Year,Financial Quarter,Force Name,Offence Description,Offence Group,"
    "Offence Subgroup,Offence Code,Number of Offences\n"
)
PRC_ROW = "2017/18,1,Kent,Sexual grooming,Sexual offences,Other sexual offences,88A,{n}\n"


def prc_csv(name: str, body: str, header: str = PRC_HEADER) -> Path:
    return write(name, header + body)


def counts_frame(offences: list[Any], **extra: list[Any]) -> pl.DataFrame:
    n = len(offences)
    data: dict[str, Any] = {
        "force": ["Kent", "Essex", "Surrey", "Devon and Cornwall", "Dorset"][:n],
        "offences": offences,
        "children": [300_000, 320_000, 250_000, 330_000, 150_000][:n],
    }
    data.update(extra)
    schema = {"offences": pl.Int64, "children": pl.Int64} if n == 0 else None
    return pl.DataFrame(data, strict=False, schema_overrides=schema)


def series(values: list[Any], years: list[int] | None = None) -> pl.DataFrame:
    years = years if years is not None else list(range(2017, 2017 + len(values)))
    schema = {"year": pl.Int64, "offences": pl.Int64} if not values else None
    return pl.DataFrame({"year": years, "offences": values}, strict=False, schema_overrides=schema)


def breakdown(offences: list[Any], values: list[str] | None = None) -> pl.DataFrame:
    values = values or ["Snapchat", "Instagram", "Unknown"][: len(offences)]
    n = len(offences)
    return pl.DataFrame(
        {
            "force": ["Kent"] * n,
            "force_code": ["E23000032"] * n,
            "period": ["2023/24"] * n,
            "period_start": [date(2023, 4, 1)] * n,
            "period_end": [date(2024, 3, 31)] * n,
            "category": ["platform"] * n,
            "value": values,
            "offences": offences,
            "suppressed": [o is None for o in offences],
        },
        schema_overrides={"offences": pl.Int64},
    )


def records(n: int = 6) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "force": (["Kent", "Essex"] * n)[:n],
            "date": [date(2017, 4 + i % 9, 1 + i) for i in range(n)],
        }
    )


# ---------------------------------------------------------------------------------------------
# the matrix
# ---------------------------------------------------------------------------------------------


def cases() -> list[Case]:
    c: list[Case] = []
    add = c.append
    G, DF, UA, PE = GroomstatsError, DataFormatError, UnknownAreaError, PeriodError

    # --- constants, classes and exceptions: documented values -------------------------------
    add(
        Case(
            "SERIES_BREAK",
            "is 1 April 2017",
            lambda: groomstats.SERIES_BREAK,
            lambda v: v == date(2017, 4, 1) or pytest.fail(str(v)),
        )
    )
    add(
        Case(
            "__version__",
            "is a version string",
            lambda: groomstats.__version__,
            lambda v: v.count(".") >= 2 or pytest.fail(v),
        )
    )
    for exc in ("DataFormatError", "FitError", "PeriodError", "UnknownAreaError"):
        add(
            Case(
                exc,
                "is a GroomstatsError and ValueError",
                lambda e=exc: getattr(groomstats, e),
                lambda t: (
                    (issubclass(t, GroomstatsError) and issubclass(t, ValueError))
                    or pytest.fail(str(t))
                ),
            )
        )
    add(
        Case(
            "GroomstatsError",
            "is a ValueError",
            lambda: groomstats.GroomstatsError,
            lambda t: issubclass(t, ValueError) or pytest.fail(str(t)),
        )
    )
    add(
        Case(
            "SeriesBreakWarning",
            "is a UserWarning",
            lambda: groomstats.SeriesBreakWarning,
            lambda t: issubclass(t, UserWarning) or pytest.fail(str(t)),
        )
    )
    add(
        Case(
            "RowReport",
            "unbalanced counts",
            lambda: groomstats.RowReport("x.csv", 10, 5, {"blank": 1}),
            G,
            ("x.csv",),
        )
    )
    add(
        Case(
            "RowReport",
            "balanced, Unicode source",
            lambda: str(groomstats.RowReport("données–ü.csv", 3, 2, {"blank row": 1})),
            lambda s: "données–ü.csv" in s or pytest.fail(s),
        )
    )

    # --- periods -----------------------------------------------------------------------------
    P = groomstats.Period
    for text in [
        "",
        "   ",
        "2017/19",
        "Q5 2017/18",
        "31 February 2017",
        "2017-04-01..2016-04-01",
        "\x00",
        "🙂",
        "9" * 400,
        "q99999999999999999999 2017/18",
        "twelve months to 1899-12-31",
    ]:
        add(Case("Period", f"parse {text[:20]!r}", lambda t=text: P.parse(t), PE))
    add(
        Case(
            "Period",
            "999 months is a window",
            lambda: P.parse("999 months to 2017-04-01").label,
            lambda lab: lab == "1934-01-02..2017-04-01" or pytest.fail(lab),
        )
    )
    add(Case("Period", "parse a non-string", lambda: P.parse(2017), PE, ("2017",)))  # type: ignore[arg-type]
    add(
        Case(
            "Period",
            "from_bounds end before start",
            lambda: P.from_bounds(date(2018, 1, 1), date(2017, 1, 1)),
            PE,
            ("2017-01-01",),
        )
    )
    add(
        Case(
            "Period",
            "from_bounds extreme dates",
            lambda: P.from_bounds(date(1, 1, 1), date(9999, 12, 31)),
            lambda p: p.days == (date(9999, 12, 31) - date(1, 1, 1)).days + 1 or pytest.fail(p),
        )
    )
    add(
        Case(
            "Period", "shift_years huge", lambda: P.parse("2017/18").shift_years(2_000_000_000), PE
        )
    )
    add(
        Case(
            "Period",
            "granules unknown granularity",
            lambda: P.parse("2017/18").granules("week"),
            G,
            ("week",),
        )
    )  # type: ignore[arg-type]
    add(
        Case(
            "Period",
            "granules cutting a quarter",
            lambda: P.parse("2017-04-01..2017-05-31").granules("quarter"),
            PE,
            ("2017/18 Q1",),
        )
    )
    add(
        Case(
            "Period",
            "Unicode dash parses",
            lambda: P.parse("2017–18").label,
            lambda lab: lab == "2017/18" or pytest.fail(lab),
        )
    )
    add(Case("parse_period", "a list", lambda: groomstats.parse_period([2017, 2018]), PE))  # type: ignore[arg-type]
    add(
        Case(
            "parse_period",
            "a tuple of strings",
            lambda: groomstats.parse_period(("2017", "2018")),
            PE,
        )
    )  # type: ignore[arg-type]
    add(Case("parse_period", "None", lambda: groomstats.parse_period(None), PE))  # type: ignore[arg-type]
    add(
        Case(
            "parse_period",
            "reversed dates",
            lambda: groomstats.parse_period((date(2018, 1, 1), date(2017, 1, 1))),
            PE,
        )
    )

    # --- forces --------------------------------------------------------------------------------
    add(
        Case(
            "match_force",
            "unknown with suggestion",
            lambda: groomstats.match_force("Thames Vally"),
            UA,
            ("Thames Vally", "Thames Valley"),
        )
    )
    add(Case("match_force", "empty string", lambda: groomstats.match_force(""), UA))
    add(Case("match_force", "None", lambda: groomstats.match_force(None), UA))  # type: ignore[arg-type]
    # punctuation, control characters and symbols are ignored, as documented
    add(
        Case(
            "match_force",
            "NUL and emoji",
            lambda: groomstats.match_force("Kent\x00🙂"),
            lambda s: s == "Kent" or pytest.fail(s),
        )
    )
    add(
        Case(
            "Period", "shift_years past year 9999", lambda: P.parse("2017/18").shift_years(7983), PE
        )
    )
    add(Case("match_force", "huge string", lambda: groomstats.match_force("a" * 100_000), UA))
    add(
        Case(
            "match_force",
            "shouting with &",
            lambda: groomstats.match_force("DEVON & CORNWALL POLICE"),
            lambda s: s == "Devon and Cornwall" or pytest.fail(s),
        )
    )
    add(
        Case(
            "match_forces",
            "unknown in a list",
            lambda: groomstats.match_forces(["Kent", "Atlantis"]),
            UA,
            ("Atlantis",),
        )
    )
    add(
        Case(
            "match_forces",
            "None in a list",
            lambda: groomstats.match_forces(["Kent", None]),
            DF,
            ("row 2",),
        )
    )  # type: ignore[list-item]
    add(Case("match_forces", "empty list", lambda: groomstats.match_forces([]), height(0)))
    add(
        Case(
            "match_forces",
            "polars Series with Unicode",
            lambda: groomstats.match_forces(pl.Series(["Dyfed–Powys", "Kent"]))["force"].to_list(),
            lambda v: v == ["Dyfed-Powys", "Kent"] or pytest.fail(str(v)),
        )
    )
    add(Case("match_forces", "integers", lambda: groomstats.match_forces([1, 2]), UA, ("1",)))  # type: ignore[list-item]
    add(
        Case(
            "forces",
            "43 territorial forces",
            lambda: groomstats.forces(),
            lambda f: f.filter(pl.col("territorial")).height == 43 or pytest.fail(str(f)),
        )
    )

    # --- readers: malformed files ----------------------------------------------------------------
    rp = groomstats.read_prc
    add(
        Case(
            "read_prc",
            "missing file",
            lambda: rp(TMP / "nope.csv"),
            FileNotFoundError,
            ("nope.csv",),
        )
    )
    add(Case("read_prc", "empty file", lambda: rp(write("empty.csv", "")), DF, ("empty.csv",)))
    add(
        Case(
            "read_prc",
            "header only",
            lambda: rp(prc_csv("header.csv", "")),
            DF,
            ("header.csv", "no data rows"),
        )
    )
    add(
        Case(
            "read_prc",
            "binary garbage",
            lambda: rp(write("garbage.csv", bytes(range(256)) * 4)),
            DF,
            ("garbage.csv",),
        )
    )
    add(
        Case(
            "read_prc",
            "missing count column",
            lambda: rp(write("nocount.csv", "Financial Year,Force Name\n2017/18,Kent\n")),
            DF,
            ("nocount.csv",),
        )
    )
    add(
        Case(
            "read_prc",
            "text count",
            lambda: rp(prc_csv("textcount.csv", PRC_ROW.format(n="lots"))),
            DF,
            ("textcount.csv", "lots"),
        )
    )
    add(
        Case(
            "read_prc",
            "float count",
            lambda: rp(prc_csv("floatcount.csv", PRC_ROW.format(n="1.5"))),
            DF,
            ("floatcount.csv", "1.5"),
        )
    )
    add(
        Case(
            "read_prc",
            "count beyond i64",
            lambda: rp(prc_csv("i64.csv", PRC_ROW.format(n="9" * 25))),
            DF,
            ("i64.csv",),
        )
    )
    add(
        Case(
            "read_prc",
            "count near i64 max",
            lambda: rp(prc_csv("big.csv", PRC_ROW.format(n=I64_MAX))),
            lambda f: f["offences"].to_list() == [I64_MAX] or pytest.fail(str(f)),
        )
    )
    add(
        Case(
            "read_prc",
            "negative adjustment kept",
            lambda: rp(prc_csv("neg.csv", PRC_ROW.format(n="-3"))),
            lambda f: f["offences"].to_list() == [-3] or pytest.fail(str(f)),
        )
    )
    add(
        Case(
            "read_prc",
            "unknown force",
            lambda: rp(prc_csv("atlantis.csv", PRC_ROW.format(n=1).replace("Kent", "Atlantis"))),
            UA,
            ("Atlantis",),
        )
    )
    add(
        Case(
            "read_prc",
            "bad quarter",
            lambda: rp(prc_csv("q9.csv", PRC_ROW.format(n=1).replace(",1,Kent", ",9,Kent"))),
            DF,
            ("q9.csv",),
        )
    )
    add(
        Case(
            "read_prc",
            "bad financial year",
            lambda: rp(prc_csv("fy.csv", PRC_ROW.format(n=1).replace("2017/18", "2017/19"))),
            G,
            ("2017/19",),
        )
    )
    add(
        Case(
            "read_prc",
            "ragged row",
            lambda: rp(prc_csv("ragged.csv", "2017/18,1,Kent\n")),
            DF,
            ("ragged.csv",),
        )
    )
    add(
        Case(
            "read_prc",
            "Unicode force name",
            lambda: rp(prc_csv("uni.csv", PRC_ROW.format(n=1).replace("Kent", "Ként"))),
            UA,
            ("Ként",),
        )
    )
    add(
        Case(
            "read_prc",
            "corrupt gzip",
            lambda: rp(write("bad.csv.gz", b"\x1f\x8b" + b"x" * 50)),
            DF,
            ("bad.csv.gz",),
        )
    )
    add(
        Case(
            "read_prc",
            "gzip of a good file",
            lambda: rp(
                write("good.csv.gz", gzip.compress((PRC_HEADER + PRC_ROW.format(n=4)).encode()))
            ),
            height(1),
        )
    )
    add(
        Case(
            "read_prc",
            "malformed ODS",
            lambda: rp(write("bad.ods", b"PK\x03\x04 not a zip")),
            DF,
            ("bad.ods",),
        )
    )
    add(
        Case(
            "read_prc",
            "malformed XLSX",
            lambda: rp(write("bad.xlsx", b"not a workbook")),
            DF,
            ("bad.xlsx",),
        )
    )
    add(
        Case(
            "read_prc",
            "unsupported extension",
            lambda: rp(write("x.parquet", b"PAR1")),
            DF,
            ("x.parquet",),
        )
    )
    add(Case("read_prc", "a DataFrame", lambda: rp(pl.DataFrame({"a": [1]})), DF))
    add(Case("read_prc", "None", lambda: rp(None), DF))

    def prc_xlsx(name: str, row: list[Any], sheet: str = "2017-18") -> Path:
        import xlsxwriter

        path = TMP / name
        wb = xlsxwriter.Workbook(str(path))
        ws = wb.add_worksheet(sheet)
        ws.write_row(0, 0, PRC_HEADER.strip().split(","))
        ws.write_row(1, 0, row)
        wb.close()
        return path

    row = ["2017/18", 1, "Kent", "Sexual grooming", "Sexual offences", "Other", "88A"]
    add(
        Case(
            "read_prc",
            "XLSX count 1e300",
            lambda: rp(prc_xlsx("e300.xlsx", [*row, 1e300])),
            DF,
            ("e300.xlsx", "2017-18", "row 2"),
        )
    )
    add(
        Case(
            "read_prc",
            "XLSX quarter 1.5",
            lambda: rp(prc_xlsx("q15.xlsx", ["2017/18", 1.5, *row[2:], 3])),
            DF,
            ("q15.xlsx", "1.5"),
        )
    )
    add(
        Case(
            "read_prc",
            "XLSX with no financial-year sheet",
            lambda: rp(prc_xlsx("cover.xlsx", [*row, 3], sheet="Cover sheet")),
            DF,
            ("cover.xlsx",),
        )
    )
    add(
        Case(
            "read_prc",
            "XLSX sheets= unknown",
            lambda: rp(prc_xlsx("ok.xlsx", [*row, 3]), sheets="2030-31"),
            DF,
            ("2030-31",),
        )
    )
    rpop = groomstats.read_population
    add(
        Case(
            "read_population",
            "missing files",
            lambda: rpop(TMP / "no.xlsx", TMP / "no.csv"),
            FileNotFoundError,
            ("no.",),
        )
    )
    add(
        Case(
            "read_population",
            "garbage workbook",
            lambda: rpop(write("pop.xlsx", b"garbage"), write("lk.csv", "LAD23CD,PFA23CD\n")),
            DF,
            ("pop.xlsx",),
        )
    )
    add(
        Case(
            "read_population",
            "garbage lookup",
            lambda: rpop(write("pop2.xlsx", b"garbage"), write("lk2.csv", "\x00\x01\x02")),
            DF,
        )
    )
    rb = groomstats.read_breakdown
    add(Case("read_breakdown", "empty file", lambda: rb(write("b0.csv", "")), DF, ("b0.csv",)))
    add(
        Case(
            "read_breakdown",
            "unknown force",
            lambda: rb(write("b1.csv", "Force,Period,Platform,Offences\nAtlantis,2023/24,Kik,3\n")),
            UA,
            ("Atlantis",),
        )
    )
    add(
        Case(
            "read_breakdown",
            "bad period",
            lambda: rb(write("b2.csv", "Force,Period,Platform,Offences\nKent,2023/25,Kik,3\n")),
            PE,
            ("2023/25",),
        )
    )
    add(
        Case(
            "read_breakdown",
            "text count",
            lambda: rb(write("b3.csv", "Force,Period,Platform,Offences\nKent,2023/24,Kik,many\n")),
            DF,
            ("many",),
        )
    )
    add(
        Case(
            "read_breakdown",
            "suppressed and dash",
            lambda: rb(
                write(
                    "b4.csv",
                    "Force,Period,Platform,Offences\nKent,2023/24,Kik,*\nKent,2023/24,Snapchat,-\n",
                )
            ),
            lambda f: f.sort("value")["offences"].to_list() == [None, 0] or pytest.fail(str(f)),
        )
    )
    add(
        Case(
            "read_breakdown",
            "duplicated rows refused",
            lambda: rb(
                write(
                    "b5.csv",
                    "Force,Period,Platform,Offences\nKent,2023/24,Kik,1\nKent,2023/24,Kik,1\n",
                )
            ),
            DF,
            ("b5.csv", "row 3"),
        )
    )
    add(
        Case(
            "read_breakdown",
            "malformed ODS",
            lambda: rb(write("b.ods", b"PK\x03\x04")),
            DF,
            ("b.ods",),
        )
    )

    # --- grooming ----------------------------------------------------------------------------
    gr = groomstats.grooming
    add(
        Case(
            "grooming",
            "empty frame",
            lambda: gr(pl.DataFrame({"offence_code": []}, schema={"offence_code": pl.String})),
            height(0),
        )
    )
    add(
        Case(
            "grooming",
            "missing column",
            lambda: gr(pl.DataFrame({"code": ["88A"]})),
            DF,
            ("offence_code",),
        )
    )
    add(
        Case(
            "grooming",
            "integer codes",
            lambda: gr(pl.DataFrame({"offence_code": [88, 1]})),
            DF,
            ("offence_code",),
        )
    )
    add(
        Case(
            "grooming",
            "pandas, padded codes",
            lambda: gr(pd.DataFrame({"offence_code": [" 88A ", "88B", None]})),
            height(1),
        )
    )
    add(Case("grooming", "not a frame", lambda: gr([1, 2, 3]), DF))

    # --- count_records -----------------------------------------------------------------------
    cr = groomstats.count_records
    add(
        Case(
            "count_records",
            "empty frame",
            lambda: cr(records(0), by="force", date="date"),
            height(0),
        )
    )
    add(Case("count_records", "missing column", lambda: cr(records(), by="forse"), DF, ("forse",)))
    add(
        Case(
            "count_records",
            "string dates",
            lambda: cr(records().with_columns(pl.col("date").cast(pl.String)), date="date"),
            DF,
            ("date",),
        )
    )
    add(
        Case(
            "count_records",
            "unknown granularity",
            lambda: cr(records(), date="date", granularity="week"),
            G,
            ("week",),
        )
    )  # type: ignore[arg-type]
    add(
        Case(
            "count_records",
            "null keys and dates kept",
            lambda: cr(
                pl.DataFrame(
                    {
                        "force": ["Kent", None, "Kent"],
                        "date": [date(2017, 4, 1), date(2017, 4, 2), None],
                    }
                ),
                by="force",
                date="date",
            ),
            lambda f: f["offences"].sum() == 3 or pytest.fail(str(f)),
        )
    )
    add(
        Case(
            "count_records",
            "pandas, unsorted, Unicode",
            lambda: cr(pd.DataFrame({"force": ["Ynys Môn", "Kent", "Ynys Môn"]}), by="force"),
            lambda f: f["offences"].to_list() == [1, 2] or pytest.fail(str(f)),
        )
    )
    add(Case("count_records", "not a frame", lambda: cr("records.csv"), DF))

    # --- totals, change ------------------------------------------------------------------------
    def quarters(values: list[Any], force: str = "Kent", start: int = 2017) -> pl.DataFrame:
        starts = [
            date(start + (3 + 3 * i) // 12, (3 + 3 * i) % 12 + 1, 1) for i in range(len(values))
        ]
        ends = [(pl.Series([s]).dt.offset_by("3mo").dt.offset_by("-1d"))[0] for s in starts]
        return pl.DataFrame(
            {
                "force": [force] * len(values),
                "period_start": starts,
                "period_end": ends,
                "offences": values,
            },
            schema_overrides={"offences": pl.Int64, "period_start": pl.Date, "period_end": pl.Date},
            strict=False,
        )

    eight = quarters([10, 12, 15, 9, 11, 13, 16, 10])
    to = groomstats.totals
    add(
        Case(
            "totals",
            "empty frame",
            lambda: to(quarters([]), window="2017/18"),
            lambda f: (
                f.height == 0 or f["offences"].null_count() == f.height or pytest.fail(str(f))
            ),
        )
    )
    add(Case("totals", "missing column", lambda: to(eight.drop("period_end")), DF, ("period_end",)))
    add(Case("totals", "bad window", lambda: to(eight, window="2017/19"), PE, ("2017/19",)))
    add(
        Case(
            "totals",
            "window cutting a quarter",
            lambda: to(eight, window="2017-04-01..2017-05-15"),
            PE,
        )
    )
    add(Case("totals", "unknown granularity", lambda: to(eight, granularity="week"), G, ("week",)))
    add(
        Case(
            "totals",
            "nulls counted, not dropped",
            lambda: to(quarters([1, None, 3, 4]), window="2017/18"),
            lambda f: (f["null_rows"][0] == 1 and f["complete"][0] is False) or pytest.fail(str(f)),
        )
    )
    add(
        Case(
            "totals",
            "huge counts",
            lambda: to(quarters([BIG, 1, 1, 1]), window="2017/18"),
            lambda f: f["offences"][0] == BIG + 3 or pytest.fail(str(f)),
        )
    )
    add(
        Case(
            "totals",
            "same quarter twice is summed and counted in rows (several offence codes)",
            lambda: to(pl.concat([quarters([1, 2, 3, 4]), quarters([5])]), window="2017/18"),
            lambda f: (f["offences"][0], f["rows"][0]) == (15, 5) or pytest.fail(str(f)),
        )
    )
    add(
        Case(
            "totals",
            "overlapping periods (a quarter inside a year)",
            lambda: to(
                pl.concat(
                    [
                        quarters([1, 2, 3, 4]),
                        quarters([10]).with_columns(period_end=pl.lit(date(2018, 3, 31))),
                    ]
                ),
                window="2017/18",
            ),
            DF,
            ("overlap",),
        )
    )
    add(
        Case(
            "totals",
            "text counts",
            lambda: to(quarters([1, 2]).with_columns(pl.col("offences").cast(pl.String))),
            DF,
            ("offences",),
        )
    )
    add(
        Case(
            "totals",
            "unsorted and pandas = sorted",
            lambda: (
                to(eight.reverse().to_pandas(), window="2017/18")["offences"][0],
                to(eight, window="2017/18")["offences"][0],
            ),
            lambda ab: ab == (46, 46) or pytest.fail(str(ab)),
        )
    )
    add(
        Case(
            "totals",
            "Unicode group",
            lambda: to(quarters([1, 2, 3, 4], force="Ynys Môn")),
            lambda f: f["force"].to_list() == ["Ynys Môn"] or pytest.fail(str(f)),
        )
    )
    ch = groomstats.change
    cat = eight.with_columns(pl.col("force").cast(pl.Categorical))
    add(
        Case(
            "change",
            "categorical force column",
            lambda: ch(cat, "2018/19")["current"].to_list(),
            lambda v: v == [50] or pytest.fail(str(v)),
        )
    )
    add(
        Case(
            "totals",
            "categorical force, national roll-up",
            lambda: to(cat, by="national", window="2017/18")["offences"].to_list(),
            lambda v: v == [46] or pytest.fail(str(v)),
        )
    )
    add(
        Case(
            "change",
            "missing column",
            lambda: ch(eight.drop("offences"), "2018/19"),
            DF,
            ("offences",),
        )
    )
    add(Case("change", "bad window", lambda: ch(eight, "2018/20"), PE, ("2018/20",)))
    add(
        Case(
            "change", "bad alternative", lambda: ch(eight, "2018/19", alternative="up"), G, ("up",)
        )
    )
    add(
        Case(
            "change",
            "across the series break",
            lambda: ch(quarters([1, 2, 3, 4, 5, 6, 7, 8], start=2016), "2017/18"),
            PE,
        )
    )
    add(
        Case(
            "change",
            "zero baseline",
            lambda: ch(quarters([0, 0, 0, 0, 1, 2, 3, 4]), "2018/19"),
            lambda f: f.height == 1 or pytest.fail(str(f)),
        )
    )
    add(
        Case(
            "change",
            "negative counts",
            lambda: ch(quarters([5, 5, 5, 5, -1, 5, 5, 5]), "2018/19"),
            lambda f: f.height == 1 or pytest.fail(str(f)),
        )
    )

    # --- joinpoint, interrupted ----------------------------------------------------------------
    jp, it = groomstats.joinpoint, groomstats.interrupted
    for api, fn in (("joinpoint", jp), ("interrupted", lambda d, **k: it(d, "2020/21", **k))):
        add(
            Case(
                api, "missing column", lambda f=fn: f(series([1, 2, 3]), time="yeer"), DF, ("yeer",)
            )
        )
        add(
            Case(
                api,
                "text counts",
                lambda f=fn: f(series(["1", "2", "3"]), time="year"),
                DF,
                ("offences",),
            )
        )
        add(
            Case(
                api,
                "duplicated periods",
                lambda f=fn: f(series([1, 2, 3, 4], [2018, 2018, 2019, 2020]), time="year"),
                DF,
                ("2018",),
            )
        )
        add(
            Case(
                api,
                "bad financial years",
                lambda f=fn: f(
                    pl.DataFrame({"financial_year": ["2017/19", "2018/19"], "offences": [1, 2]})
                ),
                PE,
                ("2017/19",),
            )
        )
    add(
        Case(
            "joinpoint",
            "bad selection",
            lambda: jp(series([1, 2, 3]), time="year", selection="aic"),
            G,
            ("aic",),
        )
    )  # type: ignore[arg-type]
    add(
        Case(
            "joinpoint",
            "negative max_joins",
            lambda: jp(series([1, 2, 3, 4, 5]), time="year", max_joins=-1),
            G,
            ("max_joins",),
        )
    )
    add(
        Case(
            "interrupted",
            "unparseable date",
            lambda: it(series([1, 2, 3]), "soon", time="year"),
            PE,
            ("soon",),
        )
    )

    # --- profile, Profile --------------------------------------------------------------------
    pf = groomstats.profile
    add(Case("profile", "unknown force", lambda: pf(force="Atlantis"), UA, ("Atlantis",)))
    add(Case("profile", "empty force", lambda: pf(force=""), UA))
    add(
        Case(
            "profile",
            "frame without 88A",
            lambda: pf(
                groomstats.datasets.prc().filter(pl.col("offence_code") != "88A"), force="Kent"
            ),
            G,
        )
    )
    add(Case("profile", "not a frame", lambda: pf("prc.csv", force="Kent"), DF))
    add(
        Case(
            "Profile",
            "a Profile from profile()",
            lambda: pf(force="KENT POLICE"),
            lambda p: (
                (isinstance(p, groomstats.Profile) and p.force == "Kent") or pytest.fail(str(p))
            ),
        )
    )

    # --- poisson_ci --------------------------------------------------------------------------
    pci = groomstats.poisson_ci
    add(Case("poisson_ci", "empty", lambda: pci([]), height(0)))
    add(
        Case(
            "poisson_ci",
            "NaN, inf, negative -> null limits",
            lambda: pci([math.nan, math.inf, -1.0]),
            all_null("lower"),
        )
    )
    add(
        Case(
            "poisson_ci",
            "huge count finite",
            lambda: pci([float(BIG)]),
            finite_or_null("lower", "upper"),
        )
    )
    add(Case("poisson_ci", "confidence 1", lambda: pci([3], confidence=1.0), G, ("confidence",)))
    add(
        Case(
            "poisson_ci",
            "confidence NaN",
            lambda: pci([3], confidence=math.nan),
            G,
            ("confidence",),
        )
    )
    add(Case("poisson_ci", "confidence 95 (percent)", lambda: pci([3], confidence=95), G, ("95",)))
    add(Case("poisson_ci", "strings", lambda: pci(["a", "b"]), G))  # type: ignore[list-item]
    add(Case("poisson_ci", "2-D array", lambda: pci(np.ones((2, 2))), G))

    # --- rate_ratio_test ---------------------------------------------------------------------
    rr = groomstats.rate_ratio_test
    add(Case("rate_ratio_test", "text counts", lambda: rr(["a"], [1]), G, ("numbers",)))
    add(Case("rate_ratio_test", "empty", lambda: rr([], []), height(0)))
    add(Case("rate_ratio_test", "length mismatch", lambda: rr([1, 2], [1]), G))
    add(
        Case(
            "rate_ratio_test",
            "NaN, negative, fractional -> null",
            lambda: rr([math.nan, -1, 2.5], [3, 3, 3]),
            all_null("pvalue"),
        )
    )
    add(Case("rate_ratio_test", "huge counts", lambda: rr([BIG], [BIG]), height(1)))
    add(
        Case(
            "rate_ratio_test", "zero exposure", lambda: rr([1], [1], t1=0.0), all_null("statistic")
        )
    )
    add(
        Case(
            "rate_ratio_test",
            "bad alternative",
            lambda: rr([1], [1], alternative="bigger"),  # type: ignore[arg-type]
            G,
            ("bigger",),
        )
    )
    add(
        Case(
            "rate_ratio_test",
            "confidence 0",
            lambda: rr([1], [1], confidence=0.0),
            G,
            ("confidence",),
        )
    )

    # --- rates -------------------------------------------------------------------------------
    rt = groomstats.rates
    add(
        Case(
            "rates", "empty frame", lambda: rt(counts_frame([]), denominator="children"), height(0)
        )
    )
    add(
        Case(
            "rates",
            "missing count column",
            lambda: rt(counts_frame([1]).rename({"offences": "n"}), denominator="children"),
            DF,
            ("offences",),
        )
    )
    add(
        Case(
            "rates",
            "text counts",
            lambda: rt(counts_frame(["1", "2"]), denominator="children"),
            DF,
            ("offences",),
        )
    )
    add(
        Case(
            "rates",
            "nulls, negatives kept with reason",
            lambda: rt(counts_frame([None, -5, 3]), denominator="children"),
            lambda f: f["reason"].to_list()[:2] != [None, None] or pytest.fail(str(f)),
        )
    )
    add(
        Case(
            "rates",
            "NaN and inf counts",
            lambda: rt(counts_frame([math.nan, math.inf, 2.0]), denominator="children"),
            finite_or_null("value", "lower_95", "upper_95"),
        )
    )
    add(
        Case(
            "rates",
            "zero and negative denominators",
            lambda: rt(counts_frame([1, 1], children=[0, -10]), denominator="children"),
            all_null("value"),
        )
    )
    add(
        Case(
            "rates",
            "huge counts",
            lambda: rt(counts_frame([BIG, I64_MAX]), denominator="children"),
            finite_or_null("value", "lower_95", "upper_95"),
        )
    )
    add(
        Case(
            "rates",
            "unknown force joined",
            lambda: rt(counts_frame([1]).with_columns(force=pl.lit("Atlantis"))),
            UA,
            ("Atlantis",),
        )
    )
    add(
        Case(
            "rates",
            "pandas input",
            lambda: rt(counts_frame([1, 2]).to_pandas(), denominator="children"),
            height(2),
        )
    )
    add(
        Case(
            "rates",
            "per 0",
            lambda: rt(counts_frame([1]), denominator="children", per=0),
            G,
            ("per",),
        )
    )
    add(
        Case(
            "rates",
            "confidence 2",
            lambda: rt(counts_frame([1]), denominator="children", confidence=2),
            G,
            ("confidence",),
        )
    )
    add(
        Case(
            "rates",
            "population and denominator",
            lambda: rt(counts_frame([1]), groomstats.datasets.population(), denominator="children"),
            G,
        )
    )
    add(Case("rates", "not a frame", lambda: rt({"offences": [1]}, denominator="children"), DF))

    # --- rank_areas --------------------------------------------------------------------------
    ra = groomstats.rank_areas
    add(
        Case(
            "rank_areas",
            "empty",
            lambda: ra(pl.DataFrame({"value": []}, schema={"value": pl.Float64})),
            height(0),
        )
    )
    add(
        Case(
            "rank_areas",
            "missing column",
            lambda: ra(pl.DataFrame({"valu": [1.0]})),
            DF,
            ("value",),
        )
    )
    add(
        Case(
            "rank_areas",
            "text values",
            lambda: ra(pl.DataFrame({"value": ["a", "b"]})),
            DF,
            ("value",),
        )
    )
    add(
        Case(
            "rank_areas",
            "NaN, inf, null, ties",
            lambda: ra(pl.DataFrame({"value": [math.nan, math.inf, None, 2.0, 2.0]})),
            lambda f: (
                f.filter(pl.col("value") == 2.0)["rank"].n_unique() == 1 or pytest.fail(str(f))
            ),
        )
    )
    add(
        Case(
            "rank_areas",
            "unknown by column",
            lambda: ra(pl.DataFrame({"value": [1.0]}), by="region"),
            DF,
            ("region",),
        )
    )

    # --- shares ------------------------------------------------------------------------------
    sh = groomstats.shares
    add(Case("shares", "missing columns", lambda: sh(pl.DataFrame({"a": [1]})), DF))
    add(Case("shares", "empty breakdown", lambda: sh(breakdown([])), G, ("platform",)))
    add(
        Case(
            "shares",
            "all suppressed",
            lambda: sh(breakdown([None, None])),
            lambda f: isinstance(f, pl.DataFrame) or pytest.fail(),
        )
    )
    add(Case("shares", "negative count", lambda: sh(breakdown([-4, 10, 1])), DF, ("-4",)))
    add(
        Case("shares", "huge counts", lambda: sh(breakdown([BIG, BIG, 1])), finite_or_null("value"))
    )
    add(
        Case(
            "shares",
            "unknown option",
            lambda: sh(breakdown([1, 2, 3]), confidence=1.5),
            G,
            ("confidence",),
        )
    )
    add(
        Case(
            "shares",
            "pandas input",
            lambda: sh(breakdown([5, 3, 1]).to_pandas()),
            lambda f: f.height >= 2 or pytest.fail(str(f)),
        )
    )
    add(
        Case(
            "shares",
            "multi-response without denominator",
            lambda: sh(breakdown([5, 3, 1]), multi_response=True),
            G,
            ("denominator",),
        )
    )

    # --- trend -------------------------------------------------------------------------------
    tr = groomstats.trend
    add(
        Case(
            "trend",
            "empty frame",
            lambda: tr(series([]), time="year"),
            lambda f: f.height <= 1 or pytest.fail(str(f)),
        )
    )
    add(Case("trend", "missing column", lambda: tr(series([1, 2, 3]), time="yeer"), DF, ("yeer",)))
    add(
        Case(
            "trend",
            "duplicated periods",
            lambda: tr(series([1, 2, 3], [2018, 2018, 2019]), time="year"),
            DF,
            ("2018",),
        )
    )
    add(
        Case(
            "trend",
            "unsorted years = sorted",
            lambda: (
                tr(series([9, 4, 6], [2020, 2018, 2019]), time="year")["apc"][0],
                tr(series([4, 6, 9], [2018, 2019, 2020]), time="year")["apc"][0],
            ),
            lambda ab: math.isclose(ab[0], ab[1], rel_tol=1e-12) or pytest.fail(str(ab)),
        )
    )
    add(
        Case(
            "trend",
            "all zero counts",
            lambda: tr(series([0, 0, 0, 0]), time="year"),
            lambda f: f["reason"][0] is not None or pytest.fail(str(f)),
        )
    )
    add(
        Case(
            "trend",
            "negative counts",
            lambda: tr(series([3, -1, 4]), time="year"),
            lambda f: f["reason"][0] is not None or pytest.fail(str(f)),
        )
    )
    add(
        Case(
            "trend",
            "NaN counts",
            lambda: tr(series([3.0, math.nan, 4.0, 5.0]), time="year"),
            lambda f: f["n_excluded"][0] >= 1 or pytest.fail(str(f)),
        )
    )
    add(
        Case(
            "trend",
            "huge counts",
            lambda: tr(series([BIG, BIG, BIG]), time="year"),
            finite_or_null("apc"),
        )
    )
    add(
        Case(
            "trend",
            "text counts",
            lambda: tr(series(["1", "2", "3"]), time="year"),
            DF,
            ("offences",),
        )
    )
    add(
        Case(
            "trend",
            "bad model",
            lambda: tr(series([1, 2, 3]), time="year", model="gamma"),  # type: ignore[arg-type]
            G,
            ("gamma",),
        )
    )
    add(
        Case(
            "trend",
            "bad financial years",
            lambda: tr(
                pl.DataFrame({"financial_year": ["2017/19", "2018/19"], "offences": [1, 2]})
            ),
            PE,
            ("2017/19",),
        )
    )
    add(
        Case(
            "trend",
            "across the series break",
            lambda: tr(
                pl.DataFrame(
                    {"financial_year": ["2015/16", "2016/17", "2017/18"], "offences": [1, 2, 3]}
                )
            ),
            PE,
        )
    )
    add(
        Case(
            "trend",
            "pandas, Unicode groups",
            lambda: tr(
                pd.DataFrame(
                    {
                        "force": ["Ynys Môn"] * 3 + ["Kent"] * 3,
                        "year": [2018, 2019, 2020] * 2,
                        "offences": [3, 4, 5, 6, 7, 8],
                    }
                ),
                by="force",
                time="year",
            ),
            height(2),
        )
    )

    # --- funnel, funnel_limits ---------------------------------------------------------------
    def areas(x: list[Any], n: list[Any]) -> pl.DataFrame:
        k = len(x)
        return pl.DataFrame(
            {"force": ["A", "B", "C", "D", "E"][:k], "offences": x, "population": n},
            strict=False,
            schema_overrides={"offences": pl.Int64, "population": pl.Int64} if k == 0 else None,
        )

    good = ([60, 35, 110, 2], [100_000, 100_000, 300_000, 20_000])
    for api in ("funnel", "funnel_limits"):
        fn = getattr(groomstats, api)
        add(
            Case(
                api,
                "missing column",
                lambda f=fn: f(areas(*good).drop("population")),
                DF,
                ("population",),
            )
        )
        add(
            Case(api, "text counts", lambda f=fn: f(areas(["1", "2"], [10, 10])), DF, ("offences",))
        )
        add(
            Case(
                api, "bad statistic", lambda f=fn: f(areas(*good), statistic="ratio"), G, ("ratio",)
            )
        )
        add(
            Case(
                api,
                "confidence 1",
                lambda f=fn: f(areas(*good), confidence=1.0),
                G,
                ("confidence",),
            )
        )
        add(
            Case(
                api,
                "pandas input",
                lambda f=fn: f(areas(*good).to_pandas()),
                lambda out: out.height > 0 or pytest.fail(str(out)),
            )
        )
    fu = groomstats.funnel
    add(Case("funnel", "empty frame", lambda: fu(areas([], [])), G, ("offences",)))
    add(
        Case(
            "funnel",
            "nulls, negatives, zero denominators get a reason",
            lambda: fu(areas([None, -1, 5, 60, 35], [1000, 1000, 0, 100_000, 100_000])),
            lambda f: f["funnel_reason"].to_list()[:3].count(None) == 0 or pytest.fail(str(f)),
        )
    )
    add(
        Case(
            "funnel",
            "NaN and inf counts",
            lambda: fu(areas([math.nan, math.inf, 60.0, 35.0], [1000, 1000, 100_000, 100_000])),
            lambda f: f["significance"].to_list()[:2] == [None, None] or pytest.fail(str(f)),
        )
    )
    add(
        Case(
            "funnel",
            "huge counts",
            lambda: fu(areas([BIG, BIG, 5], [BIG, BIG, 10])),
            finite_or_null("funnel_lower_95", "funnel_upper_95"),
        )
    )
    add(
        Case(
            "funnel",
            "proportion above 1",
            lambda: fu(areas([5, 20, 3], [10, 10, 10]), statistic="proportion"),
            lambda f: f["funnel_reason"][1] is not None or pytest.fail(str(f)),
        )
    )
    add(
        Case(
            "funnel_limits",
            "bad range",
            lambda: groomstats.funnel_limits(areas(*good), range=(10.0, 1.0)),
            G,
            ("range",),
        )
    )
    add(
        Case(
            "funnel_limits",
            "zero points",
            lambda: groomstats.funnel_limits(areas(*good), points=0),
            G,
            ("points",),
        )
    )

    # --- datasets ----------------------------------------------------------------------------
    ds = groomstats.datasets
    add(Case("datasets.provenance", "unknown name", lambda: ds.provenance("nope"), G, ("nope",)))
    add(
        Case(
            "datasets",
            "provenance of prc",
            lambda: ds.provenance("prc"),
            lambda s: "Open Government Licence" in s or pytest.fail(s),
        )
    )
    for name in (
        "prc",
        "population",
        "forces",
        "nspcc_national",
        "nspcc_wales",
        "platform_shares",
        "victim_facts",
        "news_figures",
    ):
        add(
            Case(
                f"datasets.{name}",
                "non-empty",
                lambda n=name: getattr(ds, n)(),
                lambda f: f.height > 0 or pytest.fail(str(f)),
            )
        )

    # --- plot --------------------------------------------------------------------------------
    pt = groomstats.plot
    empty = pl.DataFrame(
        {"period": [], "offences": []}, schema={"period": pl.String, "offences": pl.Int64}
    )
    add(Case("plot.trend", "missing column", lambda: pt.trend(pl.DataFrame({"x": [1]})), DF))
    add(Case("plot.trend", "empty frame: an empty figure", lambda: pt.trend(empty), close_figure))
    add(Case("plot.funnel", "missing column", lambda: pt.funnel(pl.DataFrame({"x": [1]})), DF))
    add(Case("plot.shares", "missing column", lambda: pt.shares(pl.DataFrame({"x": [1]})), DF))
    add(Case("plot.ranked", "missing column", lambda: pt.ranked(pl.DataFrame({"x": [1]})), DF))
    add(
        Case(
            "plot.ranked",
            "default interval columns absent",
            lambda: pt.ranked(pl.DataFrame({"force": ["A"], "value": [1.0]}), upper=None),
            DF,
        )
    )
    add(Case("plot.panels", "missing column", lambda: pt.panels(pl.DataFrame({"x": [1]})), DF))
    add(
        Case(
            "plot.panels",
            "empty frame",
            lambda: pt.panels(empty.with_columns(force=pl.lit("A"))),
            G,
            ("no rows",),
        )
    )
    add(Case("plot.to_png", "not a figure", lambda: pt.to_png("figure"), G, ("Figure",)))  # type: ignore[arg-type]
    add(Case("plot.to_svg", "not a figure", lambda: pt.to_svg("figure"), G, ("Figure",)))  # type: ignore[arg-type]
    add(
        Case(
            "plot.small_multiples",
            "missing column",
            lambda: pt.small_multiples(pl.DataFrame({"x": [1]})),
            DF,
        )
    )
    fig = lambda: pt.trend(pl.DataFrame({"period": ["2017/18", "2018/19"], "offences": [1, 2]}))  # noqa: E731
    add(Case("plot.save", "not a figure", lambda: pt.save("figure", TMP / "x.png"), G, ("Figure",)))  # type: ignore[arg-type]
    add(
        Case(
            "plot.save",
            "missing directory",
            lambda: pt.save(fig(), TMP / "no" / "x.png"),
            G,
            ("no",),
        )
    )
    add(
        Case(
            "plot.save",
            "Unicode file name",
            lambda: pt.save(fig(), TMP / "tendance–ü.png").read_bytes()[:4],
            lambda b: b == b"\x89PNG" or pytest.fail(str(b)),
        )
    )
    return c


CASES = cases()


PARAMS = [
    pytest.param(c, id=c.id, marks=pytest.mark.xfail(strict=True, reason=c.xfail))
    if c.xfail
    else pytest.param(c, id=c.id)
    for c in CASES
]


@pytest.mark.parametrize("case", PARAMS)
def test_hostile(case: Case) -> None:
    run_case(case)


#: Builtin errors a case may expect instead of a GroomstatsError: a missing file raises
#: FileNotFoundError naming it (as open(), pandas and polars do).
BUILTIN_OK: tuple[type[BaseException], ...] = (FileNotFoundError,)


def test_expected_errors_are_groomstats_errors() -> None:
    for case in CASES:
        if isinstance(case.expect, type):
            assert issubclass(case.expect, (GroomstatsError, *BUILTIN_OK)), case.id


def test_matrix_covers_every_public_function_of_the_submodules() -> None:
    covered = {c.api for c in CASES}
    missing = [
        f"{mod}.{name}"
        for mod in ("datasets", "plot")
        for name in getattr(groomstats, mod).__all__
        if callable(getattr(getattr(groomstats, mod), name)) and f"{mod}.{name}" not in covered
    ]
    assert not missing, f"submodule functions with no hostile cases: {missing}"


def test_matrix_covers_every_public_name() -> None:
    covered = {c.api.split(".")[0] for c in CASES}
    missing = sorted(set(groomstats.__all__) - covered)
    assert not missing, f"public names with no hostile cases: {missing} — add them to cases()"


def test_harness_fails_on_a_panic() -> None:
    """The harness must treat a pyo3 PanicException (a BaseException) as a failure."""
    panic_type = type("PanicException", (BaseException,), {"__module__": "pyo3_runtime"})

    def boom() -> None:
        raise panic_type("index out of bounds")

    with pytest.raises(pytest.fail.Exception, match="panic"):
        run_case(Case("x", "panics", boom, GroomstatsError))
    with pytest.raises(pytest.fail.Exception, match="expected DataFormatError"):
        run_case(Case("x", "wrong type", lambda: 1 / 0, DataFormatError))


# ---------------------------------------------------------------------------------------------
# generic sweep: every frame-taking function, fed things that are not usable frames, must
# answer with a GroomstatsError (never a bare TypeError/AttributeError/polars error/panic)
# ---------------------------------------------------------------------------------------------

FRAME_APIS: dict[str, Callable[[Any], object]] = {
    "grooming": groomstats.grooming,
    "count_records": lambda d: groomstats.count_records(d, by="force"),
    "rates": lambda d: groomstats.rates(d, denominator="population"),
    "rank_areas": groomstats.rank_areas,
    "shares": groomstats.shares,
    "funnel": groomstats.funnel,
    "funnel_limits": groomstats.funnel_limits,
    "trend": groomstats.trend,
    "joinpoint": groomstats.joinpoint,
    "interrupted": lambda d: groomstats.interrupted(d, "2020/21"),
    "totals": groomstats.totals,
    "change": lambda d: groomstats.change(d, "2018/19"),
    "profile": lambda d: groomstats.profile(d, force="Kent"),
    "plot.trend": groomstats.plot.trend,
    "plot.funnel": groomstats.plot.funnel,
    "plot.shares": groomstats.plot.shares,
    "plot.small_multiples": groomstats.plot.small_multiples,
    "plot.ranked": groomstats.plot.ranked,
    "plot.panels": groomstats.plot.panels,
}

GARBAGE: dict[str, Callable[[], object]] = {
    "an int": lambda: 42,
    "a dict": lambda: {"offences": [1, 2]},
    "a list of rows": lambda: [("Kent", 1)],
    "a frame with no columns": pl.DataFrame,
    "a pandas frame with no columns": pd.DataFrame,
    "a frame of unrelated columns": lambda: pl.DataFrame({"x": [1, 2], "y": ["a", "b"]}),
}


@pytest.mark.parametrize("garbage", list(GARBAGE))
@pytest.mark.parametrize("api", list(FRAME_APIS))
def test_unusable_frames_get_groomstats_errors(api: str, garbage: str) -> None:
    data = GARBAGE[garbage]()
    run_case(Case(api, garbage, lambda: FRAME_APIS[api](data), GroomstatsError))


# ---------------------------------------------------------------------------------------------
# the private bindings too: misaligned arrays, out-of-range group starts, extreme day numbers
# must come back as exceptions or results, never as a Rust panic
# ---------------------------------------------------------------------------------------------


def _core_calls() -> dict[str, Callable[[], object]]:
    from groomstats import _core

    def f64(*a: float) -> np.ndarray:
        return np.array(a, dtype=np.float64)

    def i64(*a: int) -> np.ndarray:
        return np.array(a, dtype=np.int64)

    def i32(*a: int) -> np.ndarray:
        return np.array(a, dtype=np.int32)

    nan, lo, hi = math.nan, -(2**31), 2**31 - 1
    one = np.array([True])
    g = np.array([5], dtype=np.uint32)
    jp = (1, 2, 2, "bic", 10, 0.05, 1, 0.95, nan, nan)
    return {
        "glm_fit starts beyond the data": lambda: _core.glm_fit(
            f64(1, 2, 3), np.ones((3, 2)), f64(0, 0, 0), i64(0, 10), "poisson"
        ),
        "glm_fit starts decreasing": lambda: _core.glm_fit(
            f64(1, 2, 3), np.ones((3, 2)), f64(0, 0, 0), i64(2, 0, 3), "poisson"
        ),
        "glm_fit negative start": lambda: _core.glm_fit(
            f64(1, 2, 3), np.ones((3, 2)), f64(0, 0, 0), i64(-5, 3), "poisson"
        ),
        "glm_fit design with no columns": lambda: _core.glm_fit(
            f64(1, 2, 3), np.ones((3, 0)), f64(0, 0, 0), i64(0, 3), "poisson"
        ),
        "joinpoint_fit starts beyond": lambda: _core.joinpoint_fit(
            f64(1, 2, 3), f64(1, 2, 3), i64(0, 10), *jp
        ),
        "joinpoint_fit decreasing starts": lambda: _core.joinpoint_fit(
            f64(1, 2, 3), f64(1, 2, 3), i64(2, 0, 3), *jp
        ),
        "window_coverage group id beyond n_groups": lambda: _core.window_coverage(
            g, i32(17257), i32(17347), one, 1, 17257, 17621
        ),
        "window_coverage whole i32 range": lambda: _core.window_coverage(
            np.array([0], dtype=np.uint32), i32(17257), i32(17347), one, 1, lo, hi, "month"
        ),
        "period_from_bounds i32 extremes": lambda: _core.period_from_bounds(lo, hi),
        "period_granules i32 extremes": lambda: _core.period_granules(lo, hi, "month"),
        "shift_period_years at i32 max": lambda: _core.shift_period_years(hi, hi, 1),
        "binom_test n near i64 max": lambda: _core.binom_test(
            i64(2**62), i64(2**63 - 1), f64(0.5), "two-sided", 0.95
        ),
        "binom_test misaligned": lambda: _core.binom_test(
            i64(5, 1), i64(10), f64(0.5), "two-sided", 0.95
        ),
        "funnel_overdispersion misaligned": lambda: _core.funnel_overdispersion(
            "rate", f64(1, 2), f64(1), 0.5, 0.1
        ),
        "funnel_limits NaN tau2": lambda: _core.funnel_limits(
            "rate", 0.5, f64(1, 2), [0.95], 1.0, nan
        ),
        "poisson_count_limits 1e300 and inf": lambda: _core.poisson_count_limits(
            f64(1e300, math.inf), 0.95
        ),
        "rate_ci misaligned": lambda: _core.rate_ci(f64(1, 2), f64(1), 1.0, [0.95]),
        "wilson_ci misaligned": lambda: _core.wilson_ci(f64(1, 2), f64(1), [0.95]),
    }


CORE_CALLS = _core_calls()


@pytest.mark.parametrize("name", list(CORE_CALLS))
def test_core_bindings_never_panic(name: str) -> None:
    try:
        CORE_CALLS[name]()
    except BaseException as e:  # a panic is a BaseException
        assert not is_panic(e), f"a Rust panic reached Python: {e}"
        assert isinstance(e, Exception), repr(e)


# ---------------------------------------------------------------------------------------------
# the command line: bad arguments and files end with exit code 2 and a one-line message
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["report", "--force", "Atlantis"], "Atlantis"),
        (["report", "--data", "__missing__.csv"], "__missing__.csv"),
        (["report", "--format", "pdf"], "pdf"),
        (["report", "--data", "garbage.csv"], "garbage.csv"),
    ],
)
def test_cli_refuses_bad_input_with_exit_code_2(
    argv: list[str], fragment: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from groomstats.cli import main

    write("garbage.csv", "x\x00\x01")
    argv = [str(TMP / a) if a.endswith(".csv") else a for a in argv]
    try:
        code = main([*argv, "--out", str(TMP / "report")])
    except SystemExit as e:  # argparse
        code = e.code  # type: ignore[assignment]
    except BaseException as e:
        assert not is_panic(e)
        pytest.fail(f"the CLI raised {type(e).__name__}: {e}")
    assert code == 2
    err = capsys.readouterr().err
    assert fragment in err and "Traceback" not in err, err
