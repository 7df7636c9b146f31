"""Finding, reading and checking the input articles.

Every bad input becomes a one-line `InputError` naming the file, and the run goes on. The
text is the file's bytes decoded as UTF-8 (a leading BOM dropped) with no newline
translation, because every character offset in the report refers to it. The result does not
depend on the order of the paths given: files are processed in sorted order of their
resolved path, and errors are sorted too.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from agent.metadata import extract_metadata
from agent.models import Article, InputError

MAX_BYTES = 2 * 1024 * 1024
"""News articles are a few kilobytes: a file over 2 MiB is almost surely not an article (a log,
a dump, a book), and the limit bounds the memory any one input can take."""
SUPPORTED_SUFFIXES = (".txt", ".md")
"""Plain-text suffixes taken from directories (case-insensitive); other files are skipped."""

_SNIFF_BYTES = 8192
"""How much of the file the binary check looks at."""
_CONTROL_SHARE = 0.1
"""More control bytes than this share of the sniffed head means binary, not text."""
_TEXT_CONTROLS = frozenset(b"\t\n\r\f")
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_ID_HASH_LENGTHS = (8, 16, 64)
"""Hash prefix lengths tried, shortest first, when two articles share a stem."""


class IngestResult(BaseModel):
    """The usable articles and the inputs that could not be used."""

    model_config = ConfigDict(extra="forbid")

    articles: list[Article] = Field(default_factory=list)
    """The decoded articles, sorted by id."""
    errors: list[InputError] = Field(default_factory=list)
    """One entry per unusable input, sorted by path."""


class _Found:
    """The discovered files (keyed by resolved path) and the discovery errors."""

    def __init__(self) -> None:
        self.files: dict[str, Path] = {}
        self.errors: set[tuple[str, str]] = set()

    def add_file(self, path: Path) -> None:
        key = os.path.realpath(path)  # unlike Path.resolve, never raises on a symlink loop
        known = self.files.get(key)
        # The same file reached twice is read once; which spelling is shown must not
        # depend on the argument order, so keep the smallest.
        if known is None or str(path) < str(known):
            self.files[key] = path

    def add_error(self, path: Path | str, error: str) -> None:
        self.errors.add((str(path), error))


def ingest(paths: Sequence[str | Path]) -> IngestResult:
    """Read every supported file named in or found under `paths`; bad inputs become errors."""
    found = _Found()
    for given in paths:
        _discover(Path(given), found)
    errors = set(found.errors)
    good: list[tuple[Path, str, str]] = []  # (path, sha256, text)
    kept_by_hash: dict[str, Path] = {}
    for key in sorted(found.files):
        path = found.files[key]
        loaded = _load(path)
        if isinstance(loaded, _Problem):
            errors.add((str(path), loaded.message))
            continue
        data, text = loaded
        digest = hashlib.sha256(data).hexdigest()
        if digest in kept_by_hash:
            errors.add((str(path), f"duplicate of {kept_by_hash[digest]}"))
            continue
        kept_by_hash[digest] = path
        good.append((path, digest, text))
    ids = _assign_ids([(path.stem, digest) for path, digest, _ in good])
    articles: list[Article] = []
    for (path, digest, text), article_id in zip(good, ids, strict=True):
        meta = extract_metadata(text, path.name)
        articles.append(
            Article(
                id=article_id,
                path=str(path),
                title=meta.title,
                source=meta.source,
                published=meta.published,
                dateline=meta.dateline,
                sha256=digest,
                text=text,
            )
        )
    articles.sort(key=lambda a: a.id)
    return IngestResult(
        articles=articles,
        errors=[InputError(path=p, error=e) for p, e in sorted(errors)],
    )


def _discover(path: Path, found: _Found) -> None:
    try:
        info = os.stat(path)  # follows symlinks: a named link to a directory is walked
    except FileNotFoundError:
        found.add_error(path, "no such file or directory")
        return
    except OSError as exc:  # permission on a parent, a symlink loop, a name too long
        found.add_error(path, f"cannot access: {_reason(exc)}")
        return
    except ValueError:  # an embedded NUL byte in the path
        found.add_error(path, "invalid path")
        return
    if stat.S_ISDIR(info.st_mode):
        _walk(path, found)
    elif _supported(path.name):
        found.add_file(path)
    else:
        suffix = f"'{path.suffix}'" if path.suffix else "(no suffix)"
        supported = ", ".join(SUPPORTED_SUFFIXES)
        found.add_error(path, f"unsupported file type {suffix} (supported: {supported})")


def _walk(top: Path, found: _Found) -> None:
    def report(exc: OSError) -> None:
        found.add_error(exc.filename or top, f"cannot read directory: {_reason(exc)}")

    # followlinks=False: a symlink loop cannot make the walk endless. Symlinks to files are
    # still listed among `names` and read like any other file.
    for root, dirs, names in os.walk(top, onerror=report, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if not name.startswith(".") and _supported(name):
                found.add_file(Path(root) / name)


def _supported(name: str) -> bool:
    return os.path.splitext(name)[1].lower() in SUPPORTED_SUFFIXES


class _Problem:
    """Why a file could not be used (one line)."""

    def __init__(self, message: str) -> None:
        self.message = message


def _load(path: Path) -> tuple[bytes, str] | _Problem:
    data = _read(path)
    if isinstance(data, _Problem):
        return data
    problem = _check_bytes(data)
    if problem:
        return problem
    return _decode(data)


def _read(path: Path) -> bytes | _Problem:
    # O_NONBLOCK: opening a FIFO that happens to be called *.txt must not wait for a writer;
    # it has no effect on regular files.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        return _Problem(f"cannot read: {_reason(exc)}")
    try:
        handle = open(fd, "rb")  # noqa: SIM115 - closed by the with block below
    except OSError as exc:
        os.close(fd)
        return _Problem(f"cannot read: {_reason(exc)}")
    with handle:
        try:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                return _Problem("not a regular file")
            if info.st_size > MAX_BYTES:
                return _Problem(_too_big(info.st_size))
            # Read at most one byte past the limit, so a file that grew since fstat still
            # cannot take more memory than the limit allows.
            data = handle.read(MAX_BYTES + 1)
        except OSError as exc:
            return _Problem(f"cannot read: {_reason(exc)}")
    if len(data) > MAX_BYTES:
        return _Problem(_too_big(len(data)))
    return data


def _too_big(size: int) -> str:
    return f"file is {size:,} bytes, over the {MAX_BYTES:,}-byte limit"


def _check_bytes(data: bytes) -> _Problem | None:
    if not data:
        return _Problem("empty file")
    head = data[:_SNIFF_BYTES]
    if head.startswith(_UTF16_BOMS):
        return _Problem("binary file (looks like UTF-16 text; save it as UTF-8)")
    controls = sum(1 for byte in head if byte < 32 and byte not in _TEXT_CONTROLS)
    if b"\x00" in head or controls > _CONTROL_SHARE * len(head):
        return _Problem("binary file")
    return None


def _decode(data: bytes) -> tuple[bytes, str] | _Problem:
    try:
        # Strict, and no newline translation: offsets downstream index this exact string.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # utf-8-sig counts from after the BOM; report the offset in the file itself.
        offset = exc.start + (len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0)
        return _Problem(f"not valid UTF-8 at byte {offset}")
    if not text:
        return _Problem("empty file")
    if not text.strip():
        return _Problem("file holds only whitespace")
    return data, text


def _assign_ids(items: Iterable[tuple[str, str]]) -> list[str]:
    """Ids for (stem, sha256) pairs: the stem, or stem-<hash prefix> when stems collide."""
    pairs = list(items)
    counts: dict[str, int] = {}
    for stem, _ in pairs:
        counts[stem] = counts.get(stem, 0) + 1
    plain = {stem for stem, n in counts.items() if n == 1}
    for length in _ID_HASH_LENGTHS:
        ids = [stem if stem in plain else f"{stem}-{digest[:length]}" for stem, digest in pairs]
        # A suffixed id could equal another file's own stem ("a-1234abcd.txt"); a longer
        # prefix settles it. Full hashes of non-duplicates always differ.
        if len(set(ids)) == len(ids):
            return ids
    return ids


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__
