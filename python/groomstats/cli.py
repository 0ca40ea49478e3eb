"""The ``groomstats`` command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import polars as pl

from groomstats import __version__
from groomstats.exceptions import GroomstatsError

__all__ = ["main"]


def _summary() -> str:
    from groomstats import datasets
    from groomstats.io import grooming

    prc = datasets.prc()
    g = grooming(prc)
    by_q = g.group_by("quarter").agg(pl.col("offences").sum()).sort("quarter")
    lines = [
        "groomstats report: embedded Home Office police recorded crime, 2017/18",
        f"  rows read: {prc.height:,}",
        f"  sexual grooming (88A) offences: {g['offences'].sum():,}",
    ]
    for q, v in by_q.iter_rows():
        lines.append(f"    quarter {q}: {v:,}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``groomstats`` command line and return its exit code."""
    parser = argparse.ArgumentParser(prog="groomstats", description=__doc__)
    parser.add_argument("--version", action="version", version=f"groomstats {__version__}")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("report", help="summarise the embedded data")
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        print(_summary())
    except GroomstatsError as e:
        print(f"groomstats: error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
