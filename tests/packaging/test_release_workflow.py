"""The release workflow (.github/workflows/release.yml) is valid YAML and builds what the README
promises: an abi3 wheel for Linux, macOS and Windows and the sdist, with maturin's action.

It cannot run here (no GitHub runners); `bash .ci/wheel` builds and installs the Linux wheel.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

yaml = pytest.importorskip("yaml")

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"


def _load() -> dict[Any, Any]:
    doc = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(doc, dict)
    return doc


def _steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job["steps"])


def _maturin_steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for s in _steps(job) if str(s.get("uses", "")).startswith("PyO3/maturin-action@")]


def test_workflow_parses_and_runs_on_tags() -> None:
    doc = _load()
    # YAML 1.1 reads the key `on` as True
    trigger = doc.get("on", doc.get(True))
    assert trigger["push"]["tags"] == ["v*"]
    assert set(doc["jobs"]) >= {"linux", "macos", "windows", "sdist", "release"}


def test_every_platform_builds_a_release_wheel_with_maturin() -> None:
    jobs = _load()["jobs"]
    for name in ("linux", "macos", "windows"):
        steps = _maturin_steps(jobs[name])
        assert len(steps) == 1, name
        args = steps[0]["with"]["args"]
        assert "--release" in args and "--out dist" in args, name
        uploads = [s for s in _steps(jobs[name]) if "upload-artifact" in str(s.get("uses"))]
        assert uploads and uploads[0]["with"]["path"] == "dist", name
    assert _maturin_steps(jobs["linux"])[0]["with"]["manylinux"] == "2014"
    assert jobs["linux"]["strategy"]["matrix"]["target"] == ["x86_64", "aarch64"]
    mac = {m["target"] for m in jobs["macos"]["strategy"]["matrix"]["include"]}
    assert mac == {"x86_64", "aarch64"}


def test_sdist_and_release_collect_everything() -> None:
    jobs = _load()["jobs"]
    (sdist,) = _maturin_steps(jobs["sdist"])
    assert sdist["with"]["command"] == "sdist"
    rel = jobs["release"]
    assert set(rel["needs"]) == {"linux", "macos", "windows", "sdist"}
    assert rel["permissions"] == {"contents": "write"}


def test_the_wheel_is_abi3_for_the_python_floor() -> None:
    """One wheel per platform serves every CPython from the declared floor: abi3 at that floor."""
    cargo = (ROOT / "Cargo.toml").read_text(encoding="utf-8")
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    floor = re.search(r'^requires-python\s*=\s*">=\s*(\d+)\.(\d+)"', pyproject, re.M)
    abi3 = re.findall(r'"abi3-py(\d)(\d+)"', cargo)
    assert floor is not None and abi3 == [floor.groups()]
