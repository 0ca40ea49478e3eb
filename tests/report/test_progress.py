"""Progress of the long steps, and a report from a data file of a single force."""

from __future__ import annotations

from pathlib import Path

from groomstats.report import write_report


def _one_force_csv(path: Path, year: str) -> Path:
    lines = [
        "Financial Year,Financial Quarter,Force Name,Offence Description,Offence Group,"
        "Offence Subgroup,Offence Code,Number of Offences"
    ]
    for q, n in enumerate((3, 4, 5, 6), start=1):  # synthetic counts
        lines.append(
            f"{year},{q},Kent,Sexual grooming,Sexual offences,Other sexual offences,88A,{n}"
        )
    path.write_text("\n".join(lines) + "\n")
    return path


def test_progress_names_every_file_stage_and_chart(tmp_path: Path) -> None:
    files = [
        _one_force_csv(tmp_path / "a.csv", "2017/18"),
        _one_force_csv(tmp_path / "b.csv", "2018/19"),
    ]
    seen: list[tuple[str, int, int]] = []
    res = write_report(
        tmp_path / "out", data=files, progress=lambda w, d, t: seen.append((w, d, t))
    )
    assert seen[:3] == [("reading a.csv", 0, 2), ("reading b.csv", 1, 2), ("data read", 2, 2)]
    assert ("statistics", 0, 1) in seen and ("section: Kent", 1, 1) in seen
    charts = [s for s in seen if s[0].startswith("chart: ")]
    assert charts[-1][1:] == (res.n_charts, res.n_charts)
    # one force: no overdispersion estimate is possible, and the report says nothing of it
    text = res.path.read_text()
    assert res.forces == ["Kent"] and "phi =" not in text
