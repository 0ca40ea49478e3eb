"""Every ``exclude_re`` entry of ``.cargo/mutants.toml`` still names the code it was written
about (found by hostile testing: entries anchored on line numbers went stale silently when
the file changed). ``mutants/check_exclusions.py`` reads the Rust sources only: no cargo-mutants
build. The checker itself is tested on sources written here, so it can fail.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECKER = ROOT / "mutants" / "check_exclusions.py"

pytestmark = pytest.mark.skipif(
    not (CHECKER.is_file() and (ROOT / ".cargo" / "mutants.toml").is_file()),
    reason="needs the repository's mutants/ and .cargo/ (not shipped in the wheel)",
)


def _checker():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("check_exclusions", CHECKER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["check_exclusions"] = module
    spec.loader.exec_module(module)
    return module


def test_every_exclusion_of_the_repository_names_code_that_exists() -> None:
    ce = _checker()
    toml = (ROOT / ".cargo" / "mutants.toml").read_text(encoding="utf-8")
    assert len(ce.entries(toml)) >= 6  # the list was read, not found empty
    assert ce.check(ROOT) == []


SOURCE = """\
// a || b in a comment is not code
pub fn pick(p: f64, x: f64) -> f64 {
    if p == 0.0 || p == 1.0 || x <= 0.0 {
        return 0.0;
    }
    let s = "a || b";
    if p > 0.5 && x > 1.0 { x } else { p }
}
"""


def _repo(tmp_path: Path, patterns: list[str], source: str = SOURCE) -> Path:
    (tmp_path / ".cargo").mkdir(parents=True)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "lib.rs").write_text(source, encoding="utf-8")
    listed = "\n".join(f"    # why\n    '{p}'," for p in patterns)
    (tmp_path / ".cargo" / "mutants.toml").write_text(
        f'profile = "mutants"\nexclude_re = [\n{listed}\n]\n', encoding="utf-8"
    )
    return tmp_path


def test_a_line_anchor_must_still_hold_its_operator_in_its_function(tmp_path: Path) -> None:
    ce = _checker()
    good = r"^src/lib\.rs:3:17: replace \|\| with && in pick$"
    assert ce.check(_repo(tmp_path / "a", [good])) == []
    # one line added above: the entry now points at the blank line before the function
    moved = "\n" + SOURCE
    (msg,) = ce.check(_repo(tmp_path / "b", [good], moved))
    assert "line 3 column 17 no longer holds '||' inside pick" in msg
    assert "it does at 4:17, 4:29" in msg  # where to re-anchor


def test_a_function_anchor_must_name_the_only_operator_of_its_kind(tmp_path: Path) -> None:
    ce = _checker()
    unique = r"^src/lib\.rs:\d+:\d+: replace && with \|\| in pick$"
    assert ce.check(_repo(tmp_path / "a", [unique])) == []  # the string's || is not code
    several = r"^src/lib\.rs:\d+:\d+: replace \|\| with && in pick$"
    (msg,) = ce.check(_repo(tmp_path / "b", [several]))
    assert "holds '||' 2 times (at 3:17, 3:29)" in msg and "would exclude them all" in msg


def test_a_missing_function_or_file_or_a_bad_pattern_is_named(tmp_path: Path) -> None:
    ce = _checker()
    found = ce.check(
        _repo(
            tmp_path,
            [
                r"^src/lib\.rs:\d+:\d+: replace && with \|\| in gone$",
                r"^src/other\.rs:3:17: replace \|\| with && in pick$",
                r"replace \|\| with && in pick",
            ],
        )
    )
    assert len(found) == 3
    assert "has 0 functions named 'gone'" in found[0]
    assert "src/other.rs does not exist" in found[1]
    assert "not of the form" in found[2]


METHODS = """\
pub fn solve(a: f64) -> f64 {
    if a > 0.0 { a } else { 0.0 }
}
struct Work;
impl Work {
    pub fn solve(&self, a: f64) -> f64 {
        let b = a + 1.0;
        if b > 2.0 { b } else { a }
    }
}
"""


def test_a_method_is_found_in_its_impl_block_as_cargo_mutants_names_it(tmp_path: Path) -> None:
    ce = _checker()
    method = r"^src/lib\.rs:8:14: replace > with >= in Work::solve$"
    assert ce.check(_repo(tmp_path / "a", [method], METHODS)) == []
    # the free function of the same name holds its '>' at 2:10, not the method's
    free = r"^src/lib\.rs:2:10: replace > with >= in Work::solve$"
    (msg,) = ce.check(_repo(tmp_path / "b", [free], METHODS))
    assert "line 2 column 10 no longer holds '>' inside Work::solve" in msg
    assert "it does at 8:14" in msg
    gone = r"^src/lib\.rs:\d+:\d+: replace > with >= in Other::solve$"
    (msg,) = ce.check(_repo(tmp_path / "c", [gone], METHODS))
    assert "0 impl blocks of 'Other'" in msg
