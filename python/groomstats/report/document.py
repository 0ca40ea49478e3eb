"""A tiny document model (headings, paragraphs, tables, images) rendered to Markdown or HTML.

Used by :mod:`groomstats.report.sections`; kept separate so the rendering is tested on its own.
:func:`fact_table` formats a profile's facts as a report table.

Examples
--------
>>> import polars as pl
>>> doc = Document("T")
>>> doc.table(pl.DataFrame({"area": ["England and Wales"], "offences": [4429]}))
>>> print(doc.to_markdown())
# T
<BLANKLINE>
| area | offences |
|:---|---:|
| England and Wales | 4,429 |
<BLANKLINE>
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass, field
from typing import Any

import polars as pl

__all__ = ["Document", "fact_table", "format_value", "slug"]


def slug(text: str) -> str:
    """File-name-safe lower-case slug.

    Examples
    --------
    >>> slug("Avon and Somerset")
    'avon-and-somerset'
    >>> slug("Dyfed-Powys")
    'dyfed-powys'
    """
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def format_value(value: Any, decimals: int | None = None) -> str:
    """Format a cell: thousands separators for integers, fixed decimals for floats, '' for null.

    Examples
    --------
    >>> format_value(4429), format_value(35.123, 1), format_value(None), format_value(float("nan"))
    ('4,429', '35.1', '', '')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if decimals is None:
            decimals = 0 if value.is_integer() and abs(value) >= 1 else 2
        return f"{value:,.{decimals}f}"
    return str(value)


@dataclass
class _Block:
    kind: str
    text: str = ""
    level: int = 0
    frame: pl.DataFrame | None = None
    decimals: dict[str, int] = field(default_factory=dict)
    anchor: str | None = None


@dataclass
class Document:
    """An ordered list of blocks with a title; render with ``to_markdown`` or ``to_html``."""

    title: str
    blocks: list[_Block] = field(default_factory=list)

    def heading(self, text: str, level: int = 2, anchor: str | None = None) -> None:
        """Add a heading (level 2 = section, 3 = subsection)."""
        self.blocks.append(_Block("heading", text=text, level=level, anchor=anchor))

    def paragraph(self, text: str) -> None:
        """Add a paragraph of plain text."""
        self.blocks.append(_Block("paragraph", text=text))

    def bullets(self, items: list[str]) -> None:
        """Add a bulleted list."""
        for item in items:
            self.blocks.append(_Block("bullet", text=item))

    def table(self, frame: pl.DataFrame, decimals: dict[str, int] | None = None) -> None:
        """Add a table; ``decimals`` maps float columns to the digits shown."""
        self.blocks.append(_Block("table", frame=frame, decimals=decimals or {}))

    def image(self, path: str, alt: str) -> None:
        """Add an image by relative path with its alternative text."""
        self.blocks.append(_Block("image", text=alt, anchor=path))

    # -- rendering -----------------------------------------------------------------------
    def _cells(self, block: _Block) -> tuple[list[str], list[list[str]], list[bool]]:
        assert block.frame is not None
        df = block.frame
        header = list(df.columns)
        numeric = [df.schema[c].is_numeric() for c in header]
        rows = [
            [format_value(v, block.decimals.get(c)) for c, v in zip(header, row, strict=True)]
            for row in df.iter_rows()
        ]
        return header, rows, numeric

    def to_markdown(self) -> str:
        """Render as GitHub-flavoured Markdown."""
        out = [f"# {self.title}", ""]
        prev = ""
        for b in self.blocks:
            if prev == "bullet" and b.kind != "bullet":
                out.append("")
            if b.kind == "heading":
                anchor = f'<a id="{b.anchor}"></a>\n' if b.anchor else ""
                out += [f"{anchor}{'#' * b.level} {b.text}", ""]
            elif b.kind == "paragraph":
                out += [b.text, ""]
            elif b.kind == "bullet":
                out.append(f"- {b.text}")
            elif b.kind == "table":
                header, rows, numeric = self._cells(b)
                esc = [h.replace("|", "\\|") for h in header]
                out.append("| " + " | ".join(esc) + " |")
                out.append("|" + "|".join("---:" if n else ":---" for n in numeric) + "|")
                for r in rows:
                    out.append("| " + " | ".join(c.replace("|", "\\|") for c in r) + " |")
                out.append("")
            elif b.kind == "image":
                out += [f"![{b.text}]({b.anchor})", ""]
            prev = b.kind
        if prev == "bullet":
            out.append("")
        return "\n".join(out)

    def to_html(self) -> str:
        """Render as a standalone HTML page."""
        e = html.escape
        out = [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            f"<title>{e(self.title)}</title>",
            "<style>body{font-family:sans-serif;max-width:60em;margin:auto;padding:1em}"
            "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;"
            "padding:.2em .5em}td.n{text-align:right}img{max-width:100%}</style>",
            "</head><body>",
            f"<h1>{e(self.title)}</h1>",
        ]
        in_list = False
        for b in self.blocks:
            if in_list and b.kind != "bullet":
                out.append("</ul>")
                in_list = False
            if b.kind == "heading":
                ident = f' id="{e(b.anchor)}"' if b.anchor else ""
                out.append(f"<h{b.level}{ident}>{e(b.text)}</h{b.level}>")
            elif b.kind == "paragraph":
                out.append(f"<p>{e(b.text)}</p>")
            elif b.kind == "bullet":
                if not in_list:
                    out.append("<ul>")
                    in_list = True
                out.append(f"<li>{e(b.text)}</li>")
            elif b.kind == "table":
                header, rows, numeric = self._cells(b)
                out.append("<table><thead><tr>")
                out.append("".join(f"<th>{e(h)}</th>" for h in header))
                out.append("</tr></thead><tbody>")
                for r in rows:
                    tds = "".join(
                        f'<td class="n">{e(c)}</td>' if n else f"<td>{e(c)}</td>"
                        for c, n in zip(r, numeric, strict=True)
                    )
                    out.append(f"<tr>{tds}</tr>")
                out.append("</tbody></table>")
            elif b.kind == "image":
                out.append(f'<p><img src="{e(b.anchor or "")}" alt="{e(b.text)}"></p>')
        if in_list:
            out.append("</ul>")
        out.append("</body></html>")
        return "\n".join(out) + "\n"


def _fmt_by_unit(col: str) -> pl.Expr:
    """Format a value column by the row's unit: counts whole, percents and rates to 1 dp."""
    v = pl.col(col)
    whole = v.round(0).cast(pl.Int64).map_elements(lambda x: f"{x:,}", return_dtype=pl.String)
    one = v.map_elements(lambda x: f"{x:,.1f}", return_dtype=pl.String)
    two = v.map_elements(lambda x: f"{x:.2f}", return_dtype=pl.String)
    unit = pl.col("unit").fill_null("")
    return (
        pl.when(v.is_null())
        .then(pl.lit(""))
        .when(unit.is_in(["offences", "rank", "quarters"]))
        .then(whole)
        .when(unit == "ratio")
        .then(two)
        .otherwise(one)
        .alias(col)
    )


def fact_table(frame: pl.DataFrame) -> pl.DataFrame:
    """The profile frame as a report table with formatted numbers.

    Examples
    --------
    >>> import groomstats
    >>> t = fact_table(groomstats.profile(force="Kent").frame)
    >>> t.columns[:4]
    ['Fact', 'Value', '95% lower', '95% upper']
    """
    return frame.select(
        pl.col("label").alias("Fact"),
        _fmt_by_unit("value").alias("Value"),
        _fmt_by_unit("lower").alias("95% lower"),
        _fmt_by_unit("upper").alias("95% upper"),
        pl.col("unit").alias("Unit"),
        pl.col("text").alias("Note"),
        pl.col("period").alias("Period"),
        pl.col("source").alias("Source"),
        pl.col("caveat").alias("Caveat"),
    )
