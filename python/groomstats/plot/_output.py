"""groomstats.plot: _output (see groomstats.plot for the public functions)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from groomstats.exceptions import GroomstatsError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

from groomstats.plot._base import (
    DPI,
    _check_figure,
)


def to_svg(fig: Figure, *, id_prefix: str = "") -> str:
    """The chart as an SVG document (text kept as text), for inlining in an HTML page.

    Parameters
    ----------
    fig
        A figure returned by this module.
    id_prefix
        Prepended to every ``id`` in the SVG (and to the references to them), so that
        several charts inlined in one page never share an id.

    Returns
    -------
    str
        ``<svg ...>...</svg>`` without the XML prolog, with a ``<title>`` from the chart's
        title, ready to paste into HTML.

    Examples
    --------
    >>> import polars as pl
    >>> from groomstats import plot
    >>> fig = plot.trend(pl.DataFrame({"period": [1, 2], "offences": [3, 4]}))
    >>> svg = plot.to_svg(fig, id_prefix="c1-")
    >>> svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    True
    >>> 'id="c1-' in svg and 'id="patch' not in svg
    True
    """
    import io
    from html import escape

    from matplotlib import rc_context

    _check_figure(fig)
    buf = io.StringIO()
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": "groomstats"}):
        fig.savefig(buf, format="svg", dpi=DPI, metadata={"Date": None})
    text = buf.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, count=1, flags=re.S)
    if id_prefix:
        text = re.sub(r'\bid="([^"]+)"', rf'id="{id_prefix}\1"', text)
        text = re.sub(r"url\(#([^)]+)\)", rf"url(#{id_prefix}\1)", text)
        text = re.sub(r'xlink:href="#([^"]+)"', rf'xlink:href="#{id_prefix}\1"', text)
    title = getattr(fig, "groomstats_title", None) or ""
    if title:
        head = text.index(">") + 1
        text = f"{text[:head]}<title>{escape(title)}</title>{text[head:]}"
    return text


def to_png(fig: Figure, *, title: str | None = None, description: str | None = None) -> bytes:
    """The chart as PNG bytes (1000 x 600 pixels at the default size) with its metadata.

    The PNG text chunks hold ``Title`` (default: the chart's title), ``Description`` and
    ``Source`` (the chart's source line); :func:`save` writes these bytes to a file.

    Parameters
    ----------
    fig
        A figure returned by this module.
    title, description
        Text for the PNG metadata.

    Returns
    -------
    bytes

    Examples
    --------
    >>> import polars as pl
    >>> from groomstats import plot
    >>> png = plot.to_png(plot.trend(pl.DataFrame({"period": [1, 2], "offences": [3, 4]})))
    >>> png[:4] == bytes([0x89]) + b"PNG"
    True
    """
    import io

    _check_figure(fig)
    if title is None:
        title = getattr(fig, "groomstats_title", None)
        if not title:
            axes: list[Axes] = list(fig.axes)
            title = axes[0].get_title() if axes else ""
    meta = {
        "Title": title or "",
        "Description": description or "",
        "Source": getattr(fig, "groomstats_source", None) or "",
        "Software": "groomstats",
    }
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata=meta, pil_kwargs={"compress_level": 3})
    return buf.getvalue()


def save(
    fig: Figure,
    path: str | Path,
    *,
    title: str | None = None,
    description: str | None = None,
) -> Path:
    """Write ``fig`` as a PNG of exactly 1000 x 600 pixels (for the default size) with metadata.

    The PNG text chunks hold ``Title`` (default: the axes title or figure title),
    ``Description`` and ``Source`` (the chart's source line), so a chart found on disk says what
    it shows and where the numbers come from.

    Parameters
    ----------
    fig
        A figure returned by this module.
    path
        Output file; its parent directory must exist.
    title, description
        Text for the PNG metadata.

    Returns
    -------
    pathlib.Path
        The path written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import polars as pl
    >>> from groomstats import plot
    >>> fig = plot.trend(pl.DataFrame({"period": [1, 2], "offences": [3, 4]}), title="T")
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = plot.save(fig, pathlib.Path(d) / "t.png", description="test")
    ...     p.read_bytes()[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
    True
    """
    _check_figure(fig)
    out = Path(path)
    if not out.parent.is_dir():
        raise GroomstatsError(f"save: directory {out.parent} does not exist — create it first")
    data = to_png(fig, title=title, description=description)
    import os
    import tempfile

    # atomically: a temporary file in the same directory, then a rename over the target (a
    # symlink planted at the target is replaced, never written through)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        mask = os.umask(0o022)
        os.umask(mask)
        os.fchmod(fd, 0o666 & ~mask)  # as open() would create it, not mkstemp's 0600
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out
