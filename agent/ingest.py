"""Finding, reading and checking the input articles.

Every bad input becomes a one-line `InputError` naming the file, and the run goes on. The
text is `bytes.decode("utf-8-sig")` exactly, with no newline translation, because every
character offset in the report refers to it.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from agent.metadata import extract_metadata
from agent.models import Article, InputError

SUPPORTED_SUFFIXES = (".txt", ".md")
MAX_BYTES = 2 * 1024 * 1024
"""News articles are a few kilobytes; a file over 2 MiB is almost surely not one, and the
limit bounds the memory one input can take."""
_BINARY_SNIFF = 8192
_CONTROL_SHARE = 0.1


@dataclass
class IngestResult:
    """The usable articles and the inputs that could not be used."""

    articles: list[Article] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)


def ingest(paths: Sequence[str | Path]) -> IngestResult:
    """Read every supported file under `paths`; the result does not depend on their order."""
    result = IngestResult()
    files: dict[Path, Path] = {}
    for given in paths:
        for found, error in _discover(Path(given)):
            if error:
                result.errors.append(InputError(path=str(found), error=error))
            else:
                files.setdefault(found.resolve(), found)
    seen: dict[str, Path] = {}
    read: list[tuple[Path, bytes]] = []
    for resolved in sorted(files):
        path = files[resolved]
        data, error = _read(path)
        if error or data is None:
            result.errors.append(InputError(path=str(path), error=error or "unreadable"))
            continue
        digest = hashlib.sha256(data).hexdigest()
        if digest in seen:
            result.errors.append(InputError(path=str(path), error=f"duplicate of {seen[digest]}"))
            continue
        seen[digest] = path
        read.append((path, data))
    stems: dict[str, int] = {}
    for path, _ in read:
        stems[path.stem] = stems.get(path.stem, 0) + 1
    for path, data in read:
        text, error = _decode(data)
        if error or text is None:
            result.errors.append(InputError(path=str(path), error=error or "undecodable"))
            continue
        digest = hashlib.sha256(data).hexdigest()
        article_id = path.stem if stems[path.stem] == 1 else f"{path.stem}-{digest[:8]}"
        meta = extract_metadata(text, path.name)
        result.articles.append(
            Article(
                id=article_id,
                path=str(path),
                sha256=digest,
                text=text,
                **meta.model_dump(),
            )
        )
    result.articles.sort(key=lambda a: a.id)
    return result


def _discover(path: Path) -> Iterator[tuple[Path, str | None]]:
    if not path.exists():
        yield path, "no such file or directory"
        return
    if path.is_dir():
        # followlinks=False: a symlink loop cannot make the walk endless.
        for root, dirs, names in os.walk(path, followlinks=False):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(names):
                if name.startswith(".") or not name.lower().endswith(SUPPORTED_SUFFIXES):
                    continue
                yield Path(root) / name, None
        return
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        supported = ", ".join(SUPPORTED_SUFFIXES)
        yield path, f"unsupported file type '{path.suffix}' (supported: {supported})"
        return
    yield path, None


def _read(path: Path) -> tuple[bytes | None, str | None]:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, f"file is {size:,} bytes, over the {MAX_BYTES:,}-byte limit"
        data = path.read_bytes()
    except OSError as exc:
        return None, f"cannot read: {exc.strerror or exc}"
    if not data.strip():
        return None, "empty file" if not data else "file holds only whitespace"
    head = data[:_BINARY_SNIFF]
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    if b"\x00" in head or controls > _CONTROL_SHARE * len(head):
        return None, "binary file, not text"
    return data, None


def _decode(data: bytes) -> tuple[str | None, str | None]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, f"not valid UTF-8 at byte {exc.start}"
    if not text.strip():
        return None, "file holds only whitespace"
    return text, None
