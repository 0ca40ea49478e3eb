"""Run every ``benches/bench_*.py`` and print one table of groomstats against its peers.

Each script runs in its own subprocess with a time budget (a script over budget is stopped and
reported as such, the others still run). Results are collected from what the scripts print:

* a line ``BENCH {json}`` with keys ``bench``, ``task``, ``groomstats_s``, ``peer``, ``peer_s``
  (optional ``note``; optional ``unit``, e.g. ``"MB"`` for peak memory instead of seconds)
  gives one row with both figures;
* otherwise every printed line holding a ratio (``... 12.3x ...``) gives one row with that line
  as its label and the ratio as printed (scripts say which way their ratio runs).

Usage::

    python benches/run.py                 # every bench, full size
    python benches/run.py --quick         # GROOMSTATS_BENCH_QUICK=1: smaller inputs, budget 120 s
    python benches/run.py --only rates,aggregate --markdown benches/results.md

``speed-up`` is peer time / groomstats time: above 1, groomstats is faster (for a memory row,
peer MB / groomstats MB: above 1, groomstats uses less). Scripts time alternating runs and
report medians, so order and warm-up effects do not favour either side.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
RATIO = re.compile(r"(?<![\w.])(\d[\d,]*(?:\.\d+)?)\s?x\b")


@dataclass
class Row:
    bench: str
    task: str
    ours_s: float | None = None
    peer: str = ""
    peer_s: float | None = None
    ratio: str = ""
    status: str = "ok"
    unit: str = "s"

    def speedup(self) -> str:
        if self.ours_s and self.peer_s:
            return f"{self.peer_s / self.ours_s:,.2f}x"
        return self.ratio


def machine() -> dict[str, str]:
    """nproc, CPU model, memory, load and the library versions, for the results header."""
    info = {"cores": str(os.cpu_count()), "python": platform.python_version()}
    try:
        cpu = Path("/proc/cpuinfo").read_text()
        m = re.search(r"^model name\s*:\s*(.+)$", cpu, re.M)
        info["cpu"] = m.group(1).strip() if m else platform.processor()
        mem = Path("/proc/meminfo").read_text()
        kb = re.search(r"^MemTotal:\s*(\d+)", mem, re.M)
        info["memory"] = f"{int(kb.group(1)) / 1024**2:.1f} GiB" if kb else "?"
        info["load"] = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        info["cpu"] = platform.processor() or "?"
    for mod in ("groomstats", "polars", "numpy", "scipy", "statsmodels"):
        try:
            info[mod] = __import__(mod).__version__
        except Exception:  # a peer missing: say so, don't fail the run
            info[mod] = "not installed"
    return info


def parse(bench: str, stdout: str) -> list[Row]:
    rows: list[Row] = []
    plain: list[Row] = []
    context = ""  # the last unindented heading line, e.g. "Wilson limits ..., 1,000,000 rows"
    for line in stdout.splitlines():
        if line.strip() and not line[0].isspace() and not RATIO.search(line):
            context = line.strip().rstrip(":")
        if line.startswith("BENCH "):
            try:
                d = json.loads(line[6:])
            except json.JSONDecodeError:
                continue
            rows.append(
                Row(
                    bench=str(d.get("bench", bench)),
                    task=str(d.get("task", "")),
                    ours_s=float(d["groomstats_s"]),
                    peer=str(d.get("peer", "")),
                    peer_s=float(d["peer_s"]),
                    status=str(d.get("note", "ok")),
                    unit=str(d.get("unit", "s")),
                )
            )
        elif m := RATIO.search(line):
            plain.append(
                Row(
                    bench=bench,
                    task=(f"{context}: " if context and line[0].isspace() else "")
                    + " ".join(line.split()),
                    ratio=f"{m.group(1)}x",
                    status="ratio as printed: its direction is in the task text",
                )
            )
    return rows or plain


def run_one(path: Path, budget: float, quick: bool) -> tuple[list[Row], float, str]:
    env = dict(os.environ)
    if quick:
        env["GROOMSTATS_BENCH_QUICK"] = "1"
    name = path.stem.removeprefix("bench_")
    t0 = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, str(path)],
            capture_output=True,
            text=True,
            timeout=budget,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        rows = parse(name, out)
        return rows or [Row(name, "", status=f"stopped: over {budget:.0f} s budget")], budget, out
    took = time.perf_counter() - t0
    rows = parse(name, done.stdout)
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["?"])[-1][:80]
        rows.append(Row(name, "", status=f"failed ({done.returncode}): {tail}"))
    elif not rows:
        rows.append(Row(name, "", status="no ratio printed"))
    return rows, took, done.stdout


def fmt_s(s: float | None, unit: str = "s") -> str:
    if s is None:
        return ""
    if unit != "s":
        return f"{s:,.0f} {unit}"
    return f"{s * 1e3:,.1f} ms" if s < 1 else f"{s:,.2f} s"


def table(rows: list[Row], markdown: bool) -> str:
    head = ["bench", "task", "groomstats", "peer", "peer time", "speed-up / ratio", "note"]
    body = [
        [
            r.bench,
            r.task,
            fmt_s(r.ours_s, r.unit),
            r.peer,
            fmt_s(r.peer_s, r.unit),
            r.speedup(),
            r.status,
        ]
        for r in rows
    ]
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in b) + " |" for b in body]
        return "\n".join(lines)
    widths = [max(len(x) for x in col) for col in zip(head, *body, strict=True)]
    out = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))]
    out.append("  ".join("-" * w for w in widths))
    out += ["  ".join(c.ljust(w) for c, w in zip(b, widths, strict=True)) for b in body]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument(
        "--quick", action="store_true", help="smaller inputs (GROOMSTATS_BENCH_QUICK=1)"
    )
    ap.add_argument("--budget", type=float, help="seconds per script (default 600, quick 120)")
    ap.add_argument("--only", help="comma-separated bench names, e.g. rates,aggregate")
    ap.add_argument("--markdown", metavar="PATH", help="also write the table as Markdown")
    ap.add_argument("--verbose", action="store_true", help="echo each script's own output")
    args = ap.parse_args(argv)
    budget = args.budget or (120.0 if args.quick else 600.0)
    scripts = sorted(HERE.glob("bench_*.py"))
    if args.only:
        want = {w.strip() for w in args.only.split(",")}
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in want]
    info = machine()
    header = (
        f"{info['cores']} cores, {info.get('cpu', '?')}, {info.get('memory', '?')} RAM, "
        f"load {info.get('load', '?')} at start; Python {info['python']}, "
        f"groomstats {info['groomstats']}, polars {info['polars']}, numpy {info['numpy']}, "
        f"scipy {info['scipy']}, statsmodels {info['statsmodels']}"
        + ("; --quick" if args.quick else "")
    )
    print(header, flush=True)
    rows: list[Row] = []
    for s in scripts:
        print(f"running {s.name} (budget {budget:.0f} s) ...", flush=True)
        got, took, out = run_one(s, budget, args.quick)
        if args.verbose:
            print(out)
        print(f"  {took:.1f} s", flush=True)
        rows += got
    print()
    print(table(rows, markdown=False))
    if args.markdown:
        Path(args.markdown).write_text(f"{header}\n\n{table(rows, markdown=True)}\n")
        print(f"\nwrote {args.markdown}")
    return 1 if any(r.status.startswith(("failed", "stopped")) for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
