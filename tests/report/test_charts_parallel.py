"""Charts drawn once, shared with a forked helper on Linux: same bytes as drawing them alone,
and a helper that fails changes nothing but the time."""

from __future__ import annotations

import os
import sys

import polars as pl
import pytest

from groomstats import plot
from groomstats.report import document
from groomstats.report.document import Document

linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork helper: Linux")


def _doc() -> Document:
    doc = Document("T")
    for k in range(5):
        df = pl.DataFrame({"period": ["2017/18", "2018/19"], "offences": [k + 1, k + 3]})
        doc.chart(f"c{k}", lambda df=df, k=k: plot.trend(df, title=f"chart {k}"), f"chart {k}")
    return doc


@linux
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_helper_draws_the_same_charts(fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setenv("GROOMSTATS_WORKERS", "2")
    assert document._helper_allowed(5)
    shared = _doc().render_charts(fmt)
    monkeypatch.setenv("GROOMSTATS_WORKERS", "1")
    assert not document._helper_allowed(5)
    alone = _doc().render_charts(fmt)
    assert list(shared) == [f"c{k}" for k in range(5)]
    assert shared == alone


@linux
def test_a_failing_helper_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setenv("GROOMSTATS_WORKERS", "2")

    def broken(figs, draw):  # type: ignore[no-untyped-def]
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the helper dies at once
            os._exit(3)
        os.close(write)
        return document._Helper(pid, read, [n for n, _, _ in figs])

    monkeypatch.setattr(document, "_draw_in_helper", broken)
    got = _doc().render_charts("md")
    assert sorted(got) == [f"c{k}" for k in range(5)]
    assert all(isinstance(v, bytes) and v[:4] == b"\x89PNG" for v in got.values())
