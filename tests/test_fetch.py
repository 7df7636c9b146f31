"""URLs as inputs, against a real web server on 127.0.0.1 (tests/support/web_server.py) serving
invented pages: redirects, other content types, errors, a page far over the cap, a drip."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent.fetch import MAX_PAGE_BYTES, MAX_REDIRECTS, FetchError, fetch, is_url, shown_url
from agent.ingest import ingest
from agent.webpage import extractor_version
from tests.support.pages import ARTICLE_PARAGRAPHS, menu_page, news_page
from tests.support.web_server import WebServer


@pytest.fixture
def web() -> Iterator[WebServer]:
    with WebServer() as server:
        server.page("/2020/10/13/ferry-suspended.html", news_page())
        yield server


def one_error(url: str) -> str:
    result = ingest([url])
    assert result.articles == []
    assert [e.path for e in result.errors] == [url]
    return result.errors[0].error


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_url_becomes_an_article(web: WebServer) -> None:
    url = web.url("/2020/10/13/ferry-suspended.html")
    result = ingest([url])
    assert result.errors == []
    [article] = result.articles
    assert article.id == "ferry-suspended"
    assert article.path == url and article.url == url
    assert article.extracted_by == extractor_version()
    assert article.title == "Ferry Service Suspended After Storm"
    assert (article.source, article.author) == ("The Dornick Courier", "Ana Lind")
    assert str(article.published) == "2020-10-13"
    assert ARTICLE_PARAGRAPHS[0] in article.text
    # The page was asked for uncompressed, as a browser-like HTML request.
    headers = {k.lower(): v for k, v in web.requests[-1][1].items()}
    assert headers["accept-encoding"] == "identity"
    assert headers["accept"].startswith("text/html")


def test_redirects_are_followed_and_the_final_url_recorded(web: WebServer) -> None:
    web.redirect("/old", "/moved")
    web.redirect("/moved", "/2020/10/13/ferry-suspended.html", status=301)
    [article] = ingest([web.url("/old")]).articles
    assert article.path == web.url("/old")
    assert article.url == web.url("/2020/10/13/ferry-suspended.html")


def test_a_redirect_loop_is_one_line(web: WebServer) -> None:
    web.redirect("/a", "/b")
    web.redirect("/b", "/a")
    assert one_error(web.url("/a")) == f"too many redirects (over {MAX_REDIRECTS})"


def test_a_pdf_is_refused_before_its_body_is_read(web: WebServer) -> None:
    web.page("/report.pdf", b"%PDF-1.7 " + b"x" * 1000, content_type="application/pdf")
    assert one_error(web.url("/report.pdf")) == (
        "not a web page (application/pdf): reconcile reads HTML pages from URLs; "
        "save the article's text as a .txt file"
    )


def test_a_404_is_one_line(web: WebServer) -> None:
    assert one_error(web.url("/gone")) == "HTTP 404 Not Found"
    web.status("/broken", 503)
    assert one_error(web.url("/broken")) == "HTTP 503 Service Unavailable"


def test_a_page_with_no_main_text(web: WebServer) -> None:
    web.page("/home", menu_page())
    assert one_error(web.url("/home")).startswith("no article text found in the page (only ")


def test_a_huge_page_is_cut_at_the_cap(web: WebServer) -> None:
    web.declared_huge("/declared", 3 * MAX_PAGE_BYTES)
    assert one_error(web.url("/declared")) == (
        f"the page declares {3 * MAX_PAGE_BYTES:,} bytes, over the {MAX_PAGE_BYTES:,}-byte limit"
    )
    web.endless("/endless", MAX_PAGE_BYTES + 2 * 1024 * 1024)
    assert one_error(web.url("/endless")) == (
        f"the page kept coming, over the {MAX_PAGE_BYTES:,}-byte limit"
    )


def test_a_dripping_server_cannot_hold_the_fetch_past_its_timeout(web: WebServer) -> None:
    web.drip("/drip", every=0.1, for_seconds=10)
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"^no complete answer within 1 s"):
        fetch(web.url("/drip"), timeout=1)
    assert time.monotonic() - started < 3


def test_no_network_names_the_reason() -> None:
    url = f"http://127.0.0.1:{closed_port()}/ferry"
    assert one_error(url) == "cannot connect: Connection refused"
    # .invalid never resolves (RFC 6761), with or without a network.
    assert one_error("http://reconcile-test.invalid/ferry").startswith(
        "cannot resolve the host name ("
    )


def test_only_http_and_https_are_fetched() -> None:
    assert is_url("https://example.org/a") and is_url("ftp://example.org/a")
    assert not is_url("seeds/a.txt") and not is_url("C:/a.txt")
    assert (
        one_error("ftp://example.org/a") == "only http:// and https:// URLs are fetched, not ftp://"
    )


def test_a_user_name_and_password_are_never_shown_or_stored(web: WebServer) -> None:
    url = web.url("/2020/10/13/ferry-suspended.html").replace("http://", "http://ana:s3cret@")
    [article] = ingest([url]).articles
    assert "s3cret" not in article.path and "s3cret" not in (article.url or "")
    assert shown_url(url) == web.url("/2020/10/13/ferry-suspended.html")


def test_urls_end_to_end_one_good_one_failing(web: WebServer, tmp_path: Path) -> None:
    """`reconcile URL URL`: the good page is reconciled, the failing one is one error line
    naming the URL and the reason, and the run exits 1."""
    good = web.url("/2020/10/13/ferry-suspended.html")
    down = f"http://127.0.0.1:{closed_port()}/radio"
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "agent", good, down, "--out", str(out), "--backend", "offline"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert result.returncode == 1, result.stderr
    assert f"error: {down}: cannot connect: Connection refused" in result.stderr.splitlines()
    assert "Traceback" not in result.stderr
    report = json.loads((out / "report.json").read_text())
    [article] = report["articles"]
    assert (article["path"], article["url"]) == (good, good)
    assert article["extracted_by"] == extractor_version()
    assert report["errors"] == [{"path": down, "error": "cannot connect: Connection refused"}]
    copy = (out / "articles" / "ferry-suspended.txt").read_text(encoding="utf-8")
    for claim in report["claims"]:
        assert copy[claim["start"] : claim["end"]] == claim["quote"]
