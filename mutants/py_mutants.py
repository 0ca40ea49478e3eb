"""Mutation testing for the Python statistics modules: the cargo-mutants idea, in one script.

Each mutant is one small change to one source file (a comparison flipped, an arithmetic or
boolean operator swapped, a keyword argument dropped from a call, a number nudged); the
module's own tests are run against it and it is *caught* when they fail (or time out). The
files are edited in place and always restored, so run it on a clean checkout with the package
installed in development mode (``maturin develop``)::

    python mutants/py_mutants.py                       # every module, every mutant
    python mutants/py_mutants.py --module compare --list
    python mutants/py_mutants.py --sample 4 --seed 1   # one mutant in four, deterministic
    python mutants/py_mutants.py --per-module 8        # eight evenly spaced per module

The score and the survivors are written to ``mutants/python-outcomes.json`` (``--out``).
Survivors are reviewed by hand in ``mutants/SURVIVORS.md``.
"""

from __future__ import annotations

import argparse
import ast
import json
import random
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "python" / "groomstats"

# module -> the tests that exercise it (paths that do not exist are skipped, so the map survives
# tests moving into tests/<module>/ folders)
MODULES: dict[str, list[str]] = {
    "intervals": ["tests/intervals", "tests/test_rates.py"],
    "compare": ["tests/compare", "tests/test_change.py"],
    "funnels": ["tests/funnels", "tests/test_funnel.py"],
    "proportions": ["tests/proportions", "tests/test_shares.py"],
    "counts": ["tests/counts", "tests/test_totals.py"],
    "trends": [
        "tests/trends",
        "tests/test_trend.py",
        "tests/test_joinpoint.py",
        "tests/test_interrupted.py",
    ],
    "periods": ["tests/periods", "tests/test_period.py"],
}

COMPARE_SWAPS = {
    ast.Lt: ("<", "<="),
    ast.LtE: ("<=", "<"),
    ast.Gt: (">", ">="),
    ast.GtE: (">=", ">"),
    ast.Eq: ("==", "!="),
    ast.NotEq: ("!=", "=="),
}
BINOP_SWAPS = {
    ast.Add: ("+", "-"),
    ast.Sub: ("-", "+"),
    ast.Mult: ("*", "/"),
    ast.Div: ("/", "*"),
}
BOOL_SWAPS = {ast.And: (" and ", " or "), ast.Or: (" or ", " and ")}


@dataclass(frozen=True)
class Mutant:
    module: str
    line: int
    start: int  # character offsets into the file text
    end: int
    old: str
    new: str
    what: str

    @property
    def name(self) -> str:
        return f"{self.module}.py:{self.line}: {self.what}"


def _offsets(text: str) -> list[int]:
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    return starts


def _docstring_nodes(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def find_mutants(module: str) -> list[Mutant]:
    path = PKG / f"{module}.py"
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    offs = _offsets(text)
    skip = _docstring_nodes(tree)

    def pos(line: int, col: int) -> int:
        # ast columns are UTF-8 byte offsets; convert within the line
        line_text = text[offs[line - 1] : offs[line]]
        return offs[line - 1] + len(line_text.encode("utf-8")[:col].decode("utf-8"))

    out: list[Mutant] = []

    def between(a: ast.AST, b: ast.AST, token: str, new: str, what: str, line: int) -> None:
        s, e = pos(a.end_lineno, a.end_col_offset), pos(b.lineno, b.col_offset)  # type: ignore[arg-type]
        seg = text[s:e]
        i = seg.find(token.strip())
        if i < 0:
            return
        # replace the bare operator (keep the surrounding spaces)
        tok = token.strip()
        out.append(Mutant(module, line, s + i, s + i + len(tok), tok, new.strip(), what))

    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Compare):
            left = node.left
            for op, right in zip(node.ops, node.comparators, strict=True):
                if type(op) in COMPARE_SWAPS:
                    old, new = COMPARE_SWAPS[type(op)]
                    between(left, right, old, new, f"replace {old} with {new}", line)
                left = right
        elif isinstance(node, ast.BinOp) and type(node.op) in BINOP_SWAPS:
            if isinstance(node.left, ast.Constant) and isinstance(node.left.value, str):
                continue  # string concatenation / formatting
            old, new = BINOP_SWAPS[type(node.op)]
            between(node.left, node.right, old, new, f"replace {old} with {new}", line)
        elif isinstance(node, ast.BoolOp) and type(node.op) in BOOL_SWAPS:
            old, new = BOOL_SWAPS[type(node.op)]
            for a, b in zip(node.values, node.values[1:], strict=False):
                between(a, b, old, new, f"replace {old.strip()} with {new.strip()}", line)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            s = pos(node.lineno, node.col_offset)
            e = pos(node.operand.lineno, node.operand.col_offset)
            out.append(Mutant(module, line, s, e, text[s:e], "", "delete not"))
        elif isinstance(node, ast.Call):
            for kw in node.keywords:
                if kw.arg is None:
                    continue
                s = pos(kw.lineno, kw.col_offset)
                e = pos(kw.end_lineno, kw.end_col_offset)  # type: ignore[arg-type]
                # swallow the following comma so the call stays valid
                rest = text[e:]
                stripped = rest.lstrip(" ")
                if stripped.startswith(","):
                    e += len(rest) - len(stripped) + 1
                out.append(
                    Mutant(module, line, s, e, text[s:e], "", f"drop keyword {kw.arg}= from call")
                )
        elif (
            isinstance(node, ast.Constant)
            and id(node) not in skip
            and type(node.value) in (int, float)
            and node.end_lineno == node.lineno
        ):
            s = pos(node.lineno, node.col_offset)
            e = pos(node.lineno, node.end_col_offset)  # type: ignore[arg-type]
            v = node.value
            new = repr(v + 1) if v not in (0, 1) else repr(1 - v)
            what = f"replace {text[s:e]} with {new}"
            out.append(Mutant(module, line, s, e, text[s:e], new, what))
    # one mutant per (span, replacement); annotations and docstrings never hold these nodes
    uniq = {(m.start, m.end, m.new): m for m in out}
    return sorted(uniq.values(), key=lambda m: (m.start, m.new))


def run_tests(module: str, timeout: float) -> tuple[str, float]:
    paths = [p for p in MODULES[module] if (ROOT / p).exists()]
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        "-x",
        "-q",
        "-p",
        "no:cacheprovider",
        "--no-header",
        "-o",
        "addopts=--import-mode=importlib",
        *paths,
    ]
    t0 = time.monotonic()
    try:
        r = subprocess.run(cmd, cwd=ROOT, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return "timeout", time.monotonic() - t0
    return ("survived" if r.returncode == 0 else "caught"), time.monotonic() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--module", action="append", choices=sorted(MODULES))
    ap.add_argument("--list", action="store_true", help="list the mutants and stop")
    ap.add_argument("--sample", type=int, default=1, help="test one mutant in N (default all)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--per-module", type=int, default=0, help="test N evenly spaced mutants of each module"
    )
    ap.add_argument("--only", action="append", help="test only mutants whose name contains this")
    ap.add_argument("--timeout", type=float, default=300.0)
    ap.add_argument("--out", type=Path, default=ROOT / "mutants" / "python-outcomes.json")
    args = ap.parse_args()
    modules = args.module or sorted(MODULES)
    mutants = []
    for mod in modules:
        found = find_mutants(mod)
        if 0 < args.per_module < len(found):
            step = len(found) / args.per_module
            found = [found[int(i * step)] for i in range(args.per_module)]
        mutants += found
    if args.only:
        mutants = [m for m in mutants if any(o in m.name for o in args.only)]
    if args.sample > 1:
        rng = random.Random(args.seed)
        mutants = [m for m in mutants if rng.randrange(args.sample) == 0]
    if args.list:
        for m in mutants:
            print(m.name)
        print(f"{len(mutants)} mutants")
        return 0
    for mod in modules:
        status, secs = run_tests(mod, args.timeout)
        if status != "survived":
            print(f"baseline tests of {mod} fail ({status}): fix them first", file=sys.stderr)
            return 2
        print(f"baseline {mod}: {secs:.0f}s")
    results = []
    for i, m in enumerate(mutants, 1):
        path = PKG / f"{m.module}.py"
        original = path.read_text(encoding="utf-8")
        mutated = original[: m.start] + m.new + original[m.end :]
        try:
            ast.parse(mutated)
        except SyntaxError:
            status, secs = "unviable", 0.0
        else:
            try:
                path.write_text(mutated, encoding="utf-8")
                status, secs = run_tests(m.module, args.timeout)
            finally:
                path.write_text(original, encoding="utf-8")
        results.append({**asdict(m), "name": m.name, "status": status})
        print(f"[{i}/{len(mutants)}] {status.upper():9} {m.name} ({secs:.0f}s)", flush=True)
    tested = [r for r in results if r["status"] != "unviable"]
    caught = sum(r["status"] in ("caught", "timeout") for r in tested)
    score = caught / len(tested) if tested else 1.0
    summary = {
        "command": " ".join(["python", "mutants/py_mutants.py", *sys.argv[1:]]),
        "modules": modules,
        "tested": len(tested),
        "caught": caught,
        "score": round(score, 4),
        "survivors": [r["name"] for r in tested if r["status"] == "survived"],
        "results": results,
    }
    args.out.write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    print(f"{caught}/{len(tested)} caught ({100 * score:.1f}%); survivors:")
    for s in summary["survivors"]:
        print("  " + s)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
