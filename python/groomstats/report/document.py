"""A tiny document model (headings, paragraphs, tables, charts) rendered to Markdown or HTML.

Used by :mod:`groomstats.report.sections`; kept separate so the rendering is tested on its own.
:func:`fact_table` formats a profile's facts as a report table; :func:`write_safely` is how
every report file reaches the disk.

* Every piece of text is escaped for the format it is written in (names, file names and notes
  come from input files): HTML entities in HTML; in Markdown, the characters that would make
  a link, an image, emphasis, code, a table cell or raw HTML.
* HTML is one self-contained page: charts inline as SVG, the stylesheet inline (with a print
  stylesheet), a table of contents, an anchor on every section. Markdown keeps PNG files.

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
import os
import re
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from groomstats.exceptions import GroomstatsError

__all__ = ["Document", "fact_table", "format_value", "md_escape", "slug", "write_safely"]


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


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|])")


def md_escape(text: str) -> str:
    """Escape text for Markdown: no raw HTML, links, images, emphasis, code or table cells.

    ``<``, ``>`` and ``&`` become HTML entities (rendered as the characters, never as tags);
    ``\\ ` * _ [ ] |`` are backslash-escaped; a line never starts a heading, list or quote.

    Examples
    --------
    >>> md_escape("<img src=x onerror=alert(1)>.csv")
    '&lt;img src=x onerror=alert(1)&gt;.csv'
    >>> md_escape("[click](http://x) *now* a|b")
    '\\\\[click\\\\](http://x) \\\\*now\\\\* a\\\\|b'
    >>> md_escape("# not a heading")
    '\\\\# not a heading'
    """
    text = html.escape(" ".join(text.splitlines()), quote=False)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    if re.match(r"^(#|>|[-+]\s|\d+[.)]\s)", text):
        text = "\\" + text
    return text


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


def write_safely(path: Path, data: bytes | str, *, created: set[Path] | None = None) -> Path:
    """Write ``data`` to ``path`` atomically, never through a symlink.

    The bytes go to a new temporary file in the same directory (created exclusively), which
    is then renamed over ``path``: a reader never sees half a file, and a symlink planted at
    ``path`` is replaced, not followed. A directory on the way that is a symlink is refused
    unless it is in ``created`` (made by this run).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     outside = pathlib.Path(d) / "outside.txt"
    ...     _ = outside.write_text("keep me")
    ...     link = pathlib.Path(d) / "report.md"
    ...     link.symlink_to(outside)
    ...     _ = write_safely(link, "# report")
    ...     outside.read_text(), link.is_symlink(), link.read_text()
    ('keep me', False, '# report')
    """
    path = Path(path)
    parent = path.parent
    if parent.is_symlink() and (created is None or parent not in created):
        raise GroomstatsError(
            f"refusing to write {path}: its directory {parent} is a symbolic link this run "
            "did not create; remove it or choose another output directory"
        )
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    try:
        mask = os.umask(0o022)
        os.umask(mask)
        os.fchmod(fd, 0o666 & ~mask)  # as open() would create it, not mkstemp's 0600
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


@dataclass
class _Block:
    kind: str
    text: str = ""
    level: int = 0
    frame: pl.DataFrame | None = None
    decimals: dict[str, int] = field(default_factory=dict)
    anchor: str | None = None
    chart: Any = None  # (figure or callable making one, description) of a chart block
    group: str | None = None  # table-of-contents group of a heading


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;
max-width:64em;margin:auto;padding:1em 1.5em;line-height:1.45;color:#111}
h1{font-size:1.9em}h2{border-top:2px solid #ddd;padding-top:.6em;margin-top:2em}
table{border-collapse:collapse;margin:1em 0;font-size:.92em}
.table-wrap{overflow-x:auto;max-width:100%;margin:1em 0}.table-wrap>table{margin:0}
td,th{border:1px solid #ccc;padding:.2em .5em;vertical-align:top}td.n{text-align:right}
th{background:#f4f4f4}figure{margin:1em 0}figure svg{max-width:100%;height:auto;display:block}
figcaption{font-size:.85em;color:#444}
nav.toc{background:#f7f7f7;border:1px solid #ddd;padding:.5em 1em;margin:1em 0}
nav.toc h2{border:none;margin:.2em 0;padding:0}
nav.toc ul{margin:.3em 0;padding-left:1.2em}nav.toc li.forces{list-style:none;margin-left:-1.2em}
nav.toc li.forces a{display:inline-block;margin-right:.8em}
a.top{font-size:.45em;font-weight:normal;margin-left:.6em}
@media print{
body{max-width:none;font-size:10pt;padding:0}a{color:#000;text-decoration:none}
a.top{display:none}nav.toc{page-break-after:always;border:none;background:none}
h2{page-break-before:always;border:none}h3{page-break-after:avoid}
figure,table,tr{page-break-inside:avoid}figure svg{max-width:100%}
.table-wrap{overflow:visible}
}
""".strip()


@dataclass
class Document:
    """An ordered list of blocks with a title; render with ``to_markdown`` or ``to_html``.

    Charts are added with :meth:`chart` as figures (or callables making them) and drawn once
    at rendering: PNG files for Markdown (:meth:`write` saves them), inline SVG for HTML.
    """

    title: str
    blocks: list[_Block] = field(default_factory=list)

    def heading(
        self, text: str, level: int = 2, anchor: str | None = None, group: str | None = None
    ) -> None:
        """Add a heading (level 2 = section, 3 = subsection).

        ``anchor`` is its id (default: a slug of the text); headings of one ``group`` (e.g.
        "Forces") share one line of the table of contents.
        """
        self.blocks.append(
            _Block("heading", text=text, level=level, anchor=anchor or slug(text), group=group)
        )

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

    def chart(self, name: str, figure: Any, alt: str, description: str = "") -> None:
        """Add a chart: ``figure`` is a matplotlib figure or a callable returning one.

        The same ``name`` added again refers to the same chart (drawn once): Markdown shows
        the PNG again, HTML links to the chart where it first appears. ``figure=None`` only
        refers to a chart added elsewhere (nothing is shown if there is none).
        """
        self.blocks.append(
            _Block("chart", text=alt, anchor=slug(name), chart=(figure, description))
        )

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

    def charts(self) -> dict[str, tuple[Any, str, str]]:
        """Each chart once, by name: (figure or callable, alt text, description)."""
        out: dict[str, tuple[Any, str, str]] = {}
        for b in self.blocks:
            if b.kind == "chart" and b.anchor not in out and b.chart[0] is not None:
                fig, description = b.chart
                out[str(b.anchor)] = (fig, b.text, description)
        return out

    def render_charts(
        self, fmt: str, progress: Callable[[str, int, int], None] | None = None
    ) -> dict[str, bytes | str]:
        """Draw every chart once: PNG bytes for ``"md"``, inline SVG text for ``"html"``.

        The figures are built here; drawing them (most of the time) is shared with one forked
        helper process on Linux machines with more than one core (``GROOMSTATS_WORKERS=1``
        turns it off). The helper only draws matplotlib figures; if it fails or takes over a
        minute, this process draws its charts itself.
        """
        from groomstats import plot

        todo = self.charts()
        figs = []
        for name, (make, alt, description) in todo.items():
            figs.append((name, make() if callable(make) else make, description or alt))

        def draw(name: str, fig: Any, description: str) -> bytes | str:
            if fmt == "md":
                return plot.to_png(fig, description=description)
            return plot.to_svg(fig, id_prefix=f"{name}-")

        theirs = _draw_in_helper(figs[1::2], draw) if _helper_allowed(len(figs)) else None
        mine = figs[0::2] if theirs is not None else figs
        out: dict[str, bytes | str] = {}
        try:
            for i, (name, fig, description) in enumerate(mine, start=1):
                out[name] = draw(name, fig, description)
                if progress is not None:
                    progress(f"chart: {name}", i, len(figs))
        finally:
            rest = theirs.collect() if theirs is not None else {}
        for name, fig, description in figs:
            if name not in out:
                out[name] = rest[name] if name in rest else draw(name, fig, description)
        if progress is not None and figs:
            progress(f"chart: {figs[-1][0]}", len(figs), len(figs))
        return {name: out[name] for name, _, _ in figs}

    def to_markdown(self) -> str:
        """Render as GitHub-flavoured Markdown; charts as ``charts/<name>.png``."""
        m = md_escape
        known = set(self.charts())
        out = [f"# {m(self.title)}", ""]
        prev = ""
        for b in self.blocks:
            if prev == "bullet" and b.kind != "bullet":
                out.append("")
            if b.kind == "heading":
                anchor = f'<a id="{html.escape(b.anchor or "")}"></a>\n' if b.anchor else ""
                out += [f"{anchor}{'#' * b.level} {m(b.text)}", ""]
            elif b.kind == "paragraph":
                out += [m(b.text), ""]
            elif b.kind == "bullet":
                out.append(f"- {m(b.text)}")
            elif b.kind == "table":
                header, rows, numeric = self._cells(b)
                out.append("| " + " | ".join(m(h) for h in header) + " |")
                out.append("|" + "|".join("---:" if n else ":---" for n in numeric) + "|")
                for r in rows:
                    out.append("| " + " | ".join(m(c) for c in r) + " |")
                out.append("")
            elif b.kind == "image":
                out += [f"![{m(b.text)}]({_url(b.anchor or '')})", ""]
            elif b.kind == "chart":
                if b.anchor in known:
                    out += [f"![{m(b.text)}](charts/{b.anchor}.png)", ""]
            prev = b.kind
        if prev == "bullet":
            out.append("")
        return "\n".join(out)

    def _toc(self) -> str:
        e = html.escape
        items: list[str] = []
        groups: dict[str, list[str]] = {}
        sub: list[str] = []

        def close_sub() -> None:
            if sub and items:
                items[-1] = items[-1].removesuffix("</li>") + f"<ul>{''.join(sub)}</ul></li>"
            sub.clear()

        for b in self.blocks:
            if b.kind != "heading":
                continue
            link = f'<a href="#{e(b.anchor or "")}">{e(b.text)}</a>'
            group = b.group
            if b.level == 2 and group:
                close_sub()
                if group not in groups:
                    groups[group] = []
                    items.append(f"\x00{group}")
                groups[group].append(link)
            elif b.level == 2:
                close_sub()
                items.append(f"<li>{link}</li>")
            elif b.level == 3 and items and not items[-1].startswith("\x00"):
                sub.append(f"<li>{link}</li>")
        close_sub()
        body = "".join(
            f'<li class="forces"><strong>{e(i[1:])}:</strong> {" ".join(groups[i[1:]])}</li>'
            if i.startswith("\x00")
            else i
            for i in items
        )
        return f'<nav class="toc" id="contents"><h2>Contents</h2><ul>{body}</ul></nav>'

    def to_html(self, svgs: dict[str, str] | None = None) -> str:
        """Render as one self-contained HTML page.

        ``svgs`` maps chart names to inline SVG (from :meth:`render_charts`); charts not in
        it are drawn now.
        """
        from groomstats import plot

        e = html.escape
        svgs = dict(svgs or {})
        known = self.charts()
        out = [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{e(self.title)}</title>",
            f"<style>{_CSS}</style>",
            "</head><body>",
            f"<h1>{e(self.title)}</h1>",
        ]
        toc_done = False
        in_list = False
        drawn: set[str] = set()
        for b in self.blocks:
            if in_list and b.kind != "bullet":
                out.append("</ul>")
                in_list = False
            if b.kind == "heading":
                if not toc_done:
                    out.append(self._toc())
                    toc_done = True
                top = ' <a class="top" href="#contents">contents</a>' if b.level == 2 else ""
                out.append(f'<h{b.level} id="{e(b.anchor or "")}">{e(b.text)}{top}</h{b.level}>')
            elif b.kind == "paragraph":
                out.append(f"<p>{e(b.text)}</p>")
            elif b.kind == "bullet":
                if not in_list:
                    out.append("<ul>")
                    in_list = True
                out.append(f"<li>{e(b.text)}</li>")
            elif b.kind == "table":
                header, rows, numeric = self._cells(b)
                # a wide table scrolls inside its own box; the page itself never scrolls sideways
                out.append('<div class="table-wrap"><table><thead><tr>')
                out.append("".join(f"<th>{e(h)}</th>" for h in header))
                out.append("</tr></thead><tbody>")
                for r in rows:
                    tds = "".join(
                        f'<td class="n">{e(c)}</td>' if n else f"<td>{e(c)}</td>"
                        for c, n in zip(r, numeric, strict=True)
                    )
                    out.append(f"<tr>{tds}</tr>")
                out.append("</tbody></table></div>")
            elif b.kind == "image":
                out.append(f'<p><img src="{e(b.anchor or "")}" alt="{e(b.text)}"></p>')
            elif b.kind == "chart":
                name = str(b.anchor)
                if name not in known:
                    continue
                if name in drawn:
                    out.append(
                        f'<p class="chart-ref"><a href="#chart-{e(name)}">Chart: {e(b.text)}</a>'
                        "</p>"
                    )
                    continue
                drawn.add(name)
                if name not in svgs:
                    make = known[name][0]
                    fig = make() if callable(make) else make
                    svgs[name] = plot.to_svg(fig, id_prefix=f"{name}-")
                out.append(
                    f'<figure id="chart-{e(name)}" role="img" aria-label="{e(b.text)}">'
                    f"{svgs[name]}<figcaption>{e(b.text)}</figcaption></figure>"
                )
        if in_list:
            out.append("</ul>")
        if not toc_done:
            out.append(self._toc())
        out.append("</body></html>")
        return "\n".join(out) + "\n"

    def write(
        self,
        out: Path,
        fmt: str,
        *,
        rendered: dict[str, bytes | str] | None = None,
        created: set[Path] | None = None,
    ) -> tuple[Path, list[Path]]:
        """Write ``report.md`` with its PNG charts, or one ``report.html``, into ``out``.

        ``rendered`` holds the charts from :meth:`render_charts` (drawn here if missing).
        Every file is written by :func:`write_safely`. Returns the report path and the chart
        files written (none for HTML: its charts are inside the page).
        """
        created = set(created or ())
        rendered = rendered if rendered is not None else self.render_charts(fmt)
        charts: list[Path] = []
        if fmt == "md":
            folder = out / "charts"
            if folder.is_symlink() and folder not in created:
                raise GroomstatsError(
                    f"refusing to write charts into {folder}: it is a symbolic link this run "
                    "did not create; remove it or choose another output directory"
                )
            if not folder.exists():
                folder.mkdir()
                created.add(folder)
            for name, png in rendered.items():
                data = png if isinstance(png, bytes) else png.encode("utf-8")
                charts.append(write_safely(folder / f"{name}.png", data, created=created))
            path = write_safely(out / "report.md", self.to_markdown(), created=created)
        else:
            svgs = {k: v for k, v in rendered.items() if isinstance(v, str)}
            path = write_safely(out / "report.html", self.to_html(svgs), created=created)
        return path, charts


def _helper_allowed(n_charts: int) -> bool:
    """Whether to share the drawing with a forked helper process (Linux, 2+ cores, 3+ charts)."""
    workers = os.environ.get("GROOMSTATS_WORKERS", "")
    if workers.strip() == "1" or n_charts < 3 or not sys.platform.startswith("linux"):
        return False
    return hasattr(os, "fork") and (os.cpu_count() or 1) > 1


class _Helper:
    """A forked process drawing some charts and sending them back through a pipe."""

    def __init__(self, pid: int, fd: int, names: list[str]) -> None:
        self.pid, self.fd, self.names = pid, fd, names

    def collect(self, timeout: float = 60.0) -> dict[str, bytes | str]:
        """The charts the helper drew ({} if it failed or took too long)."""
        import pickle
        import select
        import signal
        import time

        chunks: list[bytes] = []
        deadline = time.monotonic() + timeout
        ok = True
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([self.fd], [], [], left)[0]:
                    ok = False
                    break
                chunk = os.read(self.fd, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
        finally:
            os.close(self.fd)
            if not ok:
                os.kill(self.pid, signal.SIGKILL)
            _, status = os.waitpid(self.pid, 0)
        if not ok or status != 0:
            return {}
        try:
            got = pickle.loads(b"".join(chunks))
        except Exception:  # a broken pipe: draw them here instead
            return {}
        return got if isinstance(got, dict) else {}


def _draw_in_helper(
    figs: list[tuple[str, Any, str]], draw: Callable[[str, Any, str], bytes | str]
) -> _Helper | None:
    """Fork a helper that draws ``figs``; None if forking is not possible."""
    import pickle
    import warnings

    read, write = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        with warnings.catch_warnings():
            # Python 3.12+ warns about forking a process that has threads (polars has some);
            # the helper never touches them: it only draws matplotlib figures
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    if pid == 0:  # pragma: no cover - runs in the helper process
        code = 1
        try:
            os.close(read)
            data = pickle.dumps({name: draw(name, fig, d) for name, fig, d in figs})
            view = memoryview(data)
            while view:
                view = view[os.write(write, view) :]
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    return _Helper(pid, read, [name for name, _, _ in figs])


def _url(path: str) -> str:
    """A relative path made safe inside a Markdown link target."""
    from urllib.parse import quote

    return quote(path, safe="/._-")


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
