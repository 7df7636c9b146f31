"""The output folder is the user's: reconcile changes only the files it wrote there.

`OUT/.reconcile-manifest.json` lists every file reconcile wrote in the folder (its path
relative to OUT and the sha256 of the bytes written). A file is reconcile's own only while the
manifest lists it and its bytes still match: such a file may be replaced, or removed when it
is an article copy no longer needed. Anything else is left alone, and a file reconcile has to
write that exists and is not its own stops the run before any work, with one line naming it.
`reviews.jsonl` and `llm-calls.jsonl` are only ever appended to, never in the manifest.

The manifest is a file of its own, not a field of report.json: it has to hold report.json's
own hash, and it is also the journal of an update (below), which report.json cannot be.

A folder written before the manifest existed has none. There, report.json is reconcile's
when it is a schema_version 1 report, report.md and report.html when they start the way
every earlier version wrote them, and an article copy when its bytes are the ones report.json
hashes for that article (the copy is the file minus an optional UTF-8 BOM). Nothing else in
such a folder is touched.

Updates are all or nothing. Every new file is written under a unique temporary name beside
its target and fsynced; then the manifest is replaced (atomically) by one that lists the new
files and, as `pending`, the renames still to do: that is the commit point. Then come the
renames (report.json last), the removal of article copies no longer needed, and the manifest
without `pending`. A crash before the commit point leaves the old report and nothing else
of the update but hidden temporary files; after it, the next command that opens the folder
finishes the renames first. Writers hold an exclusive lock on the folder (flock on the
folder itself, so no lock file is left in the user's folder); readers hold a shared one.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import fcntl
import hashlib
import json
import os
import stat
import tempfile
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator

from agent.base import Strict
from agent.filenames import shown
from agent.models import Article

MANIFEST_NAME = ".reconcile-manifest.json"
ARTICLES_DIR = "articles"
REPORT_NAMES = ("report.json", "report.md", "report.html")
"""The report files, in the order they are renamed into place (report.json, the contract,
last)."""

_TEMP_PREFIX, _TEMP_SUFFIX = ".reconcile-", ".tmp"
"""Temporary files are hidden, so a walk of the folder never reads one as an article."""
_NOT_A_FILE = "not a regular file"
"""What `_digest` gives for a folder, a symlink or a device where a file is expected."""
_LEGACY_MARKS = {"report.md": b"# Reconciliation report\n", "report.html": b"<title>Reconciliation"}
"""How report.md starts and what report.html holds near its top, as every version before the
manifest wrote them."""
_LEGACY_HEAD_BYTES = 4096
_NO_LOCKS = frozenset({errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EINVAL})


def _default_mode() -> int:
    # Files are created as open() would create them (0o666 less the umask), not 0o600 as
    # mkstemp does; the umask can only be read by setting it, so set it straight back.
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


_FILE_MODE = _default_mode()


class OutputFolderError(Exception):
    """The output folder cannot be used as asked (one line naming the file and the problem)."""


def _is_article_copy(rel: str) -> bool:
    folder, _, name = rel.partition("/")
    return folder == ARTICLES_DIR and name.endswith(".txt") and "/" not in name and "\0" not in name


def _is_ours_name(rel: str) -> bool:
    """A name reconcile writes: a report file or an article copy, inside the folder."""
    return rel in REPORT_NAMES or _is_article_copy(rel)


def _is_temp_name(rel: str) -> bool:
    folder, _, name = rel.rpartition("/")
    return (
        folder in ("", ARTICLES_DIR)
        and name.startswith(_TEMP_PREFIX)
        and name.endswith(_TEMP_SUFFIX)
        and "\0" not in name
    )


class PendingUpdate(Strict):
    """An update committed but not finished: what the next command completes first."""

    renames: dict[str, str] = Field(default_factory=dict)
    """Final name -> the temporary file holding its new bytes (both relative to the folder)."""
    removals: dict[str, str] = Field(default_factory=dict)
    """Article copies no longer needed -> the sha256 they must still have to be removed."""

    @field_validator("renames")
    @classmethod
    def _renames_inside(cls, renames: dict[str, str]) -> dict[str, str]:
        for final, temp in renames.items():
            if not _is_ours_name(final) or not _is_temp_name(temp):
                raise ValueError(f"not a rename reconcile makes: {final!r} <- {temp!r}")
        return renames

    @field_validator("removals")
    @classmethod
    def _removals_inside(cls, removals: dict[str, str]) -> dict[str, str]:
        for rel in removals:
            if not _is_article_copy(rel):
                raise ValueError(f"not an article copy: {rel!r}")
        return removals


class Manifest(Strict):
    """OUT/.reconcile-manifest.json: every file reconcile wrote in the folder."""

    manifest_version: Literal[1] = 1
    """Version of this file's format."""
    files: dict[str, str] = Field(default_factory=dict)
    """Each file reconcile wrote (relative to the folder) -> sha256 of the bytes it wrote."""
    pending: PendingUpdate | None = None
    """Set from the commit of an update to its last rename (see the module's docstring)."""

    @field_validator("files")
    @classmethod
    def _files_inside(cls, files: dict[str, str]) -> dict[str, str]:
        # A manifest naming "../x" must not make reconcile replace or remove a file elsewhere.
        for rel in files:
            if not _is_ours_name(rel):
                raise ValueError(f"not a file reconcile writes: {rel!r}")
        return files


# --- what is ours ----------------------------------------------------------------------------


def _digest(path: Path, prefix: bytes = b"") -> str | None:
    """sha256 of `prefix` + the file's bytes; None when nothing is there; _NOT_A_FILE for a
    folder, a symlink or anything else that is not a regular file (never ours)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return _NOT_A_FILE
    digest = hashlib.sha256(prefix)
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _load_manifest(out_dir: Path) -> Manifest | None:
    """The folder's manifest, None when it has none; OutputFolderError when it is not one."""
    path = out_dir / MANIFEST_NAME
    kind = _digest(path)
    if kind is None:
        return None
    problem = "not a regular file" if kind == _NOT_A_FILE else ""
    if not problem:
        try:
            return Manifest.model_validate_json(path.read_bytes())
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "file"
            problem = f"{where}: {first['msg']}"
    raise OutputFolderError(
        f"{shown(path)}: not a reconcile manifest ({problem}): move it away or choose another --out"
    )


def _owned(out_dir: Path, manifest: Manifest | None) -> dict[str, str]:
    """The folder's files that are reconcile's own, relative name -> their sha256 now."""
    if manifest is not None:
        return {rel: sha for rel, sha in manifest.files.items() if _digest(out_dir / rel) == sha}
    return _legacy_owned(out_dir)


def _legacy_owned(out_dir: Path) -> dict[str, str]:
    """What a folder written before the manifest existed holds of reconcile's (see the
    module's docstring): everything not provably written by it is someone else's."""
    report = _read_json(out_dir / "report.json")
    if not (
        isinstance(report, dict)
        and report.get("schema_version") == 1
        and isinstance(report.get("backend"), str)
        and isinstance(report.get("articles"), list)
    ):
        return {}
    sha = _digest(out_dir / "report.json")
    if sha is None or sha == _NOT_A_FILE:  # gone since it was read
        return {}
    owned = {"report.json": sha}
    for rel, mark in _LEGACY_MARKS.items():
        head = _head(out_dir / rel)
        if head is not None and (head.startswith(mark) if rel == "report.md" else mark in head):
            digest = _digest(out_dir / rel)
            if digest is not None and digest != _NOT_A_FILE:
                owned[rel] = digest
    for article in report["articles"]:
        if not isinstance(article, dict):
            continue
        article_id, article_sha = article.get("id"), article.get("sha256")
        if not isinstance(article_id, str) or not isinstance(article_sha, str):
            continue
        rel = f"{ARTICLES_DIR}/{article_id}.txt"
        if not _is_article_copy(rel):
            continue
        copy = out_dir / rel
        plain = _digest(copy)
        if plain is None or plain == _NOT_A_FILE:
            continue
        # The copy is the decoded text: the file's bytes without a leading BOM.
        if article_sha in (plain, _digest(copy, codecs.BOM_UTF8)):
            owned[rel] = plain
    return owned


def _read_json(path: Path) -> Any:
    if _digest(path) in (None, _NOT_A_FILE):
        return None
    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None


def _head(path: Path) -> bytes | None:
    if _digest(path) in (None, _NOT_A_FILE):
        return None
    with path.open("rb") as f:
        return f.read(_LEGACY_HEAD_BYTES)


def _check_target(
    out_dir: Path, rel: str, owned: Mapping[str, str], listed: Collection[str]
) -> None:
    """Raise unless `rel` is free or reconcile's own (so it may be replaced)."""
    path = out_dir / rel
    current = _digest(path)
    if current is None or owned.get(rel) == current:
        return
    if rel in listed and current != _NOT_A_FILE:
        why = "was changed since reconcile wrote it"
    else:
        why = "exists and was not written by reconcile"
    raise OutputFolderError(
        f"{shown(path)}: {why}, so reconcile leaves it alone: move it away or choose another --out"
    )


# --- checks before a run ---------------------------------------------------------------------


def writable_problem(folder: Path) -> str | None:
    """Why nothing can be written in `folder`, or None. access(2) answers for the real
    user and reports a read-only mount even to root, who ignores permission bits."""
    if os.access(folder, os.W_OK | os.X_OK):
        return None
    try:
        read_only = bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        read_only = False
    return "read-only file system" if read_only else "permission denied"


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


class RunTarget:
    """The output folder of one run: checked before the inputs are read, checked against the
    articles before any of them is parsed, and checked again under the lock when written."""

    def __init__(self, out_dir: Path, force: bool = False) -> None:
        self.out_dir = out_dir
        self.force = force
        """Replace a report of other articles (reviews and files not ours are kept anyway)."""
        self._inputs: list[Article] = []

    def check_folder(self, inputs: Sequence[Path]) -> None:
        """Everything that can be known before reading an input: the folder is usable, and
        its report files, if any, are reconcile's own. Raises OutputFolderError."""
        out = self.out_dir
        real_out = os.path.realpath(out)
        for given in inputs:
            with contextlib.suppress(ValueError):  # a NUL in a path: ingest reports it
                if os.path.isdir(given) and _inside(os.path.realpath(given), real_out):
                    raise OutputFolderError(
                        f"{shown(given)}: this input folder is inside the output folder "
                        f"{shown(out)}, where the run writes its own files: choose an --out "
                        "outside the inputs"
                    )
        try:
            info = os.stat(out)
        except (FileNotFoundError, NotADirectoryError):  # missing, or below a file
            self._check_creatable()
            return
        except OSError as exc:
            raise OutputFolderError(f"{shown(out)}: cannot use it ({_reason(exc)})") from None
        if not stat.S_ISDIR(info.st_mode):
            raise OutputFolderError(
                f"{shown(out)}: exists and is not a folder: choose another --out"
            )
        problem = writable_problem(out)
        if problem:
            raise OutputFolderError(f"{shown(out)}: cannot write in this folder ({problem})")
        manifest = _settle(out)
        owned = _owned(out, manifest)
        listed = manifest.files if manifest else {}
        for rel in REPORT_NAMES:
            _check_target(out, rel, owned, listed)
        articles = out / ARTICLES_DIR
        if _digest(articles) is not None and not (articles.is_dir() and not articles.is_symlink()):
            raise OutputFolderError(
                f"{shown(articles)}: exists and is not a folder reconcile made: move it away or "
                "choose another --out"
            )

    def _check_creatable(self) -> None:
        """A folder that does not exist yet: its nearest existing parent must take it."""
        parent = Path(os.path.abspath(self.out_dir)).parent
        while not os.path.lexists(parent) and parent != parent.parent:
            parent = parent.parent
        if not parent.is_dir():
            raise OutputFolderError(
                f"{shown(self.out_dir)}: cannot be created: {shown(parent)} is not a folder"
            )
        problem = writable_problem(parent)
        if problem:
            raise OutputFolderError(
                f"{shown(self.out_dir)}: cannot be created in {shown(parent)} ({problem})"
            )

    def check_articles(self, articles: Sequence[Article]) -> None:
        """Before any article is parsed: each article's copy can be written, and the folder
        does not hold the report of other articles (unless --force). Raises
        OutputFolderError."""
        self._inputs = list(articles)
        if not self.out_dir.is_dir():
            return
        manifest = _load_manifest(self.out_dir)
        owned = _owned(self.out_dir, manifest)
        listed = manifest.files if manifest else {}
        for article in articles:
            _check_target(self.out_dir, f"{ARTICLES_DIR}/{article.id}.txt", owned, listed)
        self.check_story(self.out_dir, owned)

    def check_story(self, out_dir: Path, owned: Mapping[str, str]) -> None:
        """Raise unless the report in the folder is absent, of the same articles as this run,
        or --force was given."""
        if self.force or "report.json" not in owned:
            return
        path = out_dir / "report.json"
        old = _read_json(path)
        reason = _other_story(old, self._inputs)
        if reason:
            raise OutputFolderError(
                f"{shown(path)}: holds the report of other articles ({reason}): --force "
                "replaces it (reviews.jsonl is kept), or choose another --out"
            )


def _other_story(old: Any, inputs: Sequence[Article]) -> str | None:
    """Why the old report is not of this run's articles, or None when it is.

    An article is the same when its content (sha256) or its path is: editing an article in
    place keeps the story. A run may add articles only to finish the old report: when that
    was interrupted, or when each added article was one of its errors (it failed then).
    """
    if not isinstance(old, dict) or not isinstance(old.get("articles"), list):
        return "it cannot be read"
    olds = [a for a in old["articles"] if isinstance(a, dict)]
    now = {a.sha256 for a in inputs} | {a.path for a in inputs}
    found = sum(1 for a in olds if a.get("sha256") in now or a.get("path") in now)
    if found < len(olds):
        return f"{_count(len(olds), 'article')}, {found} of them in this run"
    known = {a.get("sha256") for a in olds} | {a.get("path") for a in olds}
    added = [a for a in inputs if a.sha256 not in known and a.path not in known]
    if not added or old.get("interrupted"):
        return None
    errors = old.get("errors")
    failed = (
        {e.get("path") for e in errors if isinstance(e, dict)}
        if isinstance(errors, list)
        else set()
    )
    if all(a.path in failed for a in added):
        return None
    return f"{_count(len(olds), 'article')}, all in this run, which has {len(added)} more"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


# --- writing -----------------------------------------------------------------------------------


@contextlib.contextmanager
def _locked(folder: Path, shared: bool = False) -> Iterator[None]:
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
        except OSError as exc:
            # A file system without locks (some network shares): go on unlocked, as
            # before locks existed, rather than refuse to write at all.
            if exc.errno not in _NO_LOCKS:
                raise
        yield
    finally:
        os.close(fd)  # releases the lock


def commit(
    out_dir: Path,
    files: Mapping[str, bytes],
    keep: Collection[str] = (),
    check: Callable[[Path, Mapping[str, str]], None] | None = None,
) -> None:
    """Make the folder hold `files` (relative name -> bytes), all or nothing.

    Article copies of reconcile's that are neither in `files` nor in `keep` are removed, after
    the new report.json is in place. `check(out_dir, owned)` runs under the lock before
    anything is written (a run re-checks its story there). Raises OutputFolderError, with
    nothing changed, when a file to write is not reconcile's own or the folder cannot be
    written.
    """
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with _locked(out_dir):
            manifest = _finish_pending(out_dir, _load_manifest(out_dir))
            owned = _owned(out_dir, manifest)
            listed = manifest.files if manifest else {}
            for rel in files:
                _check_target(out_dir, rel, owned, listed)
            if check is not None:
                check(out_dir, owned)
            new = {rel: _sha(data) for rel, data in files.items()}
            new |= {rel: owned[rel] for rel in keep if rel in owned and rel not in new}
            removals = {
                rel: sha for rel, sha in owned.items() if _is_article_copy(rel) and rel not in new
            }
            renames: dict[str, str] = {}
            try:
                if any(_is_article_copy(rel) for rel in files):
                    (out_dir / ARTICLES_DIR).mkdir(exist_ok=True)
                for rel, data in files.items():
                    if owned.get(rel) != new[rel]:
                        renames[rel] = _write_temp(out_dir, rel, data)
                pending = PendingUpdate(renames=renames, removals=removals)
                updated = Manifest(files=new, pending=pending if renames or removals else None)
                if updated != manifest:
                    _write_manifest(out_dir, updated)
            except BaseException:
                for temp in renames.values():
                    with contextlib.suppress(OSError):
                        os.unlink(out_dir / temp)
                raise
            _finish_pending(out_dir, updated)
    except OSError as exc:
        where = exc.filename if isinstance(exc.filename, str) else out_dir
        raise OutputFolderError(
            f"{shown(where)}: cannot write the report ({_reason(exc)})"
        ) from None


def _write_temp(out_dir: Path, rel: str, data: bytes) -> str:
    """Write `data` durably under a unique hidden name beside `rel`; its relative name."""
    target = out_dir / rel
    fd, name = tempfile.mkstemp(prefix=_TEMP_PREFIX, suffix=_TEMP_SUFFIX, dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            os.fchmod(f.fileno(), _FILE_MODE)
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise
    return (Path(rel).parent / os.path.basename(name)).as_posix()


def _write_manifest(out_dir: Path, manifest: Manifest) -> None:
    temp = _write_temp(out_dir, MANIFEST_NAME, (manifest.model_dump_json(indent=2) + "\n").encode())
    os.replace(out_dir / temp, out_dir / MANIFEST_NAME)
    _fsync_dir(out_dir)


def _finish_pending(out_dir: Path, manifest: Manifest | None) -> Manifest | None:
    """Complete a committed update (idempotent: a rename already done is skipped); the
    manifest as it is afterwards."""
    if manifest is None or manifest.pending is None:
        return manifest
    pending = manifest.pending
    order = sorted(
        pending.renames, key=lambda rel: (rel in REPORT_NAMES, rel == "report.json", rel)
    )
    folders: set[Path] = set()
    for rel in order:
        temp = out_dir / pending.renames[rel]
        if os.path.lexists(temp):
            os.replace(temp, out_dir / rel)
            folders.add(temp.parent)
    for folder in folders:
        _fsync_dir(folder)
    for rel, sha in pending.removals.items():
        # Still reconcile's own (unchanged since it was listed): otherwise it is left alone.
        if _digest(out_dir / rel) == sha:
            os.unlink(out_dir / rel)
            folders.add((out_dir / rel).parent)
    for folder in folders:
        _fsync_dir(folder)
    done = manifest.model_copy(update={"pending": None})
    _write_manifest(out_dir, done)
    return done


def _settle(out_dir: Path) -> Manifest | None:
    """The folder's manifest, after finishing an update a crash interrupted (if any)."""
    manifest = _load_manifest(out_dir)
    if manifest is None or manifest.pending is None:
        return manifest
    try:
        with _locked(out_dir):
            return _finish_pending(out_dir, _load_manifest(out_dir))
    except OSError as exc:
        raise OutputFolderError(
            f"{shown(out_dir)}: cannot finish the update a crash interrupted ({_reason(exc)})"
        ) from None


@contextlib.contextmanager
def steady(out_dir: Path) -> Iterator[None]:
    """Hold the folder still while it is read: an update a crash interrupted is finished
    first, and no writer changes a file meanwhile. Raises OutputFolderError when such an
    update cannot be finished (a read-only folder)."""
    if not out_dir.is_dir():
        yield
        return
    try:
        pending = _load_manifest(out_dir)
    except OutputFolderError:
        pending = None  # reading needs no manifest; writing will say what is wrong with it
    if pending is not None and pending.pending is not None:
        problem = writable_problem(out_dir)
        if problem:
            raise OutputFolderError(
                f"{shown(out_dir)}: an update of the report was interrupted and the folder "
                f"cannot be written ({problem}): make it writable and run `reconcile review`"
            )
        _settle(out_dir)
    try:
        lock = _locked(out_dir, shared=True)
        lock.__enter__()
    except OSError:
        # A folder that cannot be opened cannot be locked either; reading it says why.
        yield
        return
    try:
        yield
    finally:
        lock.__exit__(None, None, None)


def _fsync_dir(folder: Path) -> None:
    # So renames and removals survive a power cut, not only the files' contents.
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__
