"""The structured columns of the published tables are derived from their own quoted notes.

``news_force_figures.csv`` gives the platform and age counts a news report quoted (columns
``platform_offences``/``platform`` and ``age_group_offences``/``age_group``);
``nspcc_scwc_national.csv`` names the forces missing from a national total
(``forces_missing``). Profiles read these columns, never the free text; this test re-derives
them from the notes of the shipped files so the two cannot drift apart.
"""

from __future__ import annotations

import re

import polars as pl

from groomstats import datasets

_SHARE = re.compile(r"(\d+) (?:involved|recorded as involving) ([^;]+)")
_PLATFORMS = ("facebook", "snapchat", "instagram", "whatsapp", "messenger", "kik", "skype")


def _derived_shares(note: str | None) -> dict[str, tuple[int, str]]:
    out: dict[str, tuple[int, str]] = {}
    for m in _SHARE.finditer(note or ""):
        what = m.group(2).strip().rstrip(".")
        kind = "platform" if any(w in what.lower() for w in _PLATFORMS) else "age"
        assert kind == "platform" or "aged" in what.lower(), what
        out[kind] = (int(m.group(1)), what)
    return out


def test_news_share_columns_match_their_notes() -> None:
    news = datasets.news_figures()
    seen = 0
    for r in news.iter_rows(named=True):
        d = _derived_shares(r["note"])
        for kind, count, what in (
            ("platform", "platform_offences", "platform"),
            ("age", "age_group_offences", "age_group"),
        ):
            if kind in d:
                assert (r[count], r[what]) == d[kind], r
                assert r[count] <= r["offences"]
                seen += 1
            else:
                assert r[count] is None and r[what] is None, r
    # Nottinghamshire (platform and age) and Cambridgeshire (platform)
    assert seen == 3


def test_forces_missing_named_in_the_note() -> None:
    nat = datasets.nspcc_national()
    names = set(datasets.forces()["force"].to_list())
    rows = nat.filter(pl.col("forces_missing").is_not_null())
    assert rows.height == 2
    for r in nat.iter_rows(named=True):
        note = r["note"] or ""
        said = "missing" in note or "except" in note
        missing = [f.strip() for f in (r["forces_missing"] or "").split(";") if f.strip()]
        assert bool(missing) == said, r
        for f in missing:
            assert f in names and f in note, (f, note)
        if said:  # every force the note names is listed
            assert sorted(missing) == sorted(f for f in names if f in note)
