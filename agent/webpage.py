"""A web page's article: its main text and what the page says about it, by trafilatura.

The main text (menus, footers, "most read" lists and comment sections left out) becomes the
article: every offset in the report refers to it and `OUT/articles/ID.txt` holds it. The
page's metadata comes from its markup: the title, author and site name from `<meta>` tags
and JSON-LD, the publication date (htmldate, markup only: `<meta>`, JSON-LD, `<time>`, the
URL) rather than a date found in the prose, which is usually an event's.

trafilatura is imported on the first page only, so a run of plain text files never pays
for it (about half a second).
"""

from __future__ import annotations

import codecs
import datetime as dt
import logging
import re
from importlib import metadata as dist_metadata
from typing import TYPE_CHECKING

from agent.base import Strict

if TYPE_CHECKING:
    from trafilatura.settings import Document

EXTRACTOR = "trafilatura"
"""The distribution that extracts pages; its version goes into `Article.extracted_by`."""
_MIN_LINE_WORDS = 6
"""A page whose main text has no line this long holds menus or links, not an article."""
_CHARSET_SNIFF = 4096
"""A page declares its charset in its first bytes (HTML requires the first 1,024)."""
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*(?P<charset>[A-Za-z0-9._:-]+)""", re.IGNORECASE
)
_WINDOWS_1252_ALIASES = frozenset({"iso-8859-1", "iso8859-1", "latin-1", "latin1", "ascii"})
"""Browsers read these labels as windows-1252 (the WHATWG encoding standard), and pages
labelled so often hold its curly quotes."""
_DATE_PARAMS = {"extensive_search": False, "original_date": True, "max_date": "2999-12-31"}
"""htmldate: publication (not modification) dates from the markup only, never guessed from the
prose; any date up to the year 2999 (a page dated after today is the page's own business)."""


class PageProblem(Exception):
    """Why a page gave no article (one line)."""


class Page(Strict):
    """The article a web page holds, and what its markup says about it."""

    text: str
    """The main text, paragraphs one per line: the article every offset refers to."""
    title: str | None = None
    """The headline (`og:title`, JSON-LD `headline`, `<title>` less the site name)."""
    author: str | None = None
    """The author(s) named by the markup or a byline element."""
    source: str | None = None
    """The site's name (`og:site_name`, JSON-LD `publisher`)."""
    published: dt.date | None = None
    """The publication date from the markup, when it gives one."""
    extracted_by: str
    """Which extractor made the text, with its version ("trafilatura 2.3.1")."""


def extractor_version() -> str:
    """'trafilatura X.Y.Z', as installed."""
    return f"{EXTRACTOR} {dist_metadata.version(EXTRACTOR)}"


def decode_page(data: bytes, declared: str | None = None) -> str:
    """The page's characters: a BOM first, then the charset the server `declared`, then the
    page's own `<meta charset>`, then UTF-8, then windows-1252 (what browsers assume for an
    undeclared page that is not UTF-8). Bytes the charset cannot decode become U+FFFD."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    meta = _META_CHARSET.search(data[:_CHARSET_SNIFF])
    for label in (declared, meta.group("charset").decode("ascii") if meta else None):
        named = _encoding(label)
        if named:
            return data.decode(named, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("windows-1252", errors="replace")


def _encoding(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().lower()
    if label in _WINDOWS_1252_ALIASES:
        return "windows-1252"
    try:
        return codecs.lookup(label).name
    except LookupError:  # an unknown label: fall through to the next guess
        return None


def extract_page(html: str, url: str | None = None) -> Page:
    """The article in `html` (the page at `url`, when fetched). Raises PageProblem when the
    page holds no article text or cannot be read."""
    document = _extract(html, url)
    raw = (document.text if document is not None else None) or ""
    text = "\n".join(line.strip() for line in raw.splitlines() if line.strip())
    if document is None or not any(
        len(line.split()) >= _MIN_LINE_WORDS for line in text.splitlines()
    ):
        words = len(text.split())
        found = f"only {words:,} words of menus, links or captions" if words else "no text"
        raise PageProblem(f"no article text found in the page ({found})")
    return Page(
        text=text,
        title=_clean(document.title),
        author=_clean(document.author),
        source=_clean(document.sitename),
        published=_date(document.date),
        extracted_by=extractor_version(),
    )


def _extract(html: str, url: str | None) -> Document | None:
    import trafilatura

    _quiet_loggers()
    try:
        result = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,  # readers' comments are not the article
            include_tables=False,  # tables on news pages are mostly widgets and listings
            date_extraction_params=_DATE_PARAMS,
        )
    except Exception as exc:  # a parser fault on a hostile page is this page's error only
        raise PageProblem(f"the page could not be parsed ({type(exc).__name__}: {exc})") from None
    if result is None or isinstance(result, dict):  # dict only with the deprecated as_dict
        return None
    return result


def _quiet_loggers() -> None:
    # With no logging configured, Python prints these libraries' warnings on stderr ("lxml
    # parser bytestring ..."); reconcile reports a page's problem once, as its own line.
    for name in ("trafilatura", "htmldate", "courlan", "justext", "readability"):
        logger = logging.getLogger(name)
        if not logger.handlers:
            logger.addHandler(logging.NullHandler())
        logger.propagate = False


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(value.split())
    return value or None


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
