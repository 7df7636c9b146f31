"""A review session: the queue of flags, the reviewer's position, and each action recorded.

No terminal here: the session is driven by method calls (the terminal loop in
`agent.review.terminal` maps keys to them), so it can be tested directly. Every action that
changes a status is appended to the log, durably, before the method returns; only then does
the session count it. When the log cannot be written (a full disk, a read-only folder) the
action raises NotSaved, changes nothing, and the session goes on read-only: browsing works,
recording does not.
"""

from __future__ import annotations

from pathlib import Path

from agent.models import Contradiction, ContradictionType, Report, ReviewDecision, ReviewStatus
from agent.review.log import (
    LOG_NAME,
    Action,
    ReviewEvent,
    ReviewLog,
    ReviewLogError,
    last_undoable,
    load_log,
    replay,
)


class NotSaved(Exception):
    """An action that was not recorded, because the log cannot be written."""

    def __init__(self, reason: str, just_now: bool) -> None:
        if just_now:
            message = f"not saved: {reason}; the session is read-only now (b, s and q still work)"
        else:
            message = f"not saved: the session is read-only ({reason}); b, s and q still work"
        super().__init__(message)


class ReviewSession:
    """One reviewer going through a report's flags, most confident first."""

    def __init__(
        self,
        report: Report,
        out_dir: Path,
        reviewer: str,
        only: ReviewDecision | None = None,
        read_only: str | None = None,
    ) -> None:
        """`read_only`: why the output folder cannot be written (browse only), or None."""
        loaded = load_log(out_dir / LOG_NAME)
        self.report = report
        self.reviewer = reviewer
        self.problems = loaded.problems
        """Unreadable lines of the log (skipped), one line each."""
        self.events: list[ReviewEvent] = loaded.events
        self.statuses = replay(self.events)
        # The queue is fixed when the session starts, so a flag confirmed under
        # `--only pending` does not vanish from under the reviewer.
        self.queue = [
            c
            for c in sorted(report.contradictions, key=lambda c: (-c.confidence, c.id))
            if only is None or self.status(c).decision == only
        ]
        # Revisiting confirmed or rejected flags starts at the top; otherwise resume.
        self.index = self._resume_index() if only in (None, "pending") else 0
        self.browse_only = read_only is not None
        """Opened for browsing because the folder cannot be written."""
        self.read_only: str | None = read_only
        """Why nothing more can be recorded (the folder or the log cannot be written), or None."""
        self._log: ReviewLog | None = None
        if read_only is None:
            try:
                self._log = ReviewLog(out_dir / LOG_NAME)
            except ReviewLogError as exc:
                self.read_only = exc.reason

    def close(self) -> None:
        """Close the log file (everything recorded is already on disk)."""
        if self._log is not None:
            self._log.close()

    def check_writable(self) -> None:
        """Raise NotSaved when the session is read-only (before asking for a note or type)."""
        if self.read_only is not None:
            raise NotSaved(self.read_only, just_now=False)

    def status(self, flag: Contradiction) -> ReviewStatus:
        """The flag's current status."""
        return self.statuses.get(flag.fingerprint, ReviewStatus())

    @property
    def current(self) -> Contradiction | None:
        """The flag under review; None past the last one."""
        return self.queue[self.index] if self.index < len(self.queue) else None

    def counts(self) -> dict[ReviewDecision, int]:
        """Confirmed, rejected and pending flags in the queue."""
        counts: dict[ReviewDecision, int] = {"confirmed": 0, "rejected": 0, "pending": 0}
        for flag in self.queue:
            counts[self.status(flag).decision] += 1
        return counts

    def confirm(self) -> None:
        """The flag is a real contradiction; move on."""
        self._record("confirm")
        self._advance()

    def reject(self) -> None:
        """The flag is not a contradiction; move on."""
        self._record("reject")
        self._advance()

    def skip(self) -> None:
        """Leave the flag pending; move on (resuming starts after skipped flags). A read-only
        session moves on without recording it."""
        if self.read_only is None:
            self._record("skip")
        self._advance()

    def back(self) -> None:
        """Go to the previous flag."""
        self.index = max(self.index - 1, 0)

    def note(self, text: str) -> None:
        """Attach a note to the flag (it replaces an earlier note)."""
        self._record("note", note=text)

    def retype(self, new_type: ContradictionType) -> None:
        """Correct the flag's type."""
        self._record("retype", type=new_type)

    def undo(self) -> ReviewEvent | None:
        """Cancel the latest decision, note or type change in the log, and go to its flag.

        Returns the event undone, or None when there is nothing to undo.
        """
        target = last_undoable(self.events)
        if target is None:
            return None
        self._append(
            ReviewEvent(
                fingerprint=target.fingerprint,
                action="undo",
                undoes=target.id,
                reviewer=self.reviewer,
            )
        )
        for i, flag in enumerate(self.queue):
            if flag.fingerprint == target.fingerprint:
                self.index = i
        return target

    def _record(self, action: Action, **fields: object) -> None:
        flag = self.current
        if flag is None:
            return
        event = ReviewEvent.model_validate(
            {
                "fingerprint": flag.fingerprint,
                "action": action,
                "reviewer": self.reviewer,
                "flag": flag,
                **fields,
            }
        )
        self._append(event)

    def _append(self, event: ReviewEvent) -> None:
        log = self._log
        if log is None or self.read_only is not None:
            raise NotSaved(self.read_only or "the review log is not open", just_now=False)
        try:
            log.append(event)  # durable before the next key is read
        except ReviewLogError as exc:
            self.read_only = exc.reason
            raise NotSaved(exc.reason, just_now=True) from None
        self.events.append(event)
        self.statuses = replay(self.events)

    def _advance(self) -> None:
        self.index = min(self.index + 1, len(self.queue))

    def _resume_index(self) -> int:
        """Where the reviewer stopped: the first pending flag not skipped, else the first
        pending one, else past the end (everything decided)."""
        skipped = {e.fingerprint for e in self.events if e.action == "skip"}
        pending = [i for i, f in enumerate(self.queue) if self.status(f).decision == "pending"]
        fresh = [i for i in pending if self.queue[i].fingerprint not in skipped]
        if fresh:
            return fresh[0]
        return pending[0] if pending else len(self.queue)
