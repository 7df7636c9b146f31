"""The review log: every decision a reviewer makes, appended to `<out>/reviews.jsonl`.

JSON Lines rather than SQLite: an append-only text file is the whole mechanism we need (one
write and one fsync per decision), a person can read, grep and diff the labelled data, and a
line torn by a crash mid-write is easy to detect and skip. The log is never rewritten: undo
is an event of its own, and the state of every flag is a replay of the log.

Each event carries what it is about as the reviewer saw it (the flag, the dispute and the
pairs it held, the claim), so a decision stays meaningful (and exportable) after a re-run no
longer finds it. An event names its target by content: a pair (flag) by its fingerprint, a
dispute by its fingerprint, a claim by its content key (article SHA-256 and span). Logs written
before disputes hold pair events only, and read as such.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import getpass
import os
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError

from agent.base import Strict
from agent.models import Contradiction, ContradictionType, Dispute, ReviewStatus

LOG_NAME = "reviews.jsonl"

Action = Literal["confirm", "reject", "note", "retype", "skip", "undo", "claimant", "add"]
UNDOABLE: frozenset[str] = frozenset({"confirm", "reject", "note", "retype", "claimant", "add"})
"""Actions that change a status (skip only marks where the reviewer got to)."""
Target = Literal["pair", "dispute", "claim"]


class ClaimRef(Strict):
    """A claim as the reviewer saw it, for a claimant correction (its own small model, so a
    change to the report's Claim cannot make old log lines unreadable)."""

    claim_id: str
    """The claim's id in the report the reviewer saw."""
    article_id: str
    """The article it is in."""
    article_sha256: str
    """SHA-256 of that article: with the span, what the correction attaches to."""
    start: int
    """Offset of the quote in the article text."""
    end: int
    """Offset one past the quote's end."""
    quote: str
    """The claim's words."""
    claimant: str
    """The claimant the tool gave."""


class ReviewEvent(Strict):
    """One line of reviews.jsonl: one thing a reviewer did to one pair, dispute or claim."""

    id: str = Field(default_factory=lambda: uuid.uuid4().hex)
    """Unique id of this event (undo events point at it)."""
    fingerprint: str
    """What it is about: a flag's (pair's) or a dispute's fingerprint, or a claim's key."""
    action: Action
    """confirm, reject, note, retype (change the type), skip, undo; claimant (correct a
    claim's claimant, target claim); add (a contradiction the tool missed, target pair)."""
    target: Target = "pair"
    """What `fingerprint` names: a pair (the default: every event of logs written before
    disputes), a dispute, or a claim."""
    note: str | None = None
    """The note's text (action note)."""
    type: ContradictionType | None = None
    """The new type (action retype)."""
    undoes: str | None = None
    """The id of the event this one cancels (action undo)."""
    reviewer: str
    """Who did it."""
    at: dt.datetime = Field(default_factory=lambda: dt.datetime.now(dt.UTC))
    """When (UTC)."""
    flag: Contradiction | None = None
    """The flag as the reviewer saw it (pair actions but undo); for add, the new flag."""
    dispute: Dispute | None = None
    """The dispute as the reviewer saw it (dispute actions but undo)."""
    pairs: list[Contradiction] | None = None
    """The pairs the dispute held when the action was taken (dispute actions but undo): a
    dispute-level decision or type applies to these, not to pairs a re-run adds."""
    claim: ClaimRef | None = None
    """The claim whose claimant is corrected (action claimant)."""
    claimant: str | None = None
    """The right claimant, as the reviewer typed it (action claimant)."""


def default_reviewer() -> str:
    """The login name, or a placeholder where the system has none (some containers)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@dataclass
class LoadedLog:
    """The events of a log file, and the lines that could not be read."""

    events: list[ReviewEvent] = field(default_factory=list)
    """Readable events, in file order."""
    problems: list[str] = field(default_factory=list)
    """One line per unreadable line ("reviews.jsonl:12: ...")."""


def load_log(path: Path) -> LoadedLog:
    """Read every event; a bad or torn line is reported and skipped, never fatal."""
    loaded = LoadedLog()
    if not path.exists():
        return loaded
    raw = path.read_bytes()
    lines = raw.split(b"\n")
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            loaded.events.append(ReviewEvent.model_validate_json(line))
        except ValidationError as exc:
            torn = number == len(lines) and not raw.endswith(b"\n")
            why = (
                "incomplete last line (the writer was stopped mid-line)"
                if torn
                else (f"not a review event ({exc.errors()[0]['msg']})")
            )
            loaded.problems.append(f"{path}:{number}: {why}; skipped")
    return loaded


class ReviewLogError(Exception):
    """The log could not be opened for writing, or an event could not be written durably (a
    full disk, a read-only folder, no permission): nothing of that event is in the log."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        """The log file."""
        self.reason = reason
        """What the system said ("No space left on device")."""


class ReviewLog:
    """Appends events durably: each is written and fsynced before `append` returns.

    Nothing is written when the log is opened: a line torn by an earlier crash is ended by the
    next append, so opening a log on a full disk or in a read-only folder cannot fail on it.
    """

    def __init__(self, path: Path) -> None:
        """Open (or create) the log for appending; raises ReviewLogError when it cannot be."""
        self.path = path
        try:
            created = not path.exists()
            path.parent.mkdir(parents=True, exist_ok=True)
            # Read as well as append: an append looks at the last byte under the lock.
            self._fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
        except OSError as exc:
            raise ReviewLogError(path, _reason(exc)) from None
        if created:
            with contextlib.suppress(OSError):  # the file is there; only its entry's durability
                _fsync_dir(path.parent)

    def append(self, event: ReviewEvent) -> ReviewEvent:
        """Write one event as one line and make it durable before returning it.

        Raises ReviewLogError when the line cannot be written and synced whole; the log is
        then cut back to where it was (or, when even that fails, left with a torn last line,
        which readers skip and the next append ends).
        """
        # The snapshots' own review fields would be stale the moment they are written; a pair
        # event is written without its default target, as the previous version wrote it.
        exclude: dict[str, Any] = {
            "flag": {"review"},
            "dispute": {"review"},
            "pairs": {"__all__": {"review"}},
        }
        if event.target == "pair":
            exclude["target"] = True
        line = event.model_dump_json(exclude_none=True, exclude=exclude)
        data = line.encode("utf-8") + b"\n"
        with _locked(self._fd):  # another session appending to the same log waits
            size = os.fstat(self._fd).st_size
            if size and os.pread(self._fd, 1, size - 1) != b"\n":
                data = b"\n" + data  # a line torn by an earlier crash: start ours anew
            try:
                _write_all(self._fd, data)
                os.fsync(self._fd)
            except OSError as exc:
                with contextlib.suppress(OSError):
                    os.ftruncate(self._fd, size)
                    os.fsync(self._fd)
                raise ReviewLogError(self.path, _reason(exc)) from None
        return event

    def close(self) -> None:
        os.close(self._fd)

    def __enter__(self) -> ReviewLog:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _write_all(fd: int, data: bytes) -> None:
    # os.write may write only part of the bytes (a disk filling up): write the rest, and let
    # the next call raise the error (ENOSPC) that stopped it.
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written == 0:
            raise OSError(errno.EIO, "the write made no progress")
        view = view[written:]


@contextlib.contextmanager
def _locked(fd: int) -> Iterator[None]:
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _fsync_dir(folder: Path) -> None:
    # So the new file's directory entry survives a power cut, not only its contents.
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def live_events(events: Sequence[ReviewEvent]) -> list[ReviewEvent]:
    """The events still in force: undo events and the events they cancel are removed."""
    undone = {e.undoes for e in events if e.action == "undo" and e.undoes}
    return [e for e in events if e.action != "undo" and e.id not in undone]


def replay(events: Iterable[ReviewEvent], target: Target = "pair") -> dict[str, ReviewStatus]:
    """Each pair's (or each dispute's) own status after the events in force, by fingerprint.

    An added contradiction (action add) is confirmed, with the note given when adding it.
    """
    statuses: dict[str, ReviewStatus] = {}
    for event in live_events(list(events)):
        if event.action not in UNDOABLE or event.target != target:
            continue
        status = statuses.get(event.fingerprint, ReviewStatus())
        update: dict[str, object] = {"reviewer": event.reviewer, "at": event.at}
        if event.action == "add":
            update["decision"] = "confirmed"
            update["note"] = event.note or ""
        elif event.action == "confirm":
            update["decision"] = "confirmed"
        elif event.action == "reject":
            update["decision"] = "rejected"
        elif event.action == "note":
            update["note"] = event.note or ""
        elif event.action == "retype":
            # The judge's own type chosen again is no correction: it clears one.
            same = event.flag is not None and event.type == event.flag.type
            if event.dispute is not None:
                same = event.dispute.types == [event.type]
            update["type"] = None if same else event.type
        statuses[event.fingerprint] = status.model_copy(update=update)
    return statuses


def last_undoable(events: Sequence[ReviewEvent]) -> ReviewEvent | None:
    """The most recent event in force that changed something: what "undo" cancels next."""
    for event in reversed(live_events(events)):
        if event.action in UNDOABLE:
            return event
    return None


def snapshots(events: Iterable[ReviewEvent]) -> dict[str, Contradiction]:
    """The latest snapshot of each flag the log mentions, by fingerprint (the pairs a
    dispute-level event held included)."""
    found: dict[str, Contradiction] = {}
    for e in events:
        for pair in e.pairs or []:
            found[pair.fingerprint] = pair
        if e.flag is not None and e.target == "pair":
            found[e.fingerprint] = e.flag
    return found
