"""The ``groomstats`` command line.

``groomstats report`` writes a report for England and Wales and each police force, from the data
embedded in the package, from files given with ``--data``, or from an official Home Office
edition downloaded with ``--edition latest`` (or ``--edition DDMMYY``): Markdown with PNG
charts, or one self-contained HTML file (``--format html``). ``--quiet`` prints only errors;
``--timings`` prints the time of each stage.

Examples
--------
>>> from groomstats.cli import main
>>> main(["report", "--format", "pdf"])
2
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from groomstats._fetch import fetch_file
from groomstats._util import suggest
from groomstats._version import __version__
from groomstats.exceptions import FileAccessError, GroomstatsError
from groomstats.io import read_prc
from groomstats.io._sheets import check_source, expand_pattern
from groomstats.report.sections import write_report

__all__ = ["main"]

_FORMATS = ("md", "html")


class _Parser(argparse.ArgumentParser):
    """argparse with a one-line error message and exit code 2."""

    def error(self, message: str) -> NoReturn:
        print(f"groomstats: error: {message} (see 'groomstats --help')", file=sys.stderr)
        raise SystemExit(2)


class _Progress:
    """Progress on stderr, shown only on a terminal and not with --quiet: reading the data,
    the statistics, each section and each chart."""

    def __init__(self, stream: TextIO, enabled: bool) -> None:
        self.stream = stream
        self.enabled = enabled
        self.width = 0

    def __call__(self, what: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        line = f"[{done}/{total}] {what}"
        pad = max(self.width - len(line), 0)
        self.width = len(line)
        self.stream.write("\r" + line + " " * pad)
        if done >= total:
            self.stream.write("\n")
            self.width = 0
        self.stream.flush()


def _parser() -> _Parser:
    parser = _Parser(
        prog="groomstats",
        description="Statistics on child grooming crimes in England and Wales.",
    )
    parser.add_argument("--version", action="version", version=f"groomstats {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    rep = sub.add_parser(
        "report",
        help="write a report for England and Wales and every force",
        description=(
            "Write a report for England and Wales and each of the 43 police forces, from the "
            "embedded Home Office data or from --data files: report.md with PNG charts, or "
            "one self-contained report.html (--format html)."
        ),
    )
    rep.add_argument(
        "--data",
        nargs="+",
        metavar="FILE",
        type=Path,
        help="Home Office police recorded crime open-data tables (CSV, ODS or XLSX; a quoted "
        "pattern such as 'editions/prc-*.ods' is expanded) to use instead of the embedded "
        "2017/18 table; several editions are combined, each figure counted once",
    )
    rep.add_argument(
        "--edition",
        metavar="EDITION",
        help="download an official Home Office edition and report on it: 'latest' or a "
        "release date DDMMYY (kept in the user cache; its SHA256 is recorded at the first "
        "download and checked on every later use)",
    )
    rep.add_argument(
        "--url",
        metavar="URL",
        help="with --edition: the address of the edition's ODS file, for an edition "
        "groomstats does not know",
    )
    rep.add_argument(
        "--cache-dir", metavar="DIR", type=Path, help="where --edition keeps its downloads"
    )
    rep.add_argument("--force", metavar="NAME", help="report on this force only")
    rep.add_argument(
        "--out", metavar="DIR", type=Path, default=Path("report"), help="output directory"
    )
    rep.add_argument("--format", default="md", metavar="FORMAT", help="md (default) or html")
    rep.add_argument(
        "--quiet",
        "-q",
        action="store_true",
        help="print nothing but errors (no progress, no summary)",
    )
    rep.add_argument(
        "--timings", action="store_true", help="print the time each stage took (on stderr)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``groomstats`` command line and return its exit code."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:
        return int(e.code) if isinstance(e.code, int) else 2
    if args.command is None:
        parser.print_help()
        return 0
    if args.format.strip().lower() in _FORMATS:  # 'HTML', '.md'
        args.format = args.format.strip().lower()
    elif args.format.strip().lower().lstrip(".") in _FORMATS:
        args.format = args.format.strip().lower().lstrip(".")
    if args.format not in _FORMATS:
        hint = suggest(args.format, _FORMATS)
        extra = f" — did you mean '{hint}'?" if hint else ""
        print(
            f"groomstats: error: --format {args.format!r} is not one of 'md', 'html'{extra}",
            file=sys.stderr,
        )
        return 2
    files: list[Path] = []
    for f in args.data or []:
        try:
            matched = expand_pattern(f)  # a quoted pattern: 'editions/prc-*.ods'
            if matched is not None:
                files.extend(matched)
                continue
            check_source(f)
        except FileAccessError as e:
            reason = str(e).removeprefix(f"cannot read '{f}': ")
            print(
                f"groomstats: error: cannot read --data file {str(f)!r}: {reason}", file=sys.stderr
            )
            return 2
        files.append(f)
    if args.data:
        args.data = files
    if args.out.exists() and not args.out.is_dir():
        print(f"groomstats: error: --out {args.out} exists and is not a directory", file=sys.stderr)
        return 2
    created = not args.out.exists()
    try:
        args.out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        reason = e.strerror or type(e).__name__
        print(
            f"groomstats: error: cannot write the report to --out {str(args.out)!r}: {reason}; "
            "choose a directory you can write to",
            file=sys.stderr,
        )
        return 2
    code = _report(args)
    if code and created and args.out.is_dir() and not any(args.out.iterdir()):
        args.out.rmdir()  # made above for a report that failed: leave nothing behind
    return code


def _report(args: argparse.Namespace) -> int:
    """Read the data and write the report (the arguments checked)."""
    progress = _Progress(sys.stderr, enabled=sys.stderr.isatty() and not args.quiet)
    start = time.perf_counter()
    data = list(args.data or ())
    if args.edition is not None or args.url is not None:
        if data:
            print(
                "groomstats: error: give either --edition (download) or --data FILE, not both",
                file=sys.stderr,
            )
            return 2
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", UserWarning)
                path, label, _url, _frame = fetch_file(
                    args.edition or "latest",
                    args.url,
                    args.cache_dir,
                    progress=progress.enabled,
                    validate=read_prc,
                )
        except GroomstatsError as e:
            print(f"groomstats: error: {' '.join(str(e).split())}", file=sys.stderr)
            return 2
        for w in caught if not args.quiet else []:
            print(f"groomstats: note: {' '.join(str(w.message).split())}", file=sys.stderr)
        if not args.quiet:
            print(f"groomstats: edition {label}: {path}", file=sys.stderr)
        data = [path]
    try:
        with warnings.catch_warnings(record=True) as seen:  # the filters in force still apply
            result = write_report(
                args.out,
                data=data,
                force=args.force,
                fmt=args.format,
                progress=progress,
            )
    except GroomstatsError as e:
        print(f"groomstats: error: {' '.join(str(e).split())}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"groomstats: error: {e}", file=sys.stderr)
        return 2
    _show_warnings(seen, quiet=args.quiet)
    if not args.quiet:
        print(result.summary(time.perf_counter() - start))
    if args.timings:
        print(result.timing_lines(), file=sys.stderr)
    return 0


def _show_warnings(seen: list[warnings.WarningMessage], *, quiet: bool) -> None:
    """The data's warnings (a total that does not add up, a population year replaced, ...) as
    one line each on stderr, each once; not with --quiet. Other warnings as Python shows
    them."""
    shown: set[str] = set()
    for w in seen:
        if not issubclass(w.category, UserWarning):
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)
            continue
        text = " ".join(str(w.message).split())
        if quiet or text in shown:
            continue
        shown.add(text)
        print(f"groomstats: warning: {text}", file=sys.stderr)


if __name__ == "__main__":
    raise SystemExit(main())
