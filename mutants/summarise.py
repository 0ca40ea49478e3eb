"""Write the mutation scores and survivor lists into mutants/SURVIVORS.md and the scores into
mutants/README.md (between their ``<!-- name -->`` markers) from the recorded outcomes:

- Python: ``mutants/python/<module>.json`` (written by ``py_mutants.py --out``);
- Rust: ``mutants/rust/<sample>/*.txt`` (cargo-mutants' ``caught.txt``, ``missed.txt``,
  ``timeout.txt`` and ``unviable.txt`` of a sampled run, copied from ``mutants.out``) and
  ``mutants/rust/<sample>/run.json`` (the sample's name, date and commands);
- the reason each survivor is acceptable (or the word OPEN): ``mutants/reasons.json``, keyed by
  the mutant's name.

    python mutants/summarise.py           # rewrite the marked blocks
    python mutants/summarise.py --check   # fail if a survivor has no reason
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
REASONS = HERE / "reasons.json"


def _reasons() -> dict[str, str]:
    if REASONS.exists():
        data: dict[str, str] = json.loads(REASONS.read_text(encoding="utf-8"))
        return data
    return {}


def python_blocks(reasons: dict[str, str]) -> tuple[str, str, list[str]]:
    rows = []
    surv = []
    missing = []
    total: defaultdict[str, int] = defaultdict(int)
    for path in sorted((HERE / "python").glob("*.json")):
        rec = json.loads(path.read_text(encoding="utf-8"))
        # the run wrote to a scratch path; the outcome is committed as mutants/python/<module>
        rec["command"] = re.sub(
            r"--out \S+", f"--out mutants/python/{path.name}", rec["command"]
        ).replace("python mutants/py_mutants.py ", "")
        if not rec.get("complete", True):
            rec["command"] += (
                f" (stopped after {len(rec['results'])} of {rec['planned']} planned mutants)"
            )
        files = rec["files"]
        for f, s in files.items():
            rows.append(
                f"| `{f}` | {rec['command']} | {rec['date']} | {s['tested']} | {s['caught']} "
                f"| {s['timeout']} | {s['survived']} | {s['uncovered']} | {s['unviable']} "
                f"| **{100 * s['score']:.1f}%** |"
            )
            for k in ("tested", "caught", "survived", "uncovered"):
                total[k] += s[k]
        for r in rec["results"]:
            if r["status"] in ("survived", "uncovered"):
                why = reasons.get(r["name"])
                if why is None:
                    missing.append(r["name"])
                    why = "OPEN: not yet reviewed"
                tag = " (no test runs this line)" if r["status"] == "uncovered" else ""
                surv.append(f"- `{r['name']}`{tag}: {why}")
    score = 100 * total["caught"] / total["tested"] if total["tested"] else 100.0
    table = "\n".join(
        [
            "| file | command (`python mutants/py_mutants.py ...`) | date | tested | caught "
            "| of which timeouts | survived | uncovered | unviable | score |",
            "|---|---|---|---|---|---|---|---|---|---|",
            *rows,
            f"| **all** | | | {total['tested']} | {total['caught']} | | {total['survived']} "
            f"| {total['uncovered']} | | **{score:.1f}%** |",
        ]
    )
    return table, "\n".join(surv), missing


_RS_LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<what>.*)$")
_RS_KINDS = ("caught", "missed", "timeout", "unviable")


def _pct(num: int, den: int) -> str:
    return f"{100 * num / den:.1f}%" if den else "n/a"


def rust_blocks(reasons: dict[str, str]) -> tuple[str, str, list[str]]:
    """The Rust tables: one row per file of every recorded sample (``mutants/rust/<sample>/``
    holds cargo-mutants' outcome files and ``run.json`` with the commands and date), then each
    sample's score as recorded, counting the survivors killed by tests written after the run
    (reason "killed by ..."), and leaving out the proven-equivalent ones (reason "equivalent
    (proved ..."). A survivor's reason is looked up as ``<sample>/<name>``, then ``<name>``."""
    base = HERE / "rust"
    samples = sorted(p for p in base.glob("*") if p.is_dir()) if base.exists() else []
    if not samples:
        return "(no recorded run)", "", []
    rows = []
    notes = []
    surv = []
    missing = []
    grand: dict[str, int] = defaultdict(int)
    for d in samples:
        meta = json.loads((d / "run.json").read_text(encoding="utf-8"))
        counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        missed_lines = []
        for kind in _RS_KINDS:
            p = d / f"{kind}.txt"
            if not p.exists():
                continue
            for line in p.read_text(encoding="utf-8").splitlines():
                m = _RS_LINE.match(line.strip())
                if not m:
                    continue
                counts[m["file"]][kind] += 1
                if kind == "missed":
                    missed_lines.append(line.strip())
        tot: dict[str, int] = defaultdict(int)
        for f in sorted(counts):
            c = counts[f]
            tested = c["caught"] + c["timeout"] + c["missed"]
            rows.append(
                f"| {meta['sample']} | `{f}` | {c['caught']} | {c['timeout']} | {c['missed']} "
                f"| {c['unviable']} | {_pct(c['caught'] + c['timeout'], tested)} |"
            )
            for k in _RS_KINDS:
                tot[k] += c[k]
        caught = tot["caught"] + tot["timeout"]
        tested = caught + tot["missed"]
        rows.append(
            f"| {meta['sample']} | **all** | {tot['caught']} | {tot['timeout']} "
            f"| {tot['missed']} | {tot['unviable']} | **{_pct(caught, tested)}** |"
        )
        killed = equivalent = 0
        for line in missed_lines:
            why = reasons.get(f"{d.name}/{line}", reasons.get(line))
            if why is None:
                missing.append(line)
                why = "OPEN: not yet reviewed"
            killed += why.startswith("killed by")
            equivalent += why.startswith("equivalent (proved")
            surv.append(f"- `{line}` ({meta['sample']}): {why}")
        for key, val in (
            ("caught", caught),
            ("tested", tested),
            ("killed", killed),
            ("equivalent", equivalent),
        ):
            grand[key] += val
        commands = " then ".join(f"`{c}`" for c in meta["commands"])
        notes.append(
            f"- **{meta['sample']}** ({meta['date']}; {commands}): {caught} of {tested} viable "
            f"mutants caught ({_pct(caught, tested)}); with the {killed} survivors killed by "
            f"tests written after the run, {caught + killed} of {tested} "
            f"({_pct(caught + killed, tested)}); leaving out the {equivalent} proven "
            f"equivalent, {caught + killed} of {tested - equivalent} "
            f"({_pct(caught + killed, tested - equivalent)})."
        )
    if len(samples) > 1:
        g = grand
        after = g["caught"] + g["killed"]
        notes.append(
            f"- **all {len(samples)} samples**: {g['caught']} of {g['tested']} caught as recorded "
            f"({_pct(g['caught'], g['tested'])}); {after} of {g['tested']} with the later kills "
            f"({_pct(after, g['tested'])}); {after} of {g['tested'] - g['equivalent']} leaving "
            f"out the proven equivalent ({_pct(after, g['tested'] - g['equivalent'])})."
        )
    table = "\n".join(
        [
            "| sample | file | caught | timeout (caught) | missed | unviable | score |",
            "|---|---|---|---|---|---|---|",
            *rows,
            "",
            *notes,
        ]
    )
    return table, "\n".join(surv), missing


def replace_block(text: str, name: str, body: str) -> str:
    start, end = f"<!-- {name} -->", f"<!-- /{name} -->"
    i, j = text.index(start) + len(start), text.index(end)
    return text[:i] + "\n" + body + "\n" + text[j:]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    reasons = _reasons()
    py_table, py_surv, py_missing = python_blocks(reasons)
    rs_table, rs_surv, rs_missing = rust_blocks(reasons)
    target = HERE / "SURVIVORS.md"
    text = target.read_text(encoding="utf-8")
    for name, body in (
        ("py-score", py_table),
        ("py-surv", py_surv),
        ("rust-score", rs_table),
        ("rust-surv", rs_surv),
    ):
        text = replace_block(text, name, body)
    target.write_text(text, encoding="utf-8")
    readme = HERE / "README.md"
    body = (
        "Python (own test folder only):\n\n" + py_table + "\n\nRust (cargo-mutants):\n\n" + rs_table
    )
    readme.write_text(
        replace_block(readme.read_text(encoding="utf-8"), "scores", body), encoding="utf-8"
    )
    missing = py_missing + rs_missing
    if missing:
        print(f"{len(missing)} survivors without a reason:", file=sys.stderr)
        for m in missing:
            print("  " + m, file=sys.stderr)
        return 1 if args.check else 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
