"""The review log replayed: everything the reviewers decided, before it meets a report.

`replay_state` folds the events in force (undone ones removed) into four things:

- pair statuses, by flag fingerprint (as before disputes: decision, note, type);
- dispute decisions, by dispute fingerprint, each with the pairs the dispute held when the
  decision (or type) was taken: a dispute-level decision applies to those pairs only;
- claimant corrections, by the claim's content key (its article's SHA-256 and its span);
- contradictions added by a reviewer, by fingerprint.

`agent.review.status` applies the state to a report.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from agent.models import Contradiction, Dispute, ReviewStatus
from agent.review.log import UNDOABLE, ClaimRef, ReviewEvent, live_events, replay, snapshots


def claim_key(article_sha256: str, start: int, end: int) -> str:
    """A claim's content key: "ck-" + a hash of its article's SHA-256 and its span. Claimant
    corrections attach to it, so they survive re-runs, renamed files and another backend."""
    digest = hashlib.sha256(f"{article_sha256}:{start}:{end}".encode()).hexdigest()
    return f"ck-{digest[:16]}"


@dataclass(frozen=True)
class DisputeDecision:
    """What reviewers decided about one dispute as a whole."""

    fingerprint: str
    """The dispute's fingerprint when they decided."""
    status: ReviewStatus
    """Its own status: decision, note, type, who and when."""
    dispute: Dispute
    """The dispute as last seen by a reviewer."""
    held: dict[str, Contradiction]
    """Every pair the dispute held in any action in force on it (what it attaches by)."""
    decided: dict[str, Contradiction]
    """The pairs it held when its decision in force was taken: the decision covers these."""
    typed: dict[str, Contradiction]
    """The pairs it held when its type change in force was made: the type covers these."""


@dataclass(frozen=True)
class Correction:
    """A claim's claimant, corrected by a reviewer."""

    key: str
    """The claim's content key (`claim_key`)."""
    claim: ClaimRef
    """The claim as the reviewer saw it."""
    claimant: str
    """The right claimant."""
    reviewer: str
    """Who corrected it."""
    at: dt.datetime
    """When (UTC)."""


@dataclass
class ReviewState:
    """Everything the log's events in force say."""

    pairs: dict[str, ReviewStatus] = field(default_factory=dict)
    """Each pair's own status, by flag fingerprint (added contradictions included)."""
    disputes: dict[str, DisputeDecision] = field(default_factory=dict)
    """Dispute-level statuses, by dispute fingerprint."""
    corrections: dict[str, Correction] = field(default_factory=dict)
    """Claimant corrections, by claim key."""
    added: dict[str, Contradiction] = field(default_factory=dict)
    """Contradictions reviewers added, by fingerprint, in the order they were added."""
    flags: dict[str, Contradiction] = field(default_factory=dict)
    """The latest snapshot of every flag the log mentions, by fingerprint."""


def replay_state(events: Iterable[ReviewEvent]) -> ReviewState:
    """The state after the events in force."""
    events = list(events)
    live = live_events(events)
    state = ReviewState(
        pairs=replay(live, "pair"),
        flags=snapshots(events),
    )
    dispute_statuses = replay(live, "dispute")
    held: dict[str, dict[str, Contradiction]] = {}
    decided: dict[str, dict[str, Contradiction]] = {}
    typed: dict[str, dict[str, Contradiction]] = {}
    seen: dict[str, Dispute] = {}
    for event in live:
        if event.action not in UNDOABLE:
            continue
        if event.target == "dispute" and event.dispute is not None:
            pairs = {p.fingerprint: p for p in event.pairs or []}
            seen[event.fingerprint] = event.dispute
            held.setdefault(event.fingerprint, {}).update(pairs)
            if event.action in ("confirm", "reject"):
                decided[event.fingerprint] = pairs
            elif event.action == "retype":
                typed[event.fingerprint] = pairs
        elif event.target == "claim" and event.claim is not None and event.claimant:
            if event.claimant == event.claim.claimant:  # the tool's own name again: no correction
                state.corrections.pop(event.fingerprint, None)
                continue
            state.corrections[event.fingerprint] = Correction(
                key=event.fingerprint,
                claim=event.claim,
                claimant=event.claimant,
                reviewer=event.reviewer,
                at=event.at,
            )
        elif event.action == "add" and event.flag is not None:
            state.added[event.fingerprint] = event.flag
    for fingerprint, status in dispute_statuses.items():
        if fingerprint not in seen:
            continue
        state.disputes[fingerprint] = DisputeDecision(
            fingerprint=fingerprint,
            status=status,
            dispute=seen[fingerprint],
            held=held.get(fingerprint, {}),
            decided=decided.get(fingerprint, {}),
            typed=typed.get(fingerprint, {}),
        )
    return state
