"""A terminal review session: the queue of items, where the reviewer is, and each action.

The actions themselves are the engine's (`agent.review.actions`); the session adds a cursor:
the item under review, and, once the reviewer steps into its pairs, the pair. It is driven by
method calls (the terminal loop in `agent.review.terminal` maps keys to them), so it can be
tested directly.
"""

from __future__ import annotations

from pathlib import Path

from agent.models import (
    Claim,
    Contradiction,
    ContradictionType,
    DisputeSide,
    Report,
    ReviewDecision,
    ReviewStatus,
    Side,
)
from agent.review.actions import (
    ActionError,
    NotSaved,
    ReviewEngine,
    ReviewItem,
    claim_ref,
    item_status,
)
from agent.review.log import ReviewEvent

__all__ = ["ActionError", "NotSaved", "ReviewSession"]


class ReviewSession:
    """One reviewer going through a report's disputes, most confident first."""

    def __init__(
        self,
        report: Report,
        out_dir: Path,
        reviewer: str,
        only: ReviewDecision | None = None,
        read_only: str | None = None,
    ) -> None:
        """`read_only`: why the output folder cannot be written (browse only), or None."""
        self.engine = ReviewEngine(report, out_dir, reviewer, read_only)
        self.reviewer = reviewer
        # The queue is fixed when the session starts, so a dispute confirmed under
        # `--only pending` does not vanish from under the reviewer.
        self._queue = [
            i.fingerprint
            for i in self.engine.items
            if only is None or item_status(i).decision == only
        ]
        self._known = {i.fingerprint: i for i in self.engine.items}
        # Revisiting confirmed or rejected items starts at the top; otherwise resume.
        self.index = self._resume_index() if only in (None, "pending") else 0
        self.pair_index: int | None = None
        """The pair under review inside the current item, or None (the whole item)."""

    # --- where the reviewer is ----------------------------------------------------------------

    @property
    def problems(self) -> list[str]:
        """Unreadable lines of the log (skipped), one line each."""
        return self.engine.problems

    @property
    def read_only(self) -> str | None:
        """Why nothing more can be recorded, or None."""
        return self.engine.read_only

    @property
    def browse_only(self) -> bool:
        """Opened for browsing because the folder cannot be written."""
        return self.engine.browse_only

    @property
    def report(self) -> Report:
        """The report with every decision so far applied."""
        return self.engine.report

    @property
    def queue(self) -> list[ReviewItem]:
        """The items of this session, with their current statuses."""
        return [self._item(fp) for fp in self._queue]

    @property
    def current(self) -> ReviewItem | None:
        """The item under review; None past the last one."""
        return self._item(self._queue[self.index]) if self.index < len(self._queue) else None

    @property
    def current_pair(self) -> Contradiction | None:
        """The pair under review, when the reviewer stepped into the item's pairs."""
        item = self.current
        if item is None or self.pair_index is None:
            return None
        return item.pairs[min(self.pair_index, len(item.pairs) - 1)]

    def status(self, item: ReviewItem) -> ReviewStatus:
        """The item's current status."""
        return item_status(self._item(item.fingerprint))

    def counts(self) -> dict[ReviewDecision, int]:
        """Confirmed, rejected and pending items in the queue."""
        counts: dict[ReviewDecision, int] = {"confirmed": 0, "rejected": 0, "pending": 0}
        for item in self.queue:
            counts[item_status(item).decision] += 1
        return counts

    def pair_counts(self) -> dict[ReviewDecision, int]:
        """Confirmed, rejected and pending pairs of the queue's items."""
        counts: dict[ReviewDecision, int] = {"confirmed": 0, "rejected": 0, "pending": 0}
        for item in self.queue:
            for pair in item.pairs:
                counts[pair.review.decision] += 1
        return counts

    # --- moving -------------------------------------------------------------------------------

    def enter_pairs(self) -> bool:
        """Step into the current item's pairs (False for an item of one pair)."""
        item = self.current
        if item is None or item.single:
            return False
        self.pair_index = 0
        return True

    def leave_pairs(self) -> None:
        """Back to the whole item."""
        self.pair_index = None

    def skip(self) -> None:
        """Leave the item (or pair) pending and move on (resuming starts after skipped items).
        A read-only session moves on without recording it."""
        item = self.current
        if item is not None:
            self.engine.skip(item, self.current_pair)
        self._advance()

    def back(self) -> None:
        """Go to the previous item (or pair)."""
        if self.pair_index is not None:
            self.pair_index = max(self.pair_index - 1, 0)
        else:
            self.index = max(self.index - 1, 0)

    # --- deciding -----------------------------------------------------------------------------

    def confirm(self) -> None:
        """The item (or pair) is a real contradiction; move on."""
        self._decide("confirm")

    def reject(self) -> None:
        """The item (or pair) is not a contradiction; move on."""
        self._decide("reject")

    def note(self, text: str) -> None:
        """Attach a note to the item (or pair); it replaces an earlier note."""
        item = self.current
        if item is not None:
            self.engine.note(item, text, self.current_pair)

    def retype(self, new_type: ContradictionType) -> None:
        """Correct the item's (or pair's) type."""
        item = self.current
        if item is not None:
            self.engine.retype(item, new_type, self.current_pair)

    def correct_claimant(self, side_number: int, claimant: str) -> str:
        """Correct the claimant of the current view's side number `side_number` (1-based);
        returns the claimant it had. Raises ActionError on a number out of range."""
        sides = self.sides()
        if not 1 <= side_number <= len(sides):
            raise ActionError(f"no side {side_number} here (1 to {len(sides)})")
        side = sides[side_number - 1]
        self.engine.correct_claimant(claim_ref(side), claimant)
        return side.claimant

    def sides(self) -> list[Side | DisputeSide]:
        """The sides on screen, in the order they are numbered: the pair's, or the item's."""
        pair = self.current_pair
        if pair is not None:
            return list(pair.sides)
        item = self.current
        return list(item.sides()) if item is not None else []

    def story_claims(self) -> list[Claim]:
        """The claims a missed contradiction can be made of (the current item's story)."""
        item = self.current
        return self.engine.story_claims(item) if item is not None else []

    def add(
        self, first: Claim, second: Claim, type_: ContradictionType, note: str = ""
    ) -> Contradiction:
        """Add a contradiction the tool missed, between two claims of the story."""
        return self.engine.add_contradiction(first, second, type_, note)

    def undo(self) -> ReviewEvent | None:
        """Cancel the latest change in the log, and go to what it was about.

        Returns the event undone, or None when there is nothing to undo.
        """
        target = self.engine.undo()
        if target is None:
            return None
        for i, fp in enumerate(self._queue):
            item = self._item(fp)
            if target.target == "dispute" and fp == target.fingerprint:
                self.index, self.pair_index = i, None
            elif target.target == "pair":
                for j, pair in enumerate(item.pairs):
                    if pair.fingerprint == target.fingerprint:
                        self.index = i
                        self.pair_index = None if item.single else j
        return target

    def check_writable(self) -> None:
        """Raise NotSaved when the session is read-only (before asking for a note or type)."""
        self.engine.check_writable()

    def close(self) -> None:
        """Close the log file (everything recorded is already on disk)."""
        self.engine.close()

    # --- inside -------------------------------------------------------------------------------

    def _item(self, fingerprint: str) -> ReviewItem:
        found = self.engine.item(fingerprint)
        if found is not None:
            self._known[fingerprint] = found
        return self._known[fingerprint]

    def _decide(self, decision: str) -> None:
        item = self.current
        if item is None:
            return
        self.engine.decide(
            item, "confirm" if decision == "confirm" else "reject", self.current_pair
        )
        self._advance()

    def _advance(self) -> None:
        if self.pair_index is not None:
            item = self.current
            if item is not None and self.pair_index + 1 < len(item.pairs):
                self.pair_index += 1
            else:
                self.pair_index = None  # past the last pair: back to the whole dispute
            return
        self.index = min(self.index + 1, len(self._queue))

    def _resume_index(self) -> int:
        """Where the reviewer stopped: the first pending item not skipped, else the first
        pending one, else past the end (everything decided)."""
        skipped = {e.fingerprint for e in self.engine.events if e.action == "skip"}
        items = self.queue
        pending = [i for i, item in enumerate(items) if item_status(item).decision == "pending"]
        fresh = [i for i in pending if items[i].fingerprint not in skipped]
        if fresh:
            return fresh[0]
        return pending[0] if pending else len(items)
