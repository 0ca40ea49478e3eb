"""Hostile input against the readers and their row accounting.

Each case states the typed error (naming the offending file, row, column or value) or the
checked result that must come back.

The harness (``Case``, ``run_case``) is in ``tests/hostile.py``;
``tests/package/test_hostile_coverage.py`` checks that every public name has cases.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hostile import (
    I64_MAX,
    PRC_HEADER,
    PRC_ROW,
    TMP,
    Case,
    height,
    params,
    prc_csv,
    run_case,
    write,
)

import groomstats
from groomstats import (
    DataFormatError,
    GroomstatsError,
    PeriodError,
    UnknownAreaError,
)


def cases() -> list[Case]:
    c: list[Case] = []
    add = c.append
    G, DF, UA, PE = GroomstatsError, DataFormatError, UnknownAreaError, PeriodError

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
            "XLSX with no financial-year sheet: the sheet holding the table is read, noted",
            lambda: rp(prc_xlsx("cover.xlsx", [*row, 3], sheet="Cover sheet"), report=True),
            _read_from_sheet("Cover sheet", 3),
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
    # --- reading that cannot lie (issue 12, item 8) ------------------------------------------
    for cell in ("12,34", ",5", "1 2 3 4", "1234,"):
        add(
            Case(
                "read_prc",
                f"misplaced thousands separator {cell!r}",
                lambda v=cell: rp(prc_csv("sep.csv", PRC_ROW.format(n=f'"{v}"'))),
                DF,
                (repr(cell), "sep.csv", "row 2", "Number of Offences"),
            )
        )
    add(
        Case(
            "read_prc",
            "valid thousands separators",
            lambda: rp(prc_csv("sep_ok.csv", PRC_ROW.format(n='"1,234,567"')))["offences"].item(),
            lambda v: v == 1_234_567 or pytest.fail(str(v)),
        )
    )
    add(
        Case(
            "read_breakdown",
            "spaces inside a count",
            lambda: rb(
                write("bsep.csv", 'Force,Period,Platform,Offences\nKent,2023/24,Kik,"1 2"\n')
            ),
            DF,
            ("'1 2'", "bsep.csv", "row 2"),
        )
    )
    add(
        Case(
            "read_prc",
            "lower-case offence code 88a is read as 88A",
            lambda: rp(prc_csv("lc.csv", PRC_ROW.format(n=3).replace("88A", "88a")))[
                "offence_code"
            ].to_list(),
            lambda v: v == ["88A"] or pytest.fail(str(v)),
        )
    )
    add(
        Case(
            "read_prc",
            "glob pattern matching nothing",
            lambda: rp(TMP / "no-such-*.csv"),
            groomstats.MissingFileError,
            ("no file matches", "no-such-*.csv"),
        )
    )
    bomb_row = (
        '<table:table-row table:number-rows-repeated="1000"><table:table-cell '
        'table:number-columns-repeated="16000" office:value-type="float" office:value="1">'
        "<text:p>1</text:p></table:table-cell></table:table-row>"
    )
    add(
        Case(
            "read_prc",
            "ODS zip bomb (number-columns-repeated) refused before opening",
            lambda: rp(_ods_file("bomb.ods", bomb_row * 10)),
            groomstats.WorkbookTooLargeError,
            ("bomb.ods", "16,000 columns"),
        )
    )
    add(
        Case(
            "read_breakdown",
            "ODS zip bomb refused before opening",
            lambda: rb(_ods_file("bomb_b.ods", bomb_row * 10), category="platform"),
            groomstats.WorkbookTooLargeError,
            ("bomb_b.ods", "16,000 columns"),
        )
    )
    add(
        Case(
            "read_population",
            "ODS zip bomb refused before opening",
            lambda: groomstats.read_population(
                _ods_file("bomb_p.ods", bomb_row * 10), TMP / "absent.csv"
            ),
            groomstats.WorkbookTooLargeError,
            ("bomb_p.ods",),
        )
    )
    # --- FOI tables as published (issue 12, item 5) -------------------------------------------
    add(
        Case(
            "read_breakdown",
            "a Total row is checked and left out, not kept as a category",
            lambda: rb(
                write(
                    "btot.csv",
                    "Force,Year,Platform,Offences\nKent,2023/24,Snapchat,10\n"
                    "Kent,2023/24,Instagram,6\nKent,2023/24,Total,16\n",
                )
            )["value"].to_list(),
            lambda v: v == ["Snapchat", "Instagram"] or pytest.fail(str(v)),
        )
    )
    add(
        Case(
            "read_breakdown",
            "a total that does not add up warns (both figures), cells kept",
            lambda: _warned(
                lambda: rb(
                    write(
                        "btot2.csv",
                        "Force,Year,Snapchat,Instagram,Total\nKent,2023/24,10,6,17\n",
                    ),
                    category="platform",
                )
            ),
            lambda w: ("the total 17" in w and ", 16" in w) or pytest.fail(w),
        )
    )
    add(
        Case(
            "read_breakdown",
            "Count of Crimes header",
            lambda: rb(
                write("bcount.csv", "Force,Year,Platform,Count of Crimes\nKent,2023/24,Kik,3\n")
            )["offences"].to_list(),
            lambda v: v == [3] or pytest.fail(str(v)),
        )
    )
    add(
        Case(
            "read_breakdown",
            "three category columns",
            lambda: rb(
                write("b3.csv", "Force,Year,Platform,Age,Sex,Crimes\nKent,2023/24,Kik,12,F,1\n")
            ),
            DF,
            ("b3.csv", "'Platform', 'Age', 'Sex'"),
        )
    )
    add(
        Case(
            "read_breakdown",
            "category= with three names",
            lambda: rb(
                write("b4.csv", "Force,Year,Kik\nKent,2023/24,1\n"), category=("a", "b", "c")
            ),
            G,
            ("category=",),
        )
    )
    c += _edition_cases()
    return c


def _warned(call: Any) -> str:
    """The message of the TotalMismatchWarning ``call`` gives ('' if none)."""
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    return " ".join(str(w.message) for w in caught if w.category is groomstats.TotalMismatchWarning)


def _edition_cases() -> list[Case]:
    """Several files or editions: conflicts refused with both readings, bad editions named."""
    DF, G = DataFormatError, GroomstatsError
    a = prc_csv("prc-pfa-mar2013-onwards-tables-180418.csv", PRC_ROW.format(n=" 47 "))
    b = prc_csv("prc-pfa-mar2013-onwards-tables-180719.csv", PRC_ROW.format(n=" 46 "))
    u = prc_csv("undated.csv", PRC_ROW.format(n="5"))
    return [
        Case(
            "read_prc",
            "same figure, same edition, two values",
            lambda: groomstats.read_prc([a, b], edition="2019-07-18"),
            DF,
            ("47", "46", "180418.csv", "180719.csv", "row 2"),
        ),
        Case(
            "read_prc",
            "undated file disagreeing with a dated one",
            lambda: groomstats.read_prc([u, b]),
            DF,
            ("undated.csv", "unknown edition", "edition="),
        ),
        Case(
            "read_prc",
            "edition= of the wrong length",
            lambda: groomstats.read_prc([a, b], edition=["180418"]),
            G,
            ("1 edition", "2 files"),
        ),
        Case("read_prc", "empty list of files", lambda: groomstats.read_prc([]), G, ("empty",)),
        Case(
            "read_prc",
            "edition not a date",
            lambda: groomstats.read_prc(a, edition="310299"),
            G,
            ("310299", "DDMMYY"),
        ),
        Case(
            "revisions",
            "not a frame",
            lambda: groomstats.revisions(42, b),
            G,
            ("old", "int"),
        ),
        Case(
            "revisions",
            "frame without the key columns",
            lambda: groomstats.revisions(pl.DataFrame({"x": [1]}), b),
            DF,
            ("old", "financial_year", "read_prc"),
        ),
        Case(
            "revisions",
            "missing file",
            lambda: groomstats.revisions(TMP / "nope-010119.csv", b),
            FileNotFoundError,
            ("nope-010119.csv",),
        ),
        Case(
            "revisions",
            "a revision, listed with both editions",
            lambda: groomstats.revisions(a, b).row(0, named=True),
            lambda r: (r["old"], r["new"], r["difference"]) == (47, 46, -1) or pytest.fail(str(r)),
        ),
    ]


def _read_from_sheet(sheet: str, count: int) -> Callable[[Any], None]:
    def check(out: Any) -> None:
        frame, rep = out
        assert frame["offences"].to_list() == [count]
        assert any(f"read '{sheet}', the sheet(s) holding the table" in n for n in rep.notes)

    return check


def _ods_file(name: str, rows: str) -> Path:
    """A minimal synthetic ODS: one sheet '2017-18' holding ``rows`` (XML)."""
    import zipfile

    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns}><office:body>'
        f'<office:spreadsheet><table:table table:name="2017-18">{rows}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    p = TMP / name
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
    return p


CASES = cases()


@pytest.mark.parametrize("case", params(CASES))
def test_hostile(case: Case) -> None:
    run_case(case)
