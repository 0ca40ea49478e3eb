"""The size check before a workbook is opened (io/_limits.py) measures ODS rows a buffer at a
time with numpy. These tests hold it to the row-by-row reading it replaced (kept here as the
reference, verbatim): the same sheets, rows, widths and bytes on random and hostile XML
(quoted '>', apostrophes, repeated rows and cells, covered and nested cells, the words
'repeated' and 'value-type' as text), cut into buffers at every kind of boundary. The XML is
synthetic, generated here.
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from groomstats.exceptions import DataFormatError, WorkbookTooLargeError
from groomstats.io import _limits
from groomstats.io._limits import _Extent

_MARK = re.compile(rb"<table:table-row(?=[\s/>])|<table:table(?=[\s/>])|</table:table>")


def _by_row(stream: IO[bytes], label: str) -> list[_Extent]:
    """The row-by-row reading of content.xml (groomstats before the numpy measure)."""
    sheets: list[_Extent] = []
    cur: _Extent | None = None
    carry = b""

    def segment(seg: bytes) -> None:
        nonlocal cur
        if seg.startswith(b"</table:table>"):
            if cur is not None:
                sheets.append(cur)
            cur = None
        elif seg.startswith(b"<table:table-row"):
            if cur is not None:
                _limits._ods_row(cur, seg, label)
        elif cur is None:
            head = seg[: seg.find(b">") + 1]
            m = _limits._NAME.search(head)
            cur = _Extent(m[1].decode("utf-8", "replace") if m else f"table {len(sheets) + 1}")

    for chunk in _limits._chunks(stream, "content.xml", label):
        buf = carry + chunk
        marks = [m.start() for m in _MARK.finditer(buf)]
        if not marks:
            carry = buf
        else:
            for a, b in itertools.pairwise(marks):
                segment(buf[a:b])
            carry = buf[marks[-1] :]
    if carry:
        segment(carry)
    if cur is not None:
        sheets.append(cur)
    return sheets


class _Trickle(io.RawIOBase):
    """A stream giving at most ``step`` bytes a read, so buffers end anywhere."""

    def __init__(self, data: bytes, step: int) -> None:
        self.data, self.step, self.at = data, step, 0

    def read(self, n: int = -1) -> bytes:
        k = self.step if n < 0 else min(n, self.step)
        out = self.data[self.at : self.at + k]
        self.at += len(out)
        return out


def _both(xml: bytes, step: int) -> tuple[object, object]:
    def run(f: object) -> object:
        try:
            return f(_Trickle(xml, step), "t.ods")  # type: ignore[operator]
        except DataFormatError as e:  # a bad repeat count: the same for both
            return type(e)

    return run(_by_row), run(_limits._ods_extents)


TEXT = st.sampled_from(["1", "x", "repeated", "value-type", "a>b", "N/a", "&lt;table:table-row"])
CELL = st.one_of(
    TEXT.map(
        lambda v: (
            f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'
        )
    ),
    st.just("<table:table-cell/>"),
    st.integers(1, 20_000).map(
        lambda n: f'<table:table-cell table:number-columns-repeated="{n}"/>'
    ),
    st.integers(1, 30).map(
        lambda n: (
            f'<table:table-cell table:number-columns-repeated="{n}" '
            'office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>'
        )
    ),
    st.just('<table:table-cell table:style-name="a>b" table:number-columns-repeated="9"/>'),
    st.just("<table:table-cell table:style-name='q' table:number-columns-repeated='7'/>"),
    st.just('<table:table-cell table:style-name="a>b"><text:p>y</text:p></table:table-cell>'),
    st.just(  # a tag longer than the window the numpy measure reads tags through
        f'<table:table-cell table:style-name="{"c" * 150}" table:number-columns-repeated="5"/>'
    ),
    st.just("<table:covered-table-cell/>"),
    st.just('<table:covered-table-cell table:number-columns-repeated="3"/>'),
    st.just("<table:table-cells-odd/>"),
    st.just(
        '<table:table-cell><table:table table:name="nested"><table:table-row>'
        "<table:table-cell><text:p>n</text:p></table:table-cell></table:table-row>"
        "</table:table></table:table-cell>"
    ),
    st.just('<table:table-cell table:number-columns-repeated="x1"/>'),
)
HEAD = st.sampled_from(
    [
        "<table:table-row>",
        '<table:table-row table:style-name="ro1">',
        '<table:table-row table:style-name="r>1">',
        "<table:table-row table:style-name='ro2'>",
        '<table:table-row table:number-rows-repeated="3">',
        '<table:table-row table:style-name="r>1" table:number-rows-repeated="50">',
        '<table:table-row\ttable:style-name="ro1" >',
        f'<table:table-row table:style-name="{"r" * 150}">',
        f'<table:table-row table:style-name="{"r" * 150}" table:number-rows-repeated="4">',
    ]
)
ROW = st.one_of(
    st.tuples(HEAD, st.lists(CELL, max_size=6)).map(
        lambda hc: hc[0] + "".join(hc[1]) + "</table:table-row>"
    ),
    st.just("<table:table-row/>"),
    st.just("<table:table-rows>"),
    st.just("</table:table-rows>"),
    st.just("<table:table-row-group>"),
)
SHEET = st.tuples(st.sampled_from(["2017-18", "2024_25", "Notes"]), st.lists(ROW, max_size=12))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sheets=st.lists(SHEET, max_size=3), step=st.sampled_from([5, 16, 50, 333, 1 << 22]))
def test_numpy_measure_equals_the_row_by_row_reading(
    sheets: list[tuple[str, list[str]]], step: int
) -> None:
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content><office:body>'
        "<office:spreadsheet>"
        + "".join(
            f'<table:table table:name="{name}">{"".join(rows)}</table:table>'
            for name, rows in sheets
        )
        + "</office:spreadsheet></office:body></office:document-content>"
    ).encode()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_limits, "_check", lambda extents, label: None)  # compare, not refuse
        mp.setattr(_limits, "_BATCH", 3)  # rows measured a few at a time: batch edges too
        reference, fast = _both(xml, step)
    assert fast == reference


def _libreoffice_rows(n: int) -> Iterator[str]:
    pad = '<table:table-cell table:number-columns-repeated="16376"/>'
    for i in range(n):
        cells = "".join(
            f'<table:table-cell office:value-type="float" office:value="{i}"><text:p>{i}'
            "</text:p></table:table-cell>"
            for _ in range(8)
        )
        yield f'<table:table-row table:style-name="ro1">{cells}{pad}</table:table-row>'


def test_a_libreoffice_sheet_is_measured_as_before_across_buffers() -> None:
    """Many buffers of ordinary rows (the fast case), with 4 MB and odd-sized reads."""
    rows = "".join(_libreoffice_rows(6_000))
    tail = (
        '<table:table-row table:number-rows-repeated="1048000"><table:table-cell '
        'table:number-columns-repeated="16384"/></table:table-row>'
    )
    xml = (
        f'<office:spreadsheet><table:table table:name="2017-18">{rows}{tail}</table:table>'
        "</office:spreadsheet>"
    ).encode()
    for step in (1 << 22, 65_521):
        reference, fast = _both(xml, step)
        assert fast == reference
        assert isinstance(fast, list)
        assert (fast[0].used_rows, fast[0].width) == (6_000, 8)
    # the ordinary rows are measured at once: only the repeated empty tail goes row by row
    slow: list[bytes] = []
    one_by_one = _limits._ods_row

    def counted(e: _Extent, seg: bytes, label: str) -> None:
        slow.append(seg)
        one_by_one(e, seg, label)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_limits, "_ods_row", counted)
        _limits._ods_extents(_Trickle(xml, 1 << 22), "t.ods")
    assert [s[:60] for s in slow] == [tail.encode()[:60]]


def test_an_ordinary_row_past_the_last_column_is_refused(tmp_path: Path) -> None:
    """16,385 written-out cells (no repeat at all): refused as too wide on the fast path."""
    cells = '<table:table-cell office:value-type="string"><text:p>v</text:p></table:table-cell>'
    xml = (
        '<office:spreadsheet><table:table table:name="wide"><table:table-row>'
        + cells * 16_385
        + "</table:table-row></table:table></office:spreadsheet>"
    )
    p = tmp_path / "wide.ods"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("content.xml", xml)
    with pytest.raises(WorkbookTooLargeError, match="value in column 16,385"):
        _limits.check_workbook(p, p.name)
