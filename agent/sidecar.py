"""Metadata the user writes down: a sidecar `ARTICLE.meta.yaml` beside `ARTICLE.txt` (or
`.md`, `.html`), or YAML front matter at the top of a .txt or .md file. Either overrides
everything reconcile would read or guess (the sidecar wins over the front matter).

```yaml
title: Ferry Service Suspended After Storm
source: The Example Herald
author: A. Writer
published: 2026-10-13
dateline: PORTSIDE
url: https://herald.example/ferry
```

Front matter is the block between a first line `---` and the next `---` (or `...`) line; the
article's text is what follows that closing line, so the report's offsets refer to the body
and `OUT/articles/ID.txt` holds the body, not the YAML. Keys other tools write in front
matter (`layout`, `tags`, ...) are ignored there; in a sidecar, which is reconcile's own
file, an unknown key is an error, since it is most likely a typo.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from pathlib import Path
from typing import Any

from agent.base import Strict

SIDECAR_SUFFIXES = (".meta.yaml", ".meta.yml")
MAX_SIDECAR_BYTES = 64 * 1024
"""A few lines of metadata; a bigger file is not a sidecar."""
_ALIASES = {
    "title": "title",
    "headline": "title",
    "source": "source",
    "outlet": "source",
    "publisher": "source",
    "sitename": "source",  # trafilatura's own Markdown front matter
    "author": "author",
    "byline": "author",
    "published": "published",
    "date": "published",
    "dateline": "dateline",
    "url": "url",
}
_FIELDS = ("title", "source", "author", "published", "dateline", "url")
_FENCE_OPEN = re.compile(r"---[ \t]*(?:\r\n|\n|\r)")
_FENCE_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*(?:\r\n|\n|\r|$)", re.MULTILINE)
_KEY_LINE = re.compile(r"^[A-Za-z_][\w -]*:(?:\s|$)")
_FRONT_MATTER_MAX_CHARS = 16 * 1024
"""Where the closing line must be found: front matter is a short block."""


class MetadataError(Exception):
    """A sidecar or front matter that cannot be used (one line)."""


class Overrides(Strict):
    """Metadata written by the user; a field left out is not overridden."""

    title: str | None = None
    """The headline."""
    source: str | None = None
    """The outlet."""
    author: str | None = None
    """The author or authors."""
    published: dt.date | None = None
    """The publication date."""
    dateline: str | None = None
    """The dateline place."""
    url: str | None = None
    """Where the article was published."""


def sidecar_path(article: Path) -> Path | None:
    """The sidecar beside `article` ("a.txt" -> "a.meta.yaml"), when there is one."""
    stem = article.name.rsplit(".", 1)[0] if "." in article.name else article.name
    for suffix in SIDECAR_SUFFIXES:
        candidate = article.with_name(stem + suffix)
        if os.path.lexists(candidate):
            return candidate
    return None


def is_sidecar(name: str) -> bool:
    """Whether a file name is a sidecar's."""
    return name.lower().endswith(SIDECAR_SUFFIXES)


def read_sidecar(path: Path) -> Overrides:
    """The overrides in the sidecar at `path`. Raises MetadataError."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise MetadataError("not a regular file")
        if info.st_size > MAX_SIDECAR_BYTES:
            raise MetadataError(_too_big(info.st_size))
        with open(path, "rb") as handle:
            data = handle.read(MAX_SIDECAR_BYTES + 1)
    except OSError as exc:
        raise MetadataError(f"cannot read: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MetadataError(f"not valid UTF-8 at byte {exc.start}: save it as UTF-8") from None
    return _overrides(_load_yaml(text, 1), strict=True)


def _too_big(size: int) -> str:
    return f"{size:,} bytes, over the {MAX_SIDECAR_BYTES:,}-byte limit"


def split_front_matter(text: str) -> tuple[Overrides, str] | None:
    """(overrides, body) when `text` opens with YAML front matter, else None (the text has
    none). Raises MetadataError for front matter that cannot be read."""
    opening = _FENCE_OPEN.match(text)
    if opening is None:
        return None
    closing = _FENCE_CLOSE.search(text, opening.end(), opening.end() + _FRONT_MATTER_MAX_CHARS)
    if closing is None:
        return None  # a lone rule at the top, not front matter
    block = text[opening.end() : closing.start()]
    first = next((line for line in block.splitlines() if line.strip()), "")
    if not _KEY_LINE.match(first.strip()):
        return None  # two horizontal rules around prose, not front matter
    overrides = _overrides(_load_yaml(block, 2), strict=False)
    return overrides, text[closing.end() :]


def _load_yaml(text: str, first_line: int) -> dict[str, Any]:
    import yaml  # only for a sidecar or front matter: most runs have neither (~50 ms)

    try:
        loaded = yaml.safe_load(text) if text.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + first_line}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise MetadataError(f"{where}not valid YAML ({problem})") from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise MetadataError(f"holds a {type(loaded).__name__}, not 'key: value' lines")
    return loaded


def _overrides(raw: dict[Any, Any], strict: bool) -> Overrides:
    values: dict[str, Any] = {}
    for key, value in raw.items():
        field = _ALIASES.get(str(key).strip().lower())
        if field is None:
            if strict:
                known = ", ".join(_FIELDS)
                raise MetadataError(f"unknown field {str(key)!r} (fields: {known})")
            continue
        if value is None:
            continue
        values[field] = _date(value) if field == "published" else _text(field, value)
    return Overrides(**values)


def _text(field: str, value: Any) -> str | None:
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        value = ", ".join(item.strip() for item in value if item.strip())
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise MetadataError(f"{field}: expected text, got {type(value).__name__}")
    cleaned = " ".join(str(value).split())
    return cleaned or None


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        for parse in (dt.date.fromisoformat, lambda v: dt.datetime.fromisoformat(v).date()):
            try:
                return parse(value.strip())
            except ValueError:
                pass
    raise MetadataError(f"published: {value!r} is not a date (write it as YYYY-MM-DD)")
