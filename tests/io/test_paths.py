"""Paths a reader refuses before opening (issue 16): every refusal is a GroomstatsError that is
also an OSError, naming the path."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

import groomstats
from groomstats import FileAccessError, MissingFileError

EMBEDDED = (
    Path(groomstats.__file__).parent / "data" / "prc-pfa-mar2013-onwards-tables-2017-18.csv.gz"
)


def test_empty_path_and_directory_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("x\n1\n")
    with pytest.raises(FileAccessError, match="the path is empty"):
        groomstats.read_prc("")
    with pytest.raises(FileAccessError, match="it is a directory"):
        groomstats.read_prc(tmp_path)
    with pytest.raises(FileAccessError, match="it is a directory"):
        groomstats.read_breakdown(tmp_path, category="platform")


def test_fifo_is_refused_before_opening(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(FileAccessError, match="not a regular file"):
        groomstats.read_prc(fifo)


def test_missing_and_too_long_names_are_typed(tmp_path: Path) -> None:
    with pytest.raises(MissingFileError, match="no such file") as e:
        groomstats.read_prc(tmp_path / "absent.csv")
    assert isinstance(e.value, FileNotFoundError)
    assert isinstance(e.value, groomstats.GroomstatsError)
    with pytest.raises(FileAccessError, match="File name too long"):
        groomstats.read_prc(tmp_path / ("x" * 300 + ".csv"))


def test_csv_with_title_rows_reads_like_the_plain_file(tmp_path: Path) -> None:
    text = gzip.open(EMBEDDED, "rt").read()
    titled = tmp_path / "titled.csv"
    titled.write_text("Police recorded crime by police force area\n\n" + text)
    df, rep = groomstats.read_prc(titled, report=True)
    assert df.equals(groomstats.read_prc(EMBEDDED))
    assert df.height == 23_068  # rows of the real 2017/18 table
    assert rep.rows_read == 23_068
