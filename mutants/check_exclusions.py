"""Check that every ``exclude_re`` entry of ``.cargo/mutants.toml`` still names the code it was
written about, without building or running cargo-mutants.

cargo-mutants names a mutant ``<file>:<line>:<col>: replace <op> with <op> in <function>`` and
``exclude_re`` matches those names, so an entry can be anchored only on what a name holds.
An entry is written in one of two ways:

* by function: ``'^src/x\\.rs:\\d+:\\d+: replace && with \\|\\| in r2_max$'`` names one mutant
  only while the function holds that operator once; this check fails when it holds it more
  than once (the entry would hide the new ones) or not at all;
* by line and column, where the function holds the operator more than once:
  ``'^src/x\\.rs:79:17: replace \\|\\| with && in chisq_quantile$'``. An edit above the line
  makes such an entry match nothing (the mutant comes back as a survivor, never hides
  another), and this check fails at once: the line must still be inside the function and hold
  the operator at that column. The message lists where the function now holds it.

    python mutants/check_exclusions.py      # exit 1 with the stale entries listed
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: An entry's pattern: anchored file, line and column (digits, or ``\d+`` for any), the
#: operator replaced, its replacement and the function.
ENTRY = re.compile(
    r"^\^(?P<file>[^:]+):(?P<line>\d+|\\d\+):(?P<col>\d+|\\d\+): replace (?P<op>.+?) with "
    r"(?P<to>.+?) in (?P<fn>\w+(?:::\w+)?)\$$"
)

#: Each binary operator as a token (not part of a longer one such as ``+=``, ``->``, ``>=``).
#: A unary minus or a dereference counts too: over-counting only asks for a line anchor.
TOKENS = {
    "||": r"\|\|",
    "&&": r"&&",
    "==": r"==",
    "!=": r"!=",
    "*": r"(?<![*/])\*(?![*=/])",
    "/": r"(?<![*/])/(?![*=/])",
    "+": r"\+(?!=)",
    "-": r"(?<!-)-(?![>=])",
    ">": r"(?<![-=>])>(?![=>])",
    "<": r"(?<![<])<(?![=<])",
    ">=": r">=",
    "<=": r"<=",
}


@dataclass(frozen=True)
class Entry:
    pattern: str
    file: str
    line: int | None
    col: int | None
    op: str
    fn: str


def entries(toml_text: str) -> list[str]:
    """The patterns of the ``exclude_re`` list (single-quoted TOML literal strings)."""
    m = re.search(r"^exclude_re\s*=\s*\[(.*?)^\]", toml_text, re.S | re.M)
    if m is None:
        return []
    body = "\n".join(line.split("#", 1)[0] for line in m.group(1).splitlines())
    return re.findall(r"'([^']*)'", body)


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def parse(pattern: str) -> Entry | str:
    """The entry, or why it cannot be checked."""
    m = ENTRY.match(pattern)
    if m is None:
        return (
            f"{pattern!r}: not of the form '^<file>:<line>:<col>: replace <op> with <op> in "
            "<function>$' (line and column digits, or \\d+ for an entry anchored by function)"
        )
    line, col = m.group("line"), m.group("col")
    if line.isdigit() != col.isdigit():
        return f"{pattern!r}: give both line and column, or neither (\\d+:\\d+)"
    return Entry(
        pattern=pattern,
        file=_unescape(m.group("file")),
        line=int(line) if line.isdigit() else None,
        col=int(col) if col.isdigit() else None,
        op=_unescape(m.group("op")),
        fn=m.group("fn"),
    )


def _blank_comments_and_strings(src: str) -> str:
    """The source with comments and string literals blanked (same length, same lines)."""
    out: list[str] = []
    i, n = 0, len(src)
    while i < n:
        if src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j < 0 else j
        elif src.startswith("/*", i):
            j = src.find("*/", i + 2)
            j = n if j < 0 else j + 2
        elif src[i] == '"':
            j = i + 1
            while j < n and src[j] != '"':
                j += 2 if src[j] == "\\" else 1
            j += 1
        else:
            out.append(src[i])
            i += 1
            continue
        out.append(re.sub(r"[^\n]", " ", src[i:j]))
        i = j
    return "".join(out)


def _block(code: str, start: int, what: str) -> tuple[int, int] | str:
    """Offsets of the braced block opening at or after ``start``."""
    start = code.index("{", start)
    depth = 0
    for k in range(start, len(code)):
        depth += {"{": 1, "}": -1}.get(code[k], 0)
        if depth == 0:
            return start, k + 1
    return f"the body of '{what}' never closes"


def _function_span(code: str, fn: str) -> tuple[int, int] | str:
    """Offsets of the body of the one ``fn <name>`` in ``code`` (braces included); a method
    is named ``Type::name`` (as cargo-mutants names it) and looked for in ``impl Type``."""
    lo, hi = 0, len(code)
    if "::" in fn:
        owner, fn = fn.split("::", 1)
        impls = list(re.finditer(rf"\bimpl(?:<[^>]*>)?\s+{re.escape(owner)}\b[^{{;]*", code))
        spans = [_block(code, m.end(), owner) for m in impls]
        holding = [
            s
            for s in spans
            if not isinstance(s, str) and re.search(rf"\bfn\s+{re.escape(fn)}\b", code[s[0] : s[1]])
        ]
        if len(holding) != 1:
            return f"{len(holding)} impl blocks of '{owner}' with a function '{fn}'"
        lo, hi = holding[0]
    found = [m for m in re.finditer(rf"\bfn\s+{re.escape(fn)}\b", code[lo:hi])]
    if len(found) != 1:
        return f"{len(found)} functions named '{fn}'"
    return _block(code, lo + found[0].end(), fn)


def problems(entry: Entry, root: Path = ROOT) -> list[str]:
    """Why ``entry`` no longer names the code it was written about (empty when it does)."""
    path = root / entry.file
    if not path.is_file():
        return [f"{entry.pattern!r}: {entry.file} does not exist"]
    if entry.op not in TOKENS:
        return [f"{entry.pattern!r}: no token rule for operator {entry.op!r} in TOKENS"]
    code = _blank_comments_and_strings(path.read_text(encoding="utf-8"))
    span = _function_span(code, entry.fn)
    if isinstance(span, str):
        return [f"{entry.pattern!r}: {entry.file} has {span}"]
    lo, hi = span
    hits = [lo + m.start() for m in re.finditer(TOKENS[entry.op], code[lo:hi])]
    where = [(code.count("\n", 0, h) + 1, h - code.rfind("\n", 0, h)) for h in hits]
    listed = ", ".join(f"{ln}:{c}" for ln, c in where) or "nowhere"
    if entry.line is None:
        if len(hits) != 1:
            return [
                f"{entry.pattern!r}: anchored by function, but {entry.fn} holds {entry.op!r} "
                f"{len(hits)} times (at {listed}): the entry would exclude "
                f"{'them all' if hits else 'nothing'}; anchor it on the line and column of "
                "the one that is equivalent"
            ]
        return []
    if (entry.line, entry.col) not in where:
        return [
            f"{entry.pattern!r}: {entry.file} line {entry.line} column {entry.col} no longer "
            f"holds {entry.op!r} inside {entry.fn} (it does at {listed}): the code moved or "
            "changed; read it again and re-anchor the entry, or drop it"
        ]
    return []


def check(root: Path = ROOT) -> list[str]:
    """Every problem of every entry of ``root/.cargo/mutants.toml``."""
    toml = root / ".cargo" / "mutants.toml"
    out: list[str] = []
    for pattern in entries(toml.read_text(encoding="utf-8")):
        entry = parse(pattern)
        out.extend([entry] if isinstance(entry, str) else problems(entry, root))
    return out


def main() -> int:
    found = check()
    for p in found:
        print(p, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
