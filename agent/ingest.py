"""Finding, reading and checking the input articles.

Every bad input becomes a one-line `InputError` naming the file, and the run goes on. The
text is the file's bytes decoded as UTF-8 (a leading BOM dropped) with no newline
translation, because every character offset in the report refers to it. The result does not
depend on the order of the paths given: files are processed in sorted order of their
resolved path, and errors are sorted too. Folders are listed one at a time, then files are
read one at a time, each closed before the next is opened, so a folder of thousands of files
holds one file descriptor at a time. Nothing but a regular file is opened for reading.
File names that are not UTF-8 are shown (and stored in the report) with their odd bytes as
backslash escapes (b'\xff.txt' is `\xff.txt`), so they can always be printed and serialised.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from pydantic import Field

from agent.base import Strict
from agent.filenames import shown
from agent.metadata import extract_metadata
from agent.models import Article, InputError

MAX_BYTES = 2 * 1024 * 1024
"""News articles are a few kilobytes: a file over 2 MiB is almost surely not an article (a log,
a dump, a book), and the limit bounds the memory any one input can take."""
SUPPORTED_SUFFIXES = (".txt", ".md")
"""Plain-text suffixes taken from directories (case-insensitive); other files are skipped."""
HTML_SUFFIXES = (".html", ".htm")
"""Web pages: named explicitly they get their own advice; inside directories they are skipped."""

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
"""O_NONBLOCK: a FIFO swapped in after the type check must not wait for a writer; it has no
effect on regular files."""
_CHUNK_BYTES = 64 * 1024
_SNIFF_BYTES = 8192
"""How much of the file the binary and encoding checks look at."""
_CONTROL_SHARE = 0.1
"""More control characters than this share of the sniffed head means binary, not text."""
_TEXT_CONTROLS = frozenset(b"\t\n\r\f")
_UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
"""Checked before the UTF-16 marks: the little-endian UTF-32 mark starts with UTF-16's."""
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_UTF16_NUL_SHARE = 0.9
"""English saved as UTF-16 without a mark has a NUL in nearly every other byte (the high byte
of each ASCII character); a few non-ASCII characters may break the pattern."""
_HTML_PAGE = re.compile(r"\s*<(?:!doctype\s+html|html)\b", re.IGNORECASE)
"""The start of a saved web page. Prose with a few inline tags does not start like this."""
_FILE_KINDS: tuple[tuple[Callable[[int], bool], str], ...] = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)
_ID_HASH_LENGTHS = (8, 16, 64)
"""Hash prefix lengths tried, shortest first, when two articles share a stem."""


class IngestResult(Strict):
    """The usable articles and the inputs that could not be used."""

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
        self.errors.add((shown(path), error))


def ingest(paths: Sequence[str | Path], skip_dirs: Sequence[str | Path] = ()) -> IngestResult:
    """Read every supported file named in or found under `paths`; bad inputs become errors.

    Folders in `skip_dirs` (the run's output folder) are not entered while walking, so a run
    never reads its own report and article copies as articles.
    """
    found = _Found()
    skip = frozenset(os.path.realpath(folder) for folder in skip_dirs)
    for given in paths:
        _discover(Path(given), found, skip)
    errors = set(found.errors)
    good: list[tuple[Path, str, str]] = []  # (path, sha256, text)
    kept_by_hash: dict[str, Path] = {}
    for key in sorted(found.files):
        path = found.files[key]
        loaded = _load(path)
        if isinstance(loaded, _Problem):
            errors.add((shown(path), loaded.message))
            continue
        data, text = loaded
        digest = hashlib.sha256(data).hexdigest()
        if digest in kept_by_hash:
            errors.add((shown(path), f"duplicate of {shown(kept_by_hash[digest])}"))
            continue
        kept_by_hash[digest] = path
        good.append((path, digest, text))
    ids = _assign_ids([(shown(path.stem), digest) for path, digest, _ in good])
    articles: list[Article] = []
    for (path, digest, text), article_id in zip(good, ids, strict=True):
        meta = extract_metadata(text, shown(path.name))
        articles.append(
            Article(
                id=article_id,
                path=shown(path),
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


def _discover(path: Path, found: _Found, skip: frozenset[str]) -> None:
    try:
        info = os.stat(path)  # follows symlinks: a named link to a directory is walked
    except FileNotFoundError:
        found.add_error(path, _missing(path))
        return
    except OSError as exc:  # permission on a parent, a symlink loop, a name too long
        found.add_error(path, f"cannot access: {_reason(exc)}")
        return
    except ValueError:  # an embedded NUL byte in the path
        found.add_error(path, "invalid path")
        return
    if stat.S_ISDIR(info.st_mode):
        _walk(path, found, skip)
    elif not stat.S_ISREG(info.st_mode):
        found.add_error(path, _not_a_file(info.st_mode))
    elif _has_suffix(path.name, HTML_SUFFIXES):
        found.add_error(path, "HTML pages are not read: save the article's text as a .txt file")
    elif _has_suffix(path.name, SUPPORTED_SUFFIXES):
        found.add_file(path)
    else:
        suffix = f"'{path.suffix}'" if path.suffix else "(no suffix)"
        supported = ", ".join(SUPPORTED_SUFFIXES)
        found.add_error(path, f"unsupported file type {suffix} (supported: {supported})")


def _walk(top: Path, found: _Found, skip: frozenset[str]) -> None:
    # A stack, not recursion: os.walk recurses on Python 3.11, so a few thousand nested
    # folders would crash the run. Each folder is listed in full and closed before the next
    # is opened, so the walk holds one descriptor at any depth.
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as exc:
            found.add_error(folder, f"cannot read directory: {_reason(exc)}")
            continue
        subfolders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if _is_dir(entry):
                # A symlink to a folder is not entered: a link loop cannot make the walk
                # endless. Symlinks to files are read like any other file.
                if not entry.is_symlink() and os.path.realpath(entry.path) not in skip:
                    subfolders.append(Path(entry.path))
            elif _has_suffix(entry.name, SUPPORTED_SUFFIXES):
                found.add_file(Path(entry.path))
        stack.extend(reversed(subfolders))


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a symlink loop, or it vanished: not a folder to enter
        return False


def _has_suffix(name: str, suffixes: tuple[str, ...]) -> bool:
    return os.path.splitext(name)[1].lower() in suffixes


def _missing(path: Path) -> str:
    # `ls` shows a dangling link, so "no such file" alone would puzzle.
    if os.path.islink(path):
        return "no such file or directory (broken symbolic link)"
    return "no such file or directory"


def _not_a_file(mode: int) -> str:
    kind = next((name for is_kind, name in _FILE_KINDS if is_kind(mode)), "special file")
    return f"{kind}, not a regular file"


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
    # The file was found earlier; it may have gone or changed since, which is an error for
    # this file only. Look before opening: opening a device can have side effects and opening
    # a FIFO can block. The fstat on the open descriptor catches a swap in between.
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            return _Problem(_not_a_file(info.st_mode))
        fd = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        return _Problem(_vanished(path))
    except OSError as exc:
        return _Problem(f"cannot read: {_reason(exc)}")
    try:
        return _read_open(fd)
    except OSError as exc:
        return _Problem(f"cannot read: {_reason(exc)}")
    finally:
        os.close(fd)  # before the next file is opened: one descriptor at a time


def _vanished(path: Path) -> str:
    if os.path.islink(path):
        return _missing(path)
    return "disappeared before it could be read"


def _read_open(fd: int) -> bytes | _Problem:
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        return _Problem(_not_a_file(info.st_mode))
    # The size is known before any byte is read, so a huge file costs no memory.
    if info.st_size > MAX_BYTES:
        return _Problem(_too_big(info.st_size))
    # At most one byte past the limit: a file that grew since fstat still cannot take more
    # memory than the limit allows.
    data = _read_at_most(fd, MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        return _Problem(f"file grew over the {MAX_BYTES:,}-byte limit while being read")
    return data


def _read_at_most(fd: int, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while size < limit:
        # Small chunks: one read of `limit` bytes would allocate the whole limit per file.
        chunk = os.read(fd, min(limit - size, _CHUNK_BYTES))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _too_big(size: int) -> str:
    return f"file is {size:,} bytes, over the {MAX_BYTES:,}-byte limit"


def _check_bytes(data: bytes) -> _Problem | None:
    if not data:
        return _Problem("empty file")
    head = data[:_SNIFF_BYTES]
    wide = _wide_encoding(head)
    if wide:
        return _Problem(f"{wide} text: save it as UTF-8")
    if _looks_binary(head):
        return _Problem("binary file")
    return None


def _wide_encoding(head: bytes) -> str | None:
    """'UTF-32' or 'UTF-16' when the head is text in that encoding, else None."""
    if head.startswith(_UTF32_BOMS):
        return "UTF-32"
    if head.startswith(_UTF16_BOMS) or _utf16_without_bom(head):
        return "UTF-16"
    return None


def _utf16_without_bom(head: bytes) -> bool:
    end = len(head) - len(head) % 2  # whole code units only
    units = end // 2
    for encoding, high_bytes in (("utf-16-le", head[1:end:2]), ("utf-16-be", head[0:end:2])):
        if units and high_bytes.count(0) >= _UTF16_NUL_SHARE * units:
            # Binary data can be NUL-interleaved too; UTF-16 text decodes to text.
            text = head[:end].decode(encoding, errors="replace")
            return not _looks_binary([ord(char) for char in text])
    return False


def _looks_binary(units: Sequence[int]) -> bool:
    """A NUL, or more than a few control characters, means binary data, not text."""
    controls = sum(1 for unit in units if unit < 32 and unit not in _TEXT_CONTROLS)
    return 0 in units or controls > _CONTROL_SHARE * len(units)


def _decode(data: bytes) -> tuple[bytes, str] | _Problem:
    try:
        # Strict, and no newline translation: offsets downstream index this exact string.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # utf-8-sig counts from after the BOM; report the offset in the file itself.
        offset = exc.start + (len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0)
        # Text that is not UTF-8 is nearly always in a legacy 8-bit encoding.
        return _Problem(
            f"not valid UTF-8 at byte {offset}: save it as UTF-8"
            " (it may be Latin-1 or Windows-1252)"
        )
    if not text:
        return _Problem("empty file")
    if not text.strip():
        return _Problem("file holds only whitespace")
    if _HTML_PAGE.match(text):
        return _Problem("looks like an HTML page, not article text: save the article's text")
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
