"""Applying the review log to a report: statuses, corrected claimants, added contradictions.

The rules (README, "What survives a re-run"):

- A pair's own decision, note and type attach by its fingerprint (type + sides' article
  SHA-256 and spans).
- A dispute's decision attaches to the dispute with the same fingerprint; failing that, to a
  dispute holding any pair the decided dispute held (when several decisions match, the latest
  wins). A dispute-level decision (and type) covers the pairs the dispute held when it was
  taken, wherever those pairs are now; a pair's own decision always wins over its dispute's;
  a pair the dispute gained later stays pending (pending within a decided dispute).
- A claimant correction applies to every claim and side with the same article SHA-256 and
  span; `claimant_corrected_from` keeps the tool's name.
- A contradiction added by a reviewer is in the report while its two articles are; when the
  tool itself flags the same two spans, the reviewer's decision and type go to that flag
  instead of a second copy.
- Whatever attaches to nothing in this run is kept as an orphan (`orphaned_reviews`,
  `orphaned_dispute_reviews`, `orphaned_corrections`), never dropped, and attaches again
  when its pair, dispute or claim comes back.

Applying is idempotent: a report read back from report.json (statuses, corrections and added
contradictions already applied) is first restored to what the run found.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

from agent.models import (
    Agreement,
    Article,
    Claim,
    Contradiction,
    Dispute,
    DisputeSide,
    OrphanedCorrection,
    OrphanedDisputeReview,
    OrphanedReview,
    Position,
    Report,
    ReviewStatus,
    Side,
)
from agent.review.log import LOG_NAME, load_log
from agent.review.state import DisputeDecision, ReviewState, claim_key, replay_state

ADDED_CUE = "added by reviewer"
"""The cue an added contradiction carries."""

_S = TypeVar("_S", Side, DisputeSide)


def attach_reviews(report: Report, out_dir: Path) -> tuple[Report, list[str]]:
    """The report with the folder's review log applied, and the log's unreadable lines."""
    loaded = load_log(out_dir / LOG_NAME)
    return apply_state(report, replay_state(loaded.events)), loaded.problems


def apply_state(report: Report, state: ReviewState, restored: bool = False) -> Report:
    """`report` as the run found it, with everything `state` says applied (see the module).

    `restored`: the report is already as the run found it (`pristine`), no need to restore.
    """
    base = report if restored else pristine(report)
    fixes = {key: c.claimant for key, c in state.corrections.items()}
    used: set[str] = set()
    shas = {a.id: a.sha256 for a in base.articles}
    # What nothing changes is kept as it is (no copy): a review session re-applies the state
    # after every action, on reports of thousands of flags.
    claims = [_fix_claim(c, shas, fixes, used) for c in base.claims] if fixes else base.claims
    contradictions = [_with_sides(c, _fix_sides(c.sides, fixes, used)) for c in base.contradictions]
    agreements = [_with_sides(a, _fix_sides(a.sides, fixes, used)) for a in base.agreements]
    disputes = [_fix_dispute(d, fixes, used) for d in base.disputes]

    added, aliases = _added(base, contradictions, state, fixes, used)
    everything = contradictions
    if added:
        everything = sorted([*contradictions, *added], key=lambda c: (-c.confidence, c.id))
    covering = _Covering(state, aliases)
    with_status = []
    for c in everything:
        status = covering.status(c)
        with_status.append(c if status == c.review else c.model_copy(update={"review": status}))
    fingerprints = {c.id: c.fingerprint for c in contradictions}
    attached, dispute_orphans = _attach_disputes(disputes, state, fingerprints)
    present = {c.fingerprint for c in with_status} | set(aliases)
    orphaned = sorted(
        (
            OrphanedReview(fingerprint=fp, review=status, flag=state.flags[fp])
            for fp, status in state.pairs.items()
            if fp not in present and fp in state.flags
        ),
        key=lambda o: (o.review.at is None, o.review.at, o.fingerprint),
    )
    corrections_orphaned = [
        OrphanedCorrection(
            key=c.key,
            claimant=c.claimant,
            was=c.claim.claimant,
            article_id=c.claim.article_id,
            quote=c.claim.quote,
            reviewer=c.reviewer,
            at=c.at,
        )
        for key, c in state.corrections.items()
        if key not in used
    ]
    return base.model_copy(
        update={
            "claims": claims,
            "contradictions": with_status,
            "agreements": agreements,
            "disputes": attached,
            "orphaned_reviews": orphaned,
            "orphaned_dispute_reviews": dispute_orphans,
            "orphaned_corrections": corrections_orphaned,
        }
    )


def pristine(report: Report) -> Report:
    """The report as the run found it: added contradictions removed, claimants restored,
    no review status (a report read back from report.json has them applied)."""

    claims = [
        c.model_copy(
            update={"claimant": c.claimant_corrected_from, "claimant_corrected_from": None}
        )
        if c.claimant_corrected_from is not None
        else c
        for c in report.claims
    ]
    contradictions = []
    for c in report.contradictions:
        if c.added_by_reviewer:
            continue
        c = _with_sides(c, _restore(c.sides))
        contradictions.append(
            c if c.review == _PENDING else c.model_copy(update={"review": _PENDING})
        )
    agreements = [_with_sides(a, _restore(a.sides)) for a in report.agreements]
    disputes = []
    for d in report.disputes:
        positions = []
        for p in d.positions:
            sides = _restore(p.sides)
            if sides is not p.sides:
                p = p.model_copy(update={"sides": sides, "claimants": _claimants(sides)})
            positions.append(p)
        if positions != d.positions or d.review != _PENDING:
            d = d.model_copy(update={"positions": positions, "review": _PENDING})
        disputes.append(d)
    return report.model_copy(
        update={
            "claims": claims,
            "contradictions": contradictions,
            "agreements": agreements,
            "disputes": disputes,
            "orphaned_reviews": [],
            "orphaned_dispute_reviews": [],
            "orphaned_corrections": [],
        }
    )


_PENDING = ReviewStatus()
_T = TypeVar("_T", Contradiction, Agreement)


def _with_sides(item: _T, sides: list[Any]) -> _T:
    """`item` with these sides: itself when they are its own."""
    return item if sides is item.sides else item.model_copy(update={"sides": sides})


def _restore(sides: list[_S]) -> list[_S]:
    """Sides with the tool's claimants (a correction is applied afresh); the same list when
    none was corrected."""
    if all(s.claimant_corrected_from is None for s in sides):
        return sides
    return [
        s.model_copy(
            update={"claimant": s.claimant_corrected_from, "claimant_corrected_from": None}
        )
        if s.claimant_corrected_from is not None
        else s
        for s in sides
    ]


def _claimants(sides: Iterable[Side | DisputeSide]) -> list[str]:
    """A position's claimants: its sides' claimants, each once, in the order of the sides."""
    return list(dict.fromkeys(s.claimant for s in sides))


def _fix_claim(claim: Claim, shas: dict[str, str], fixes: dict[str, str], used: set[str]) -> Claim:
    sha = shas.get(claim.article_id)
    key = claim_key(sha, claim.start, claim.end) if sha else None
    if key is None or key not in fixes:
        return claim
    used.add(key)
    return claim.model_copy(
        update={"claimant": fixes[key], "claimant_corrected_from": claim.claimant}
    )


def _fix_sides(sides: list[_S], fixes: dict[str, str], used: set[str]) -> list[_S]:
    """Sides with their corrected claimants; the same list when none is corrected."""
    if not fixes:
        return sides
    fixed: list[_S] = []
    changed = False
    for side in sides:
        key = claim_key(side.article_sha256, side.start, side.end)
        if key in fixes:
            used.add(key)
            side = side.model_copy(
                update={"claimant": fixes[key], "claimant_corrected_from": side.claimant}
            )
            changed = True
        fixed.append(side)
    return fixed if changed else sides


def _fix_dispute(dispute: Dispute, fixes: dict[str, str], used: set[str]) -> Dispute:
    positions: list[Position] = []
    for p in dispute.positions:
        sides = _fix_sides(p.sides, fixes, used)
        if sides is not p.sides:
            p = p.model_copy(update={"sides": sides, "claimants": _claimants(sides)})
        positions.append(p)
    if all(a is b for a, b in zip(positions, dispute.positions, strict=True)):
        return dispute
    return dispute.model_copy(update={"positions": positions})


def span_key(flag: Contradiction) -> frozenset[tuple[str, int, int]]:
    """The flag's sides as (article SHA-256, start, end), whatever its type."""
    return frozenset((s.article_sha256, s.start, s.end) for s in flag.sides)


def _added(
    base: Report,
    found: list[Contradiction],
    state: ReviewState,
    fixes: dict[str, str],
    used: set[str],
) -> tuple[list[Contradiction], dict[str, Contradiction]]:
    """The added contradictions to put in the report, and the ones the run found itself
    (added fingerprint -> the run's flag on the same two spans)."""
    if not state.added:
        return [], {}
    by_fp = {c.fingerprint for c in found}
    by_spans = {span_key(c): c for c in found}
    texts = {a.sha256: a for a in base.articles}
    article_id = {a.sha256: a.id for a in base.articles}
    story_of = {aid: s.id for s in base.stories for aid in s.article_ids}
    added: list[Contradiction] = []
    aliases: dict[str, Contradiction] = {}
    for fp, flag in state.added.items():
        if fp in by_fp:
            continue  # the run flagged it with the reviewer's type: the status attaches by fp
        twin = by_spans.get(span_key(flag))
        if twin is not None:
            aliases[fp] = twin
            continue
        if not all(_holds(texts.get(s.article_sha256), s) for s in flag.sides):
            continue  # an article is not in this run: orphaned, with its status
        sides = [
            s.model_copy(update={"article_id": article_id[s.article_sha256]}) for s in flag.sides
        ]
        added.append(
            flag.model_copy(
                update={
                    "sides": _fix_sides(_restore(sides), fixes, used),
                    "story_id": story_of.get(sides[0].article_id),
                    "dispute_id": None,
                    "added_by_reviewer": True,
                }
            )
        )
    return added, aliases


def _holds(article: Article | None, side: Side) -> bool:
    """The article is in the run and (when its text is loaded) holds the side's words."""
    if article is None:
        return False
    return not article.text or article.text[side.start : side.end] == side.quote


class _Covering:
    """Each pair's status: its own, else what a dispute decision that covered it says."""

    def __init__(self, state: ReviewState, aliases: dict[str, Contradiction]) -> None:
        self.state = state
        self.twins = {twin.fingerprint: fp for fp, twin in aliases.items()}
        """The run's flag -> the added contradiction on the same spans."""
        self.decided: dict[str, list[DisputeDecision]] = {}
        self.typed: dict[str, list[DisputeDecision]] = {}
        for d in state.disputes.values():
            for fp in d.decided:
                self.decided.setdefault(fp, []).append(d)
            if d.status.type is not None:
                for fp in d.typed:
                    self.typed.setdefault(fp, []).append(d)

    def status(self, flag: Contradiction) -> ReviewStatus:
        state = self.state
        own = state.pairs.get(flag.fingerprint)
        twin = self.twins.get(flag.fingerprint)
        if own is None and twin is not None and twin in state.pairs:
            added = state.added[twin]
            own = state.pairs[twin].model_copy(
                update={"type": None if added.type == flag.type else added.type}
            )
        status = own or _PENDING
        covering = _latest(self.decided.get(flag.fingerprint, []))
        if status.decision == "pending" and covering and covering.status.decision != "pending":
            update: dict[str, object] = {
                "decision": covering.status.decision,
                "from_dispute": covering.fingerprint,
            }
            if own is None:
                update |= {"reviewer": covering.status.reviewer, "at": covering.status.at}
            status = status.model_copy(update=update)
        typing = _latest(self.typed.get(flag.fingerprint, []))
        if status.type is None and typing is not None and typing.status.type != flag.type:
            status = status.model_copy(update={"type": typing.status.type})
        return status


def _latest(decisions: Iterable[DisputeDecision]) -> DisputeDecision | None:
    ordered = sorted(decisions, key=lambda d: (d.status.at is not None, d.status.at, d.fingerprint))
    return ordered[-1] if ordered else None


def _attach_disputes(
    disputes: list[Dispute], state: ReviewState, fingerprints: dict[str, str]
) -> tuple[list[Dispute], list[OrphanedDisputeReview]]:
    """Each dispute with its decision (by fingerprint, else by a pair it held), and the
    decisions that attach to none."""
    used: set[str] = set()
    attached: list[Dispute] = []
    holders: dict[str, list[DisputeDecision]] = {}
    for d in state.disputes.values():
        for fp in d.held:
            holders.setdefault(fp, []).append(d)
    for dispute in disputes:
        decision = state.disputes.get(dispute.fingerprint)
        if decision is None:
            pairs = {fingerprints[i] for i in dispute.contradiction_ids if i in fingerprints}
            decision = _latest(d for fp in pairs for d in holders.get(fp, []))
        if decision is None:
            attached.append(dispute)
            continue
        used.add(decision.fingerprint)
        if decision.status != dispute.review:
            dispute = dispute.model_copy(update={"review": decision.status})
        attached.append(dispute)
    orphans = sorted(
        (
            OrphanedDisputeReview(fingerprint=fp, review=d.status, dispute=d.dispute)
            for fp, d in state.disputes.items()
            if fp not in used
        ),
        key=lambda o: (o.review.at is None, o.review.at, o.fingerprint),
    )
    return attached, orphans
