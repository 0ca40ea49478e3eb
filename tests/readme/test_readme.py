"""Every Python block of README.md runs as pasted, top to bottom, in one fresh session
(issue 16): on shipped data, or on files the README itself tells the reader how to get."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"


def python_blocks(text: str) -> list[str]:
    """The ```python blocks of a Markdown text, in order."""
    return re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M)


def test_readme_has_python_blocks() -> None:
    assert len(python_blocks(README.read_text(encoding="utf-8"))) >= 5


def test_every_readme_block_runs_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("duckdb")
    import matplotlib

    matplotlib.use("Agg")
    monkeypatch.chdir(tmp_path)  # files the README writes land here
    namespace: dict[str, object] = {"__name__": "__readme__"}
    blocks = python_blocks(README.read_text(encoding="utf-8"))
    for i, block in enumerate(blocks):
        code = compile(block, f"README.md python block {i + 1}", "exec")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the README's own warnings are documented there
            try:
                exec(code, namespace)
            except Exception as e:  # pragma: no cover - the failure message is the point
                pytest.fail(
                    f"README.md python block {i + 1} fails as pasted: "
                    f"{type(e).__name__}: {e}\n---\n{block}"
                )
