"""``fetch_prc`` / ``groomstats report --edition`` given an edition the way ``read_prc(edition=)``
takes one (``YYYY-MM-DD``) or ``Latest``: the same edition, not "not known to groomstats".
No network: the editions used have no known address, so the call stops before downloading.
"""

from __future__ import annotations

import pytest

import groomstats
from groomstats import datasets


@pytest.mark.parametrize("edition", ["191023", "2023-10-19", " 2023-10-19 "])
def test_iso_date_names_the_same_edition(edition: str) -> None:
    # '2023-10-19' was "not known to groomstats" although read_prc(edition=) takes it
    with pytest.raises(groomstats.GroomstatsError) as e:
        datasets.fetch_prc(edition, progress=False)
    assert str(e.value).startswith(
        "edition 191023 (released 2023-10-19) is known but the address of its file is not"
    )


def test_latest_in_any_case() -> None:
    import warnings

    from groomstats import _fetch

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # newer editions without an address
        assert _fetch.resolve("Latest", None) == _fetch.resolve("latest", None)
