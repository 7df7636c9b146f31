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

Web pages (`.html`, `.htm`, and URLs, fetched by agent/fetch.py) become the main text
trafilatura extracts (agent/webpage.py): that text is the article, every offset refers to it,
and `Article.extracted_by` names the extractor. Metadata is layered, each layer over the one
before: what the text's header says (agent/metadata.py), what the page's markup says, the
file's YAML front matter, then a sidecar `ARTICLE.meta.yaml` (agent/sidecar.py).
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field

from agent.base import Strict
from agent.fetch import MAX_PAGE_BYTES, FetchError, fetch, is_url, shown_url
from agent.filenames import shown
from agent.metadata import Metadata, extract_metadata, overlay
from agent.models import Article, InputError
from agent.outdir import MANIFEST_NAME
from agent.sidecar import MetadataError, Overrides, read_sidecar, sidecar_path, split_front_matter
from agent.webpage import Page, PageProblem, decode_page, extract_page

MAX_BYTES = 2 * 1024 * 1024
"""News articles are a few kilobytes: a file over 2 MiB is almost surely not an article (a log,
a dump, a book), and the limit bounds the memory any one input can take."""
TEXT_SUFFIXES = (".txt", ".md")
"""Plain text, read as it is (case-insensitive)."""
HTML_SUFFIXES = (".html", ".htm")
"""Web pages, whose main text is extracted."""
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES
"""What is read, named or inside directories; directories skip every other file."""
PAGE_MAX_BYTES = MAX_PAGE_BYTES
"""A saved page carries its markup, scripts and styles: a news page is a few hundred KB of
HTML, the heaviest a few MB. The cap bounds the memory one page can take, as for URLs."""

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
_URL_STEM_CHARS = 80
_ID_HASH_LENGTHS = (8, 16, 64)
"""Hash prefix lengths tried, shortest first, when two articles share a stem."""


class IngestResult(Strict):
    """The usable articles and the inputs that could not be used."""

    articles: list[Article] = Field(default_factory=list)
    """The decoded articles, sorted by id."""
    errors: list[InputError] = Field(default_factory=list)
    """One entry per unusable input, sorted by path."""


class _Found:
    """The discovered files (keyed by resolved path), URLs and the discovery errors."""

    def __init__(self) -> None:
        self.files: dict[str, Path] = {}
        self.urls: set[str] = set()
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


class _Loaded:
    """An input's article text and what was found about it besides the text."""

    def __init__(
        self,
        digest: str,
        text: str,
        page: Page | None = None,
        overrides: Sequence[Overrides] = (),
        url: str | None = None,
    ) -> None:
        self.digest = digest
        self.text = text
        self.page = page
        self.overrides = list(overrides)
        self.url = url


def ingest(paths: Sequence[str | Path], skip_dirs: Sequence[str | Path] = ()) -> IngestResult:
    """Read every supported file named in or found under `paths`, and fetch every URL among
    them; bad inputs become errors.

    Folders in `skip_dirs` (the run's output folder) are not entered while walking, so a run
    never reads its own report and article copies as articles.
    """
    found = _Found()
    skip = frozenset(os.path.realpath(folder) for folder in skip_dirs)
    for given in paths:
        if isinstance(given, str) and is_url(given):
            found.urls.add(given)
        else:
            _discover(Path(given), found, skip)
    errors = set(found.errors)
    good: list[tuple[str, str, _Loaded]] = []  # (path shown, stem, what was loaded)
    kept_by_hash: dict[str, str] = {}
    # Files in sorted order of their resolved path, then URLs in sorted order.
    inputs: list[tuple[str, str, Path | str]] = [
        (shown(path), shown(path.stem), path)
        for path in (found.files[key] for key in sorted(found.files))
    ]
    inputs += [(shown_url(url), _url_stem(url), url) for url in sorted(found.urls)]
    for where, stem, source in inputs:
        loaded = _load(source) if isinstance(source, Path) else _load_url(source)
        if isinstance(loaded, _Problem):
            errors.add((where, loaded.message))
            continue
        if loaded.digest in kept_by_hash:
            errors.add((where, f"duplicate of {kept_by_hash[loaded.digest]}"))
            continue
        kept_by_hash[loaded.digest] = where
        good.append((where, stem, loaded))
    ids = _assign_ids([(stem, loaded.digest) for _, stem, loaded in good])
    articles: list[Article] = []
    for (where, stem, loaded), article_id in zip(good, ids, strict=True):
        meta = _metadata(loaded, stem)
        url = next((o.url for o in reversed(loaded.overrides) if o.url), loaded.url)
        articles.append(
            Article(
                id=article_id,
                path=where,
                title=meta.title,
                source=meta.source,
                author=meta.author,
                published=meta.published,
                dateline=meta.dateline,
                sha256=loaded.digest,
                extracted_by=loaded.page.extracted_by if loaded.page else None,
                url=url,
                text=loaded.text,
            )
        )
    articles.sort(key=lambda a: a.id)
    return IngestResult(
        articles=articles,
        errors=[InputError(path=p, error=e) for p, e in sorted(errors)],
    )


def _metadata(loaded: _Loaded, stem: str) -> Metadata:
    """The text's own header, then the page's markup, front matter and sidecar over it."""
    layers = [loaded.page] if loaded.page else []
    return overlay(extract_metadata(loaded.text, stem), *layers, *loaded.overrides)


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
        pages = {
            os.path.splitext(entry.name)[0]
            for entry in entries
            if _has_suffix(entry.name, HTML_SUFFIXES)
        }
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if _is_dir(entry):
                # A symlink to a folder is not entered: a link loop cannot make the walk
                # endless. Symlinks to files are read like any other file.
                if (
                    not entry.is_symlink()
                    and os.path.realpath(entry.path) not in skip
                    and not _page_resources(entry.name, pages)
                    and not _is_output_folder(entry.path)
                ):
                    subfolders.append(Path(entry.path))
            elif _has_suffix(entry.name, SUPPORTED_SUFFIXES):
                found.add_file(Path(entry.path))
        stack.extend(reversed(subfolders))


def _page_resources(name: str, pages: set[str]) -> bool:
    """A browser's "Save Page As, complete" folder (`X_files` beside `X.html`): the page's
    scripts, styles and embedded frames, not articles."""
    return name.endswith("_files") and name[: -len("_files")] in pages


def _is_output_folder(path: str) -> bool:
    """An output folder of another run (it holds reconcile's manifest): its report files and
    article copies are reconcile's own writing, never input."""
    return os.path.lexists(os.path.join(path, MANIFEST_NAME))


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


def _load(path: Path) -> _Loaded | _Problem:
    is_page = _has_suffix(path.name, HTML_SUFFIXES)
    data = _read(path, PAGE_MAX_BYTES if is_page else MAX_BYTES)
    if isinstance(data, _Problem):
        return data
    problem = _check_bytes(data)
    if problem:
        return problem
    loaded = _page(decode_page(data)) if is_page else _text(data)
    if isinstance(loaded, _Problem):
        return loaded
    sidecar = sidecar_path(path)
    if sidecar is not None:
        try:
            loaded.overrides.append(read_sidecar(sidecar))
        except MetadataError as exc:
            return _Problem(f"{shown(sidecar)}: {exc}; the article is read once it is fixed")
    return loaded


def _load_url(url: str) -> _Loaded | _Problem:
    try:
        fetched = fetch(url)
    except FetchError as exc:
        return _Problem(str(exc))
    return _page(decode_page(fetched.data, fetched.charset), fetched.url)


def _page(html: str, url: str | None = None) -> _Loaded | _Problem:
    try:
        page = extract_page(html, url)
    except PageProblem as exc:
        return _Problem(str(exc))
    # The copy in OUT/articles/ is the extracted text, so its hash is the article's.
    return _Loaded(_digest(page.text), page.text, page=page, url=url)


def _text(data: bytes) -> _Loaded | _Problem:
    decoded = _decode(data)
    if isinstance(decoded, _Problem):
        return decoded
    try:
        front = split_front_matter(decoded)
    except MetadataError as exc:
        return _Problem(f"front matter: {exc}")
    if front is None:
        return _Loaded(hashlib.sha256(data).hexdigest(), decoded)
    overrides, body = front
    if not body.strip():
        return _Problem("no article text after the front matter")
    # The body is the article: offsets and the copy in OUT/articles/ leave the YAML out.
    return _Loaded(_digest(body), body, overrides=[overrides])


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _url_stem(url: str) -> str:
    """An article id for a URL: its last path segment without a suffix ("ferry-halted"), or
    its host name; only letters, digits, '.', '_' and '-'."""
    try:
        parsed = urlsplit(url)
        segments = [s for s in parsed.path.split("/") if s]
        host = parsed.hostname or ""
    except ValueError:
        segments, host = [], ""
    last = os.path.splitext(segments[-1])[0] if segments else ""
    if last.lower() in ("", "index", "default", "article", "story"):
        last = "-".join([host, *segments[-2:-1]]) if host else last
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", last).strip(".-_")[:_URL_STEM_CHARS]
    return stem or "page"


def _read(path: Path, limit: int) -> bytes | _Problem:
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
        return _read_open(fd, limit)
    except OSError as exc:
        return _Problem(f"cannot read: {_reason(exc)}")
    finally:
        os.close(fd)  # before the next file is opened: one descriptor at a time


def _vanished(path: Path) -> str:
    if os.path.islink(path):
        return _missing(path)
    return "disappeared before it could be read"


def _read_open(fd: int, limit: int) -> bytes | _Problem:
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        return _Problem(_not_a_file(info.st_mode))
    # The size is known before any byte is read, so a huge file costs no memory.
    if info.st_size > limit:
        return _Problem(_too_big(info.st_size, limit))
    # At most one byte past the limit: a file that grew since fstat still cannot take more
    # memory than the limit allows.
    data = _read_at_most(fd, limit + 1)
    if len(data) > limit:
        return _Problem(f"file grew over the {limit:,}-byte limit while being read")
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


def _too_big(size: int, limit: int) -> str:
    return f"file is {size:,} bytes, over the {limit:,}-byte limit"


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


def _decode(data: bytes) -> str | _Problem:
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
        # A .txt or .md is read as the characters it holds; a page is read as a page only
        # when its name says so, so one suffix never means two things.
        return _Problem(
            "looks like an HTML page, not article text: name it .html to have its article extracted"
        )
    return text


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
