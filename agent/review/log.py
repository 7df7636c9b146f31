"""The review log: every decision a reviewer makes, appended to `<out>/reviews.jsonl`.

JSON Lines rather than SQLite: an append-only text file is the whole mechanism we need (one
write and one fsync per decision), a person can read, grep and diff the labelled data, and a
line torn by a crash mid-write is easy to detect and skip. The log is never rewritten: undo
is an event of its own, and the state of every flag is a replay of the log.

Each event carries the flag as the reviewer saw it, so a decision stays meaningful (and
exportable) after a re-run no longer finds its flag.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from agent.base import Strict
from agent.models import Contradiction, ContradictionType, ReviewStatus

LOG_NAME = "reviews.jsonl"

Action = Literal["confirm", "reject", "note", "retype", "skip", "undo"]
UNDOABLE: frozenset[str] = frozenset({"confirm", "reject", "note", "retype"})
"""Actions that change a flag's status (skip only marks where the reviewer got to)."""


class ReviewEvent(Strict):
    """One line of reviews.jsonl: one thing a reviewer did to one flag."""

    id: str = Field(default_factory=lambda: uuid.uuid4().hex)
    """Unique id of this event (undo events point at it)."""
    fingerprint: str
    """The flag's content fingerprint."""
    action: Action
    """confirm, reject, note, retype (change the type), skip, or undo."""
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
    """The flag as the reviewer saw it (every action but undo)."""


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


class ReviewLog:
    """Appends events durably: each is written and fsynced before `append` returns."""

    def __init__(self, path: Path) -> None:
        self.path = path
        created = not path.exists()
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        if created:
            _fsync_dir(path.parent)
        elif _ends_mid_line(path):
            # A line torn by an earlier crash: start ours on a line of its own.
            os.write(self._fd, b"\n")

    def append(self, event: ReviewEvent) -> ReviewEvent:
        """Write one event as one line and make it durable before returning it."""
        # The snapshot's own review field would be stale the moment it is written.
        line = event.model_dump_json(exclude_none=True, exclude={"flag": {"review"}})
        os.write(self._fd, line.encode("utf-8") + b"\n")
        os.fsync(self._fd)
        return event

    def close(self) -> None:
        os.close(self._fd)

    def __enter__(self) -> ReviewLog:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _ends_mid_line(path: Path) -> bool:
    with path.open("rb") as f:
        f.seek(0, os.SEEK_END)
        if f.tell() == 0:
            return False
        f.seek(-1, os.SEEK_END)
        return f.read(1) != b"\n"


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


def replay(events: Iterable[ReviewEvent]) -> dict[str, ReviewStatus]:
    """Each flag's status after the events in force, by fingerprint."""
    statuses: dict[str, ReviewStatus] = {}
    for event in live_events(list(events)):
        if event.action not in UNDOABLE:
            continue
        status = statuses.get(event.fingerprint, ReviewStatus())
        update: dict[str, object] = {"reviewer": event.reviewer, "at": event.at}
        if event.action == "confirm":
            update["decision"] = "confirmed"
        elif event.action == "reject":
            update["decision"] = "rejected"
        elif event.action == "note":
            update["note"] = event.note or ""
        elif event.action == "retype":
            # The judge's own type chosen again is no correction: it clears one.
            same = event.flag is not None and event.type == event.flag.type
            update["type"] = None if same else event.type
        statuses[event.fingerprint] = status.model_copy(update=update)
    return statuses


def last_undoable(events: Sequence[ReviewEvent]) -> ReviewEvent | None:
    """The most recent event in force that changed a status: what "undo" cancels next."""
    for event in reversed(live_events(events)):
        if event.action in UNDOABLE:
            return event
    return None


def snapshots(events: Iterable[ReviewEvent]) -> dict[str, Contradiction]:
    """The latest snapshot of each flag the log mentions, by fingerprint."""
    return {e.fingerprint: e.flag for e in events if e.flag is not None}
