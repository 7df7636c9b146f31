"""The review engine: every action a reviewer can take, on a report and its review log.

No terminal and no cursor here: each action names what it is about (a review item, one of
its pairs, a claim), so the terminal session (`agent.review.session`) and a web server call
the same functions. Every action is one event appended to OUT/reviews.jsonl, durably, before
the method returns; only then does the engine count it. When the log cannot be written (a
full disk, a read-only folder) the action raises NotSaved, changes nothing, and the engine
goes read-only.

What is reviewed is a list of items, most confident first: each dispute of the report with
its pairs, and, for every contradiction in no dispute (every one, in a report written before
disputes, or an added one), an item of that one pair, whose dispute-level actions are the
pair's own (so the log reads as it did before disputes).
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal

from agent.ids import flag_fingerprint, stable_id
from agent.models import (
    Claim,
    Contradiction,
    ContradictionType,
    Dispute,
    DisputeSide,
    Position,
    Report,
    ReviewDecision,
    ReviewStatus,
    Side,
)
from agent.review.log import (
    LOG_NAME,
    Action,
    ClaimRef,
    ReviewEvent,
    ReviewLog,
    ReviewLogError,
    last_undoable,
    load_log,
)
from agent.review.state import ReviewState, claim_key, replay_state
from agent.review.status import ADDED_CUE, apply_state, pristine, span_key

Decision = Literal["confirm", "reject"]


class NotSaved(Exception):
    """An action that was not recorded, because the log cannot be written."""

    def __init__(self, reason: str, just_now: bool) -> None:
        if just_now:
            message = f"not saved: {reason}; the session is read-only now (b, s and q still work)"
        else:
            message = f"not saved: the session is read-only ({reason}); b, s and q still work"
        super().__init__(message)


class ActionError(ValueError):
    """An action that makes no sense (the same claim twice, a pair already flagged); one line
    saying why. Nothing was recorded."""


class ReviewItem:
    """One thing to review: a dispute and its pairs, or one pair in no dispute."""

    def __init__(self, pairs: list[Contradiction], dispute: Dispute | None = None) -> None:
        """A dispute's item (its pairs, most confident first), or, without `dispute`, the
        item of a single pair in no dispute."""
        self.pairs = pairs
        """Its pairs, most confident first, each with its status in `review`."""
        self.single = dispute is None
        """One pair in no dispute: its dispute-level actions are the pair's own."""
        self._dispute = dispute

    @cached_property
    def dispute(self) -> Dispute:
        """The dispute (for a single pair, one made of it when first asked for: one position
        per side; a report may hold thousands)."""
        return self._dispute or _single_dispute(self.pairs[0])

    @property
    def fingerprint(self) -> str:
        """What its dispute-level decisions attach to (a single pair's: the pair's)."""
        return self._dispute.fingerprint if self._dispute else self.pairs[0].fingerprint

    @property
    def confidence(self) -> float:
        """The highest confidence among its pairs."""
        return self._dispute.confidence if self._dispute else self.pairs[0].confidence

    @property
    def order(self) -> tuple[float, str]:
        """Where it goes in the queue: most confident first, then by id."""
        return (-self.confidence, self._dispute.id if self._dispute else f"dp-{self.pairs[0].id}")

    def sides(self) -> list[DisputeSide]:
        """Every side of every position, in order: the numbers the reviewer picks by."""
        return [side for position in self.dispute.positions for side in position.sides]


def _single_dispute(flag: Contradiction) -> Dispute:
    """A dispute made of one contradiction: a position per side."""
    positions = [
        Position(
            id=stable_id("po", side.claim_id),
            label=side.claimant,
            summary=side.quote,
            claimants=[side.claimant],
            sides=[DisputeSide(**dict(side))],
            sources=[side.article_id],
        )
        for side in flag.sides
    ]
    return Dispute(
        id=f"dp-{flag.id}",
        fingerprint=flag.fingerprint,
        story_id=flag.story_id or "",
        matter=flag.summary,
        types=[flag.type],
        confidence=flag.confidence,
        positions=positions,
        contradiction_ids=[flag.id],
        review=flag.review,
    )


def review_items(report: Report, singles: dict[str, ReviewItem] | None = None) -> list[ReviewItem]:
    """The report's disputes with their pairs, and a single item per contradiction in no
    dispute, most confident first. `singles` caches single items by fingerprint: one whose
    pair is the very same object is reused."""
    by_id = {c.id: c for c in report.contradictions}
    items: list[ReviewItem] = []
    grouped: set[str] = set()
    for dispute in report.disputes:
        pairs = [by_id[i] for i in dispute.contradiction_ids if i in by_id]
        if not pairs:
            continue
        grouped.update(c.id for c in pairs)
        pairs.sort(key=lambda c: (-c.confidence, c.id))
        items.append(ReviewItem(pairs, dispute))
    cache = singles if singles is not None else {}
    for c in report.contradictions:
        if c.id in grouped:
            continue
        known = cache.get(c.fingerprint)
        if known is None or known.pairs[0] is not c:
            known = cache[c.fingerprint] = ReviewItem([c])
        items.append(known)
    return sorted(items, key=lambda i: i.order)


def item_status(item: ReviewItem) -> ReviewStatus:
    """The item's status: a single pair's own; a dispute's own decision, else, once every pair
    is decided one by one, confirmed when one of them is (the dispute is real), else rejected."""
    if item.single:
        return item.pairs[0].review
    status = item.dispute.review
    pairs = [p.review.decision for p in item.pairs]
    if status.decision == "pending" and "pending" not in pairs:
        derived: ReviewDecision = "confirmed" if "confirmed" in pairs else "rejected"
        status = status.model_copy(update={"decision": derived})
    return status


def new_in_decided(item: ReviewItem, pair: Contradiction) -> bool:
    """A pair the dispute gained after its decision: pending within a decided dispute."""
    return (
        not item.single
        and item.dispute.review.decision != "pending"
        and pair.review.decision == "pending"
    )


def claim_ref(side: Side | DisputeSide) -> ClaimRef:
    """The claim a side rests on, as a claimant correction names it (the tool's claimant)."""
    return ClaimRef(
        claim_id=side.claim_id,
        article_id=side.article_id,
        article_sha256=side.article_sha256,
        start=side.start,
        end=side.end,
        quote=side.quote,
        claimant=side.claimant_corrected_from or side.claimant,
    )


class ReviewEngine:
    """A report and its review log: the items to review, and every action on them."""

    def __init__(
        self, report: Report, out_dir: Path, reviewer: str, read_only: str | None = None
    ) -> None:
        """`read_only`: why the output folder cannot be written (browse only), or None."""
        loaded = load_log(out_dir / LOG_NAME)
        self.reviewer = reviewer
        self.problems = loaded.problems
        """Unreadable lines of the log (skipped), one line each."""
        self.events: list[ReviewEvent] = loaded.events
        self.base = pristine(report)
        """The report as the run found it."""
        self.browse_only = read_only is not None
        """Opened for browsing because the folder cannot be written."""
        self.read_only: str | None = read_only
        """Why nothing more can be recorded, or None."""
        self._log: ReviewLog | None = None
        if read_only is None:
            try:
                self._log = ReviewLog(out_dir / LOG_NAME)
            except ReviewLogError as exc:
                self.read_only = exc.reason
        self.state = ReviewState()
        self.report = report
        self.items: list[ReviewItem] = []
        self._by_fp: dict[str, ReviewItem] = {}
        self._singles: dict[str, ReviewItem] = {}
        self._refresh()

    # --- what there is ------------------------------------------------------------------------

    def item(self, fingerprint: str) -> ReviewItem | None:
        """The item with this fingerprint, or None."""
        return self._by_fp.get(fingerprint)

    def item_of_pair(self, fingerprint: str) -> ReviewItem | None:
        """The item holding the pair with this fingerprint, or None."""
        for item in self.items:
            if any(p.fingerprint == fingerprint for p in item.pairs):
                return item
        return None

    def story_claims(self, item: ReviewItem) -> list[Claim]:
        """The claims a missed contradiction can be made of: those of the item's story (every
        claim when the report has no stories), in report order."""
        story = next((s for s in self.report.stories if s.id == item.dispute.story_id), None)
        if story is None:
            return list(self.report.claims)
        articles = set(story.article_ids)
        return [c for c in self.report.claims if c.article_id in articles]

    # --- actions ------------------------------------------------------------------------------

    def decide(
        self, item: ReviewItem, decision: Decision, pair: Contradiction | None = None
    ) -> ReviewEvent:
        """Confirm or reject the whole item (dispute), or one pair of it."""
        return self._record(item, pair, decision)

    def note(self, item: ReviewItem, text: str, pair: Contradiction | None = None) -> ReviewEvent:
        """Attach a note to the item or one of its pairs (it replaces an earlier note)."""
        return self._record(item, pair, "note", note=text)

    def retype(
        self, item: ReviewItem, new_type: ContradictionType, pair: Contradiction | None = None
    ) -> ReviewEvent:
        """Correct the type of the item (a dispute's type covers the pairs it holds now) or of
        one pair."""
        return self._record(item, pair, "retype", type=new_type)

    def skip(self, item: ReviewItem, pair: Contradiction | None = None) -> ReviewEvent | None:
        """Mark the item (or pair) as seen and left pending; a read-only engine records
        nothing."""
        if self.read_only is not None:
            return None
        return self._record(item, pair, "skip")

    def correct_claimant(self, claim: ClaimRef, claimant: str) -> ReviewEvent:
        """The claim's claimant is wrong: `claimant` is the right one (the tool's own name
        again clears the correction). Applied to every claim and side on the same span."""
        claimant = " ".join(claimant.split())
        if not claimant:
            raise ActionError("a claimant cannot be empty")
        event = ReviewEvent(
            fingerprint=claim_key(claim.article_sha256, claim.start, claim.end),
            target="claim",
            action="claimant",
            claim=claim,
            claimant=claimant,
            reviewer=self.reviewer,
        )
        return self._append(event)

    def add_contradiction(
        self,
        first: Claim,
        second: Claim,
        type_: ContradictionType,
        note: str = "",
    ) -> Contradiction:
        """Flag two claims the tool did not flag as contradicting each other (confirmed, with
        the reviewer's type and note). Raises ActionError when they are one claim or already
        flagged."""
        shas = {a.id: a.sha256 for a in self.base.articles}
        a, b = sorted((first, second), key=lambda c: (c.article_id, c.start, c.id))
        if (a.article_id, a.start, a.end) == (b.article_id, b.start, b.end):
            raise ActionError("a contradiction needs two different claims")
        sides = [
            Side(
                claim_id=c.id,
                article_id=c.article_id,
                article_sha256=shas[c.article_id],
                claimant=c.claimant_corrected_from or c.claimant,
                quote=c.quote,
                start=c.start,
                end=c.end,
            )
            for c in (a, b)
        ]
        fingerprint = flag_fingerprint(
            type_.value, [(s.article_sha256, s.start, s.end) for s in sides]
        )
        flag = Contradiction(
            id=stable_id("ct", a.id, b.id, type_.value),
            fingerprint=fingerprint,
            type=type_,
            summary=" ".join(note.split())
            or f"Added in review: {a.claimant} and {b.claimant} cannot both be right.",
            confidence=1.0,
            sides=sides,
            cues=[ADDED_CUE],
            added_by_reviewer=True,
        )
        twin = next((c for c in self.report.contradictions if span_key(c) == span_key(flag)), None)
        if twin is not None:
            raise ActionError(
                f"these two claims are already flagged ({twin.type.value}): decide that flag"
            )
        event = ReviewEvent(
            fingerprint=fingerprint,
            action="add",
            note=" ".join(note.split()) or None,
            flag=flag,
            reviewer=self.reviewer,
        )
        self._append(event)
        return flag

    def undo(self) -> ReviewEvent | None:
        """Cancel the latest decision, note, type change, correction or addition in the log.

        Returns the event undone, or None when there is nothing to undo.
        """
        target = last_undoable(self.events)
        if target is None:
            return None
        self._append(
            ReviewEvent(
                fingerprint=target.fingerprint,
                target=target.target,
                action="undo",
                undoes=target.id,
                reviewer=self.reviewer,
            )
        )
        return target

    def check_writable(self) -> None:
        """Raise NotSaved when nothing can be recorded (before asking for a note or type)."""
        if self.read_only is not None:
            raise NotSaved(self.read_only, just_now=False)

    def close(self) -> None:
        """Close the log file (everything recorded is already on disk)."""
        if self._log is not None:
            self._log.close()

    # --- inside -------------------------------------------------------------------------------

    def _record(
        self, item: ReviewItem, pair: Contradiction | None, action: Action, **fields: object
    ) -> ReviewEvent:
        if pair is None and item.single:
            pair = item.pairs[0]
        if pair is not None:
            data: dict[str, object] = {"fingerprint": pair.fingerprint, "flag": pair}
        else:
            data = {
                "fingerprint": item.fingerprint,
                "target": "dispute",
                "dispute": item.dispute,
                "pairs": item.pairs,
            }
        event = ReviewEvent.model_validate(
            {**data, "action": action, "reviewer": self.reviewer, **fields}
        )
        return self._append(event)

    def _append(self, event: ReviewEvent) -> ReviewEvent:
        log = self._log
        if log is None or self.read_only is not None:
            raise NotSaved(self.read_only or "the review log is not open", just_now=False)
        try:
            log.append(event)  # durable before the caller goes on
        except ReviewLogError as exc:
            self.read_only = exc.reason
            raise NotSaved(exc.reason, just_now=True) from None
        self.events.append(event)
        if event.action != "skip":
            self._refresh()
        return event

    def _refresh(self) -> None:
        self.state = replay_state(self.events)
        self.report = apply_state(self.base, self.state, restored=True)
        self.items = review_items(self.report, self._singles)
        self._by_fp = {i.fingerprint: i for i in self.items}
