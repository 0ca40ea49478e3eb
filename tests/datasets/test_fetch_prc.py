"""``datasets.fetch_prc`` against a local HTTP server started by the test (CI has no
internet): a good download (read, hash recorded, reused from the cache), a corrupted download
(typed error, cache not poisoned), no network (the error names the address and how to download
by hand, then ``--data FILE``), and ``groomstats report --edition``.

The served file is an ODS written here from the real 2017/18 sexual grooming (88A) rows of the
shipped Home Office table (sheet ``2017-18``), as a small stand-in for an official edition.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import polars as pl
import pytest

import groomstats
from groomstats import datasets
from groomstats.cli import main

NAME = "prc-pfa-mar2013-onwards-tables-300125.ods"

if not os.environ.get("CI"):  # pooch is a dependency: CI installs it and never skips here
    pytest.importorskip("pooch")


@pytest.fixture(scope="module")
def ods_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    raw = pl.read_csv(datasets.path("prc"), infer_schema=False)
    rows = raw.filter(pl.col("Offence Code").str.strip_chars() == "88A").to_pandas()
    p = tmp_path_factory.mktemp("ods") / NAME
    with pd.ExcelWriter(p, engine="odf") as xl:
        rows.to_excel(xl, sheet_name="2017-18", index=False)
    return p.read_bytes()


class _Server:
    """Serves ``files`` (path -> bytes) on 127.0.0.1; counts the requests."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.hits = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.hits += 1
                body = server.files.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server(ods_bytes: bytes) -> Iterator[_Server]:
    s = _Server()
    s.files["/media/" + NAME] = ods_bytes
    yield s
    s.close()


def test_good_download_is_read_recorded_and_reused(
    server: _Server, ods_bytes: bytes, tmp_path: Path
) -> None:
    url = server.url("/media/" + NAME)
    df = datasets.fetch_prc("300125", url=url, cache_dir=tmp_path, progress=False)
    want = groomstats.grooming(datasets.prc())
    assert df.height == want.height == 176
    assert df["offences"].sum() == 4_444  # 88A 2017/18 with British Transport Police
    assert (tmp_path / NAME).read_bytes() == ods_bytes
    record = json.loads((tmp_path / "groomstats-downloads.json").read_text())
    assert record[url]["sha256"] == hashlib.sha256(ods_bytes).hexdigest()
    assert record[url]["file"] == NAME
    again = datasets.fetch_prc("300125", url=url, cache_dir=tmp_path, progress=False)
    assert server.hits == 1  # the second call used the cache (hash checked, no download)
    assert again.equals(df)


def test_progress_bar_on_stderr(
    server: _Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    datasets.fetch_prc(url=server.url("/media/" + NAME), cache_dir=tmp_path, progress=True)
    err = capsys.readouterr().err
    assert "100" in err  # the bar reached 100% (tqdm or groomstats' plain bar)


def test_corrupted_download_raises_and_keeps_the_cache_clean(
    server: _Server, ods_bytes: bytes, tmp_path: Path
) -> None:
    url = server.url("/media/" + NAME)
    datasets.fetch_prc(url=url, cache_dir=tmp_path, progress=False)
    recorded = (tmp_path / "groomstats-downloads.json").read_text()
    # the cached copy is damaged on disk and the server now sends different bytes
    (tmp_path / NAME).write_bytes(b"damaged")
    server.files["/media/" + NAME] = ods_bytes[:-100] + b"x" * 100
    with pytest.raises(groomstats.CorruptDownloadError, match=r"does not match the SHA256"):
        datasets.fetch_prc(url=url, cache_dir=tmp_path, progress=False)
    assert (tmp_path / "groomstats-downloads.json").read_text() == recorded
    assert (tmp_path / NAME).read_bytes() == b"damaged"  # not replaced by the bad download
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("tmp")] == []
    # the server is mended: the next call downloads again and the hash matches
    server.files["/media/" + NAME] = ods_bytes
    df = datasets.fetch_prc(url=url, cache_dir=tmp_path, progress=False)
    assert df["offences"].sum() == 4_444
    assert (tmp_path / NAME).read_bytes() == ods_bytes


def test_first_download_not_a_table_is_removed(server: _Server, tmp_path: Path) -> None:
    server.files["/media/" + NAME] = b"<html>Service unavailable</html>"
    url = server.url("/media/" + NAME)
    with pytest.raises(groomstats.CorruptDownloadError, match="not a readable Home Office"):
        datasets.fetch_prc(url=url, cache_dir=tmp_path, progress=False)
    assert not (tmp_path / NAME).exists()
    assert not (tmp_path / "groomstats-downloads.json").exists()


def test_no_network_names_the_url_and_the_way_by_hand(server: _Server, tmp_path: Path) -> None:
    url = server.url("/media/" + NAME)
    server.close()  # nothing listens any more: connection refused
    with pytest.raises(groomstats.DownloadError) as e:
        datasets.fetch_prc(url=url, cache_dir=tmp_path, progress=False)
    msg = str(e.value)
    assert url in msg and "by hand" in msg and "--data FILE" in msg
    assert isinstance(e.value, OSError)
    assert list(tmp_path.iterdir()) == []


def test_http_error_is_a_download_error(server: _Server, tmp_path: Path) -> None:
    url = server.url("/media/missing.ods")
    with pytest.raises(groomstats.DownloadError, match=r"404.*by hand"):
        datasets.fetch_prc(url=url, cache_dir=tmp_path, progress=False)


def test_editions_and_refusals(tmp_path: Path) -> None:
    ed = datasets.prc_editions()
    assert ed["edition"].to_list()[:3] == ["230426", "300125", "250124"]
    assert ed.filter(pl.col("edition") == "300125")["url"][0].startswith(
        "https://assets.publishing.service.gov.uk/"
    )
    # "latest": the newest edition with a known address, and a warning naming the newer one
    from groomstats._fetch import resolve

    with pytest.warns(UserWarning, match=r"newer editions exist \(230426"):
        assert resolve("latest", None) == ("300125", ed["url"][1])
    with pytest.raises(groomstats.GroomstatsError, match=r"not known.*latest, 230426"):
        datasets.fetch_prc("010199", cache_dir=tmp_path)
    with pytest.raises(groomstats.GroomstatsError, match=r"address of its file is not.*url="):
        datasets.fetch_prc("230426", cache_dir=tmp_path)
    with pytest.raises(groomstats.GroomstatsError, match="only https://"):
        datasets.fetch_prc(url="http://example.org/x.ods", cache_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_cli_report_from_an_edition(server: _Server, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    out = tmp_path / "out"
    url = server.url("/media/" + NAME)
    code = main(
        ["report", "--edition", "300125", "--url", url, "--cache-dir", str(cache),
         "--force", "Kent", "--out", str(out), "--quiet"]
    )  # fmt: skip
    assert code == 0
    text = (out / "report.md").read_text()
    assert "Kent recorded 45" in text or "Police in Kent recorded 45" in text
    assert (cache / NAME).exists()


def test_cli_no_network_says_how_to_use_data(
    server: _Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = server.url("/media/" + NAME)
    server.close()
    code = main(["report", "--edition", "latest", "--url", url, "--cache-dir", str(tmp_path)])
    assert code == 2
    err = capsys.readouterr().err
    assert url in err and "--data FILE" in err
    csv = tmp_path / "prc.csv"
    csv.write_bytes(datasets.path("prc").read_bytes())
    assert main(["report", "--edition", "latest", "--data", str(csv)]) == 2
    assert "not both" in capsys.readouterr().err


def test_cli_prints_the_edition_used_and_notes(
    server: _Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = server.url("/media/" + NAME)
    args = ["report", "--url", url, "--cache-dir", str(tmp_path / "c"), "--force", "Kent"]
    assert main([*args, "--out", str(tmp_path / "o")]) == 0
    err = capsys.readouterr().err
    assert "edition 300125: " in err and str(tmp_path / "c" / NAME) in err
