"""Web pages: the article's main text and the page's metadata (invented pages, written by
tests/support/pages.py; nothing is downloaded)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from agent.webpage import PageProblem, decode_page, extract_page, extractor_version
from tests.conftest import assert_grounded
from tests.support.pages import ARTICLE_PARAGRAPHS, BOILERPLATE, COMMENT, menu_page, news_page


def test_a_news_page_gives_its_main_text_without_menus_footer_or_comments() -> None:
    page = extract_page(news_page())
    for paragraph in ARTICLE_PARAGRAPHS:
        assert paragraph in page.text
    for words in (*BOILERPLATE, COMMENT, "Weather"):
        assert words not in page.text
    assert page.text.splitlines()[0] == "Ferry Service Suspended After Storm"  # the headline


def test_metadata_from_meta_tags_and_json_ld() -> None:
    page = extract_page(news_page())
    assert page.title == "Ferry Service Suspended After Storm"
    assert page.author == "Ana Lind"
    assert page.source == "The Dornick Courier"
    assert page.published == dt.date(2020, 10, 13)
    assert page.extracted_by == extractor_version()
    assert page.extracted_by.startswith("trafilatura ") and page.extracted_by[12:13].isdigit()


@pytest.mark.parametrize(("meta", "json_ld"), [(False, True), (True, False)])
def test_metadata_from_either_the_meta_tags_or_json_ld_alone(meta: bool, json_ld: bool) -> None:
    page = extract_page(news_page(meta=meta, json_ld=json_ld))
    assert page.title == "Ferry Service Suspended After Storm"
    assert page.author == "Ana Lind"
    assert page.published == dt.date(2020, 10, 13)


def test_the_date_from_a_time_element_and_none_from_the_prose() -> None:
    """Only markup dates the page: a date in a sentence is an event's."""
    html = news_page(meta=False, json_ld=False).replace(
        '<time datetime="2020-10-13">2020-10-13</time>',
        '<time datetime="2020-10-12" class="published">12 October 2020</time>',
    )
    assert extract_page(html).published == dt.date(2020, 10, 12)
    undated = news_page(
        meta=False,
        json_ld=False,
        published=None,
        paragraphs=(*ARTICLE_PARAGRAPHS, "The pier was first built on 3 March 1921, records show."),
    )
    assert extract_page(undated).published is None


def test_a_page_with_no_main_text_is_a_one_line_problem() -> None:
    with pytest.raises(PageProblem) as caught:
        extract_page(menu_page())
    message = str(caught.value)
    assert message.startswith("no article text found in the page (only ")
    assert "\n" not in message
    with pytest.raises(PageProblem, match=r"^no article text found in the page \(no text\)$"):
        extract_page("<!doctype html><html><head><title>x</title></head><body></body></html>")


def test_the_libraries_warnings_stay_off_stderr(capfd: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(PageProblem):
        extract_page("<html><body>\x00\x01<p>broken")
    extract_page(news_page())
    assert capfd.readouterr().err == ""


@pytest.mark.parametrize(
    ("data", "declared", "expected"),
    [
        ("Café “quoted”".encode(), None, "Café “quoted”"),
        ('<meta charset="windows-1252">Caf\xe9 \x93q\x94'.encode("latin-1"), None, "Café “q”"),
        ("<meta charset=iso-8859-1>Caf\xe9 \x93q\x94".encode("latin-1"), None, "Café “q”"),
        ("Caf\xe9".encode("latin-1"), "windows-1252", "Café"),
        ("Caf\xe9 \x93q\x94".encode("latin-1"), None, "Café “q”"),  # undeclared, not UTF-8
        (b"\xef\xbb\xbfCaf\xc3\xa9", "iso-8859-1", "Café"),  # the BOM beats the header
        ("Café".encode("utf-16-le"), "utf-16-le", "Café"),
    ],
)
def test_pages_are_decoded_as_a_browser_would(data: bytes, declared: str, expected: str) -> None:
    assert expected in decode_page(data, declared)


def test_an_html_file_end_to_end(tmp_path: Path) -> None:
    """`reconcile page.html other.txt`: the page's text is the article, its offsets exact,
    its copy in articles/ that text, and report.json says which extractor made it."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "ferry.html").write_text(news_page(), encoding="utf-8")
    (inputs / "radio.txt").write_text(
        "Ferry Halted at Dornick Pier\nSource: Dornick Community Radio newsroom\n\n"
        "The ferry operator said on Monday that the pier was safe and that sailings would "
        "resume on Tuesday.\nMara Quill, the authority's operations manager, said the pier "
        "was not safe for passengers.\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "agent", str(inputs), "--out", str(out), "--backend", "offline"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads((out / "report.json").read_text())
    by_id = {a["id"]: a for a in report["articles"]}
    ferry, radio = by_id["ferry"], by_id["radio"]
    assert ferry["extracted_by"] == extractor_version() and radio["extracted_by"] is None
    assert ferry["title"] == "Ferry Service Suspended After Storm"
    assert (ferry["source"], ferry["author"]) == ("The Dornick Courier", "Ana Lind")
    assert ferry["published"] == "2020-10-13"
    assert radio["source"] == "Dornick Community Radio newsroom"
    copy = (out / "articles" / "ferry.txt").read_text(encoding="utf-8")
    assert copy == extract_page(news_page()).text
    assert "<p>" not in copy and COMMENT not in copy
    claims = [c for c in report["claims"] if c["article_id"] == "ferry"]
    assert claims, "the page's article gave no claim"
    for claim in claims:
        assert copy[claim["start"] : claim["end"]] == claim["quote"]
    from agent.report_files import read_report

    assert_grounded(read_report(out))  # the copies hold every quote of the report
