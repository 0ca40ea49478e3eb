"""Downloading a Home Office edition (:func:`groomstats.datasets.fetch_prc`): the known
editions (``data/prc_editions.json``), the download with ``pooch`` into the user cache, and the
SHA256 of the first download, recorded and checked on every later use.

A download goes to a temporary file first and only replaces the cached copy when it is whole,
matches the recorded hash and, the first time, reads as a Home Office table: a corrupted
download never poisons the cache.
"""

from __future__ import annotations

import json
import os
import re
import sys
import warnings
from collections.abc import Callable
from datetime import datetime, timezone
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlparse

from groomstats.exceptions import CorruptDownloadError, DownloadError, GroomstatsError

__all__ = ["edition_table", "fetch_file", "resolve"]

#: Name of the file (in the cache directory) recording the SHA256 of each first download.
HASHES = "groomstats-downloads.json"


@lru_cache(maxsize=1)
def _editions() -> dict[str, Any]:
    ref = resources.files("groomstats").joinpath("data").joinpath("prc_editions.json")
    data: dict[str, Any] = json.loads(ref.read_text(encoding="utf-8"))
    return data


def edition_table() -> list[dict[str, Any]]:
    """The known editions, newest first: ``edition``, ``released``, ``covers``, ``url``."""
    return list(_editions()["editions"])


def release_page() -> str:
    return str(_editions()["release_page"])


def resolve(edition: str, url: str | None) -> tuple[str, str]:
    """The edition label and the URL to download, or a typed error saying what to do."""
    if not isinstance(edition, str) or not edition.strip():
        raise GroomstatsError(f"edition={edition!r}: give 'latest' or a release date 'DDMMYY'")
    edition = edition.strip()
    if edition.lower() == "latest":
        edition = "latest"
    iso = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", edition)
    if iso:  # '2025-01-30', as read_prc(edition=...) takes it: the DDMMYY of the file name
        edition = f"{iso.group(3)}{iso.group(2)}{iso.group(1)[2:]}"
    known = edition_table()
    if url is not None:
        _check_url(url)
        return (edition if edition != "latest" else _label_from_url(url)), url
    if edition == "latest":
        with_url = [e for e in known if e["url"]]
        newest = with_url[0]
        newer = [e for e in known[: known.index(newest)]]
        if newer:
            names = ", ".join(f"{e['edition']} (released {e['released']})" for e in newer)
            warnings.warn(
                f"fetch_prc: the newest edition groomstats knows the address of is "
                f"{newest['edition']}; newer editions exist ({names}) but their file addresses "
                f"are not known: to use one, copy its ODS link from {release_page()} and pass "
                "url=... (or download it and read it with read_prc / --data FILE)",
                UserWarning,
                stacklevel=3,
            )
        return str(newest["edition"]), str(newest["url"])
    hit = next((e for e in known if e["edition"] == edition), None)
    if hit is None:
        listed = ", ".join(str(e["edition"]) for e in known)
        raise GroomstatsError(
            f"edition {edition!r} is not known to groomstats (known: latest, {listed}); for "
            f"another edition copy its ODS link from {release_page()} and pass url=..."
        )
    if not hit["url"]:
        raise GroomstatsError(
            f"edition {edition} (released {hit['released']}) is known but the address of its "
            f"file is not: copy the ODS link from {release_page()} and pass url=... (or "
            "download it by hand and use read_prc(FILE) / groomstats report --data FILE)"
        )
    return edition, str(hit["url"])


def _check_url(url: str) -> None:
    if not isinstance(url, str):
        raise GroomstatsError(f"url={url!r} must be a string")
    u = urlparse(url)
    loopback = u.hostname in ("127.0.0.1", "localhost", "::1")
    if u.scheme != "https" and not (u.scheme == "http" and loopback):
        raise GroomstatsError(
            f"url={url!r}: only https:// addresses are fetched (http:// only from this "
            "machine, e.g. a local mirror)"
        )
    if not Path(u.path).name:
        raise GroomstatsError(f"url={url!r} does not name a file")


def _label_from_url(url: str) -> str:
    """``.../prc-pfa-mar2013-onwards-tables-300125.ods`` -> ``"300125"`` (else the file stem)."""
    stem = Path(urlparse(url).path).stem
    m = re.search(r"[-_](\d{6})$", stem)
    return m.group(1) if m else stem


class _Bar:
    """A plain progress bar on stderr for pooch (used when tqdm is not installed)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.total = 0
        self.done = 0

    def update(self, n: int) -> None:
        self.done += n
        total = self.total or 0
        if total:
            frac = min(self.done / total, 1.0)
            bar = "#" * int(30 * frac)
            self.stream.write(f"\r[{bar:<30}] {frac:6.1%} of {total / 1e6:.1f} MB")
        else:
            self.stream.write(f"\r{self.done / 1e6:.1f} MB")
        self.stream.flush()

    def reset(self) -> None:
        self.done = 0

    def close(self) -> None:
        self.stream.write("\n")
        self.stream.flush()


def _progressbar(progress: bool) -> Any:
    if not progress:
        return False
    try:
        import tqdm  # noqa: F401
    except ImportError:
        return _Bar(sys.stderr)
    return True


def _hand_download(url: str) -> str:
    return (
        f"Without internet access from Python, download the file by hand from {url} (the "
        f"editions are listed on {release_page()}), then read it with "
        "groomstats.read_prc(FILE) or run: groomstats report --data FILE"
    )


def _records(folder: Path) -> dict[str, Any]:
    p = folder / HASHES
    if not p.exists():
        return {}
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise DownloadError(
            f"the download record {p} cannot be read ({e}): delete it to start afresh"
        ) from e
    return data if isinstance(data, dict) else {}


def _save_record(folder: Path, url: str, fname: str, sha256: str) -> None:
    records = _records(folder)
    records[url] = {
        "file": fname,
        "sha256": sha256,
        "first_downloaded": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    tmp = folder / (HASHES + ".tmp")
    tmp.write_text(json.dumps(records, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, folder / HASHES)


def cache_folder(cache_dir: str | os.PathLike[str] | None) -> Path:
    import pooch

    folder = Path(cache_dir) if cache_dir is not None else Path(pooch.os_cache("groomstats"))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise DownloadError(f"cannot create the cache directory {folder}: {e}") from e
    return folder


def fetch_file(
    edition: str,
    url: str | None,
    cache_dir: str | os.PathLike[str] | None,
    *,
    progress: bool,
    validate: Callable[[Path], Any],
) -> tuple[Path, str, str, Any]:
    """Download (or reuse) an edition; returns (path, edition, url, what ``validate`` returned
    or None when the file came from the cache).

    ``validate(path)`` reads the file the first time it is downloaded; if it fails, the file
    is removed and no hash is recorded (:class:`CorruptDownloadError`)."""
    import pooch

    label, address = resolve(edition, url)
    folder = cache_folder(cache_dir)
    fname = Path(urlparse(address).path).name
    record = _records(folder).get(address)
    known = record["sha256"] if isinstance(record, dict) and "sha256" in record else None
    downloader = pooch.HTTPDownloader(progressbar=_progressbar(progress), timeout=60)
    try:
        path = Path(
            pooch.retrieve(
                address,
                known_hash=f"sha256:{known}" if known else None,
                fname=fname,
                path=folder,
                downloader=downloader,
                progressbar=False,
            )
        )
    except ValueError as e:  # pooch: the hash of the download does not match
        if "hash" not in str(e).lower():
            raise DownloadError(f"could not download edition {label} from {address}: {e}") from e
        raise CorruptDownloadError(
            f"the file downloaded from {address} does not match the SHA256 recorded at its "
            f"first download ({known}, in {folder / HASHES}): it is corrupted or the Home "
            "Office replaced it. Nothing was cached from this download. Try again; if the "
            f"file was replaced on purpose, delete its entry in {folder / HASHES}. "
            + _hand_download(address)
        ) from e
    except OSError as e:  # requests' errors (no network, refused, HTTP 404) are OSErrors
        raise DownloadError(
            f"could not download edition {label} from {address}: "
            f"{type(e).__name__}: {e}. " + _hand_download(address)
        ) from e
    result = None
    if known is None:
        try:
            result = validate(path)
        except GroomstatsError as e:
            path.unlink(missing_ok=True)
            raise CorruptDownloadError(
                f"the file downloaded from {address} is not a readable Home Office table "
                f"({' '.join(str(e).split())[:300]}): it was removed from the cache and no "
                "hash was recorded. " + _hand_download(address)
            ) from e
        _save_record(folder, address, fname, pooch.file_hash(str(path)))
    return path, label, address, result
