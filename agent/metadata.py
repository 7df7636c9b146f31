"""Article metadata read from the text itself: title, byline/source, publication date and
dateline. Pure functions over the text; no NLP model."""

from __future__ import annotations

import datetime as dt
import re

from dateutil import parser as dateutil_parser
from pydantic import BaseModel

_HEADER_LINES = 8
_DATE_MARKER = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b", re.IGNORECASE)
_ISO_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})")
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|Jun(?:e)?|Jul(?:y)?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_FULL_DATE = re.compile(
    rf"\b(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH}\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})\b"
)
_SHORT_DATE_LINE = re.compile(rf"^[\s\-–—•]*({_MONTH}\s+\d{{1,2}})\s*$")
_BYLINE = re.compile(r"^\s*(?:By|BY|Source:|SOURCE:)\s+(.{2,60}?)\s*$")
_DASH_BYLINE = re.compile(r"^\s*[-–—•]\s+([A-Z][A-Za-z.&' ]{1,40})\s*$")
_DATELINE = re.compile(r"^\s*([A-Z][A-Z .'\-]{1,40}?)(?:\s*\([^)]{1,40}\))?\s*(?:—|–|--| - )\s*\S")


class Metadata(BaseModel):
    """What the text says about itself."""

    title: str | None = None
    """A first-line headline."""
    source: str | None = None
    """A byline or outlet named in the header lines."""
    published: dt.date | None = None
    """Publication date from the text or a YYYY-MM-DD file-name prefix."""
    dateline: str | None = None
    """The place of a "PLACE —" dateline opening the body."""


def extract_metadata(text: str, filename: str) -> Metadata:
    """Read title, source, published date and dateline from the text (and file name)."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    header = lines[:_HEADER_LINES]
    return Metadata(
        title=_title(lines),
        source=_source(header),
        published=_published(text, header, filename),
        dateline=_dateline(lines),
    )


def _name_date(filename: str) -> dt.date | None:
    match = _ISO_PREFIX.match(filename)
    if not match:
        return None
    try:
        return dt.date.fromisoformat(match.group(1))
    except ValueError:
        return None


def _published(text: str, header: list[str], filename: str) -> dt.date | None:
    marker = _DATE_MARKER.match(text)
    if marker:
        try:
            return dt.date.fromisoformat(marker.group(1))
        except ValueError:
            pass
    for line in header:
        found = _FULL_DATE.search(line)
        if found and len(line.split()) <= 12:
            try:
                parsed: dt.date = dateutil_parser.parse(found.group(0)).date()
                return parsed
            except (ValueError, OverflowError):
                continue
    from_name = _name_date(filename)
    if from_name:
        return from_name
    return None


def _title(lines: list[str]) -> str | None:
    if len(lines) < 2:
        return None
    first = lines[0].strip()
    if _DATE_MARKER.match(first) or len(first.split()) > 20 or first.endswith("."):
        return None
    if _DATELINE.match(first) or _BYLINE.match(first) or _DASH_BYLINE.match(first):
        return None
    return first


def _source(header: list[str]) -> str | None:
    for line in header[1:]:
        byline = _BYLINE.match(line)
        if byline:
            return byline.group(1).strip()
        dashed = _DASH_BYLINE.match(line)
        if dashed and not _SHORT_DATE_LINE.match(line) and not re.search(r"\d", line):
            name = dashed.group(1).strip()
            if "read" not in name.lower():
                return name
    return None


def _dateline(lines: list[str]) -> str | None:
    for line in lines[:_HEADER_LINES]:
        match = _DATELINE.match(line)
        if match and len(line.split()) > 8:
            place = match.group(1).strip()
            if place.isupper() and len(place) >= 3:
                return place
    return None
