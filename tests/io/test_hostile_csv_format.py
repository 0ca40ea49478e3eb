"""Hostile CSV formats for the readers: byte order marks, Windows-1252 and UTF-16 text, ';' and
tab separators, decimal commas, title rows above the header padded with commas, binary files.

Every file is SYNTHETIC, written by the test from a few rows in the Home Office layout.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

import groomstats

HEADER = (
    "Financial Year,Financial Quarter,Force Name,Offence Description,Offence Group,"
    "Offence Subgroup,Offence Code,Number of Offences"
)


def _row(n: object, force: str = "Kent", quarter: int = 1, offence: str = "Sexual grooming") -> str:
    return f"2017/18,{quarter},{force},{offence},Sexual offences,Other sexual offences,88A,{n}"


def _write(tmp: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp / name
    p.write_bytes(text.encode(encoding))
    return p


def test_windows_1252_labels_are_read_not_replaced(tmp_path: Path) -> None:
    # SYNTHETIC: Excel on Windows saves "CSV" in Windows-1252: an en dash and an e-acute were
    # read as U+FFFD replacement characters, silently changing the labels of the data
    text = "\n".join([HEADER, _row(5, offence="Sexual grooming \u2013 caf\u00e9")]) + "\n"
    p = _write(tmp_path, "cp1252.csv", text, "cp1252")
    df, rep = groomstats.read_prc(p, report=True)
    assert df["offence"].to_list() == ["Sexual grooming \u2013 caf\u00e9"]
    assert "\ufffd" not in df["offence"][0]
    assert "'cp1252.csv' is not UTF-8: read as Windows-1252 text" in rep.notes


def test_windows_1252_breakdown_category(tmp_path: Path) -> None:
    text = "Force,Period,Platform,Offences\nKent,2023/24,Caf\u00e9 chat,4\n"
    p = _write(tmp_path, "b1252.csv", text, "cp1252")
    df, rep = groomstats.read_breakdown(p, report=True)
    assert df.select("value", "offences").rows() == [("Caf\u00e9 chat", 4)]
    assert "'b1252.csv' is not UTF-8: read as Windows-1252 text" in rep.notes


def test_utf16_tab_separated_unicode_text(tmp_path: Path) -> None:
    # SYNTHETIC: Excel's "Unicode text": UTF-16 with a byte order mark, tab-separated
    text = "\n".join([HEADER, _row(7), _row(3, force="Essex")]).replace(",", "\t") + "\n"
    p = tmp_path / "unicode.txt"
    p.write_bytes(text.encode("utf-16"))
    df, rep = groomstats.read_prc(p, report=True)
    assert df.select("force", "offences").rows() == [("Kent", 7), ("Essex", 3)]
    assert "'unicode.txt' is not UTF-8: read as UTF-16 text" in rep.notes
    assert "'unicode.txt' is separated by a tab" in rep.notes


@pytest.mark.parametrize(("sep", "said"), [(";", "';'"), ("\t", "a tab")])
def test_semicolon_and_tab_separators(tmp_path: Path, sep: str, said: str) -> None:
    # SYNTHETIC: a ';'-separated file was refused with every header glued into one column
    text = "\n".join([HEADER, _row(5), _row(2, force="Essex", quarter=2)]).replace(",", sep)
    p = _write(tmp_path, "sep.csv", "\ufeff" + text + "\n")
    df, rep = groomstats.read_prc(p, report=True)
    assert df.select("force", "quarter", "offences").rows() == [("Kent", 1, 5), ("Essex", 2, 2)]
    assert f"'sep.csv' is separated by {said}" in rep.notes


def test_semicolon_file_with_a_comma_in_a_number_is_ambiguous(tmp_path: Path) -> None:
    # in a ';' file '1,234' may be 1234 or the decimal 1.234: both readings are listed
    text = "\n".join([HEADER.replace(",", ";"), _row('"1,234"').replace(",", ";")])
    text = text.replace(';"1;234"', ";1,234")
    p = _write(tmp_path, "eu.csv", text + "\n")
    with pytest.raises(groomstats.DataFormatError) as e:
        groomstats.read_prc(p)
    msg = str(e.value)
    assert "ambiguous number '1,234' at file 'eu.csv', row 2, column 'Number of Offences'" in msg
    assert "(1234)" in msg and "(1.234)" in msg


def test_title_rows_padded_with_commas_are_skipped(tmp_path: Path) -> None:
    # SYNTHETIC: a spreadsheet saved as CSV pads its title rows with commas; the reader took
    # the title as the header and refused the file ("missing columns ... '_duplicated_0'")
    text = "\n".join(["Police recorded crime 2017/18,,,,,,,", ",,,,,,,", HEADER, _row(5)])
    p = _write(tmp_path, "titled.csv", text + "\n")
    df = groomstats.read_prc(p)
    assert df.select("force", "offences").rows() == [("Kent", 5)]


def test_breakdown_title_rows_above_the_header(tmp_path: Path) -> None:
    text = "FOI 2023/24: offences by platform,,,\n,,,\nForce,Period,Platform,Offences\n"
    p = _write(tmp_path, "btitle.csv", text + "Kent,2023/24,Snapchat,9\n")
    df = groomstats.read_breakdown(p)
    assert df.select("force", "value", "offences").rows() == [("Kent", "Snapchat", 9)]


def test_binary_file_is_refused_naming_the_byte(tmp_path: Path) -> None:
    p = tmp_path / "blob.csv"
    p.write_bytes(b"Financial Year\n\x81\x8d\x8f\x90\x9d\xff\n")
    with pytest.raises(groomstats.DataFormatError) as e:
        groomstats.read_prc(p)
    assert "file 'blob.csv' is not text in UTF-8 or Windows-1252" in str(e.value)
    assert "line 2" in str(e.value)


def test_gzip_windows_1252(tmp_path: Path) -> None:
    text = "\n".join([HEADER, _row(5, offence="Grooming \u2013 s.15A")]) + "\n"
    p = tmp_path / "cp.csv.gz"
    p.write_bytes(gzip.compress(text.encode("cp1252")))
    assert groomstats.read_prc(p)["offence"].to_list() == ["Grooming \u2013 s.15A"]


def test_lookup_separated_by_semicolons(tmp_path: Path) -> None:
    # the ONS lookup saved with ';' (derived from the shipped copy): the same force areas
    from groomstats import datasets

    with gzip.open(datasets.path("lad_pfa_lookup"), "rt", encoding="utf-8-sig") as fh:
        lookup = fh.read()
    p = _write(tmp_path, "lk.csv", lookup.replace(",", ";"))
    sheet = datasets.path("population_sheet")
    got, rep = groomstats.read_population(sheet, p, bands="0-17", report=True)
    want = groomstats.read_population(sheet, datasets.path("lad_pfa_lookup"), bands="0-17")
    assert got.equals(want)
    assert "'lk.csv' is separated by ';'" in rep.notes
    assert got.filter(got["force"] == "City of London")["population"].item() == 642
