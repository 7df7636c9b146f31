"""Offline judging: general cues decide whether two paired claims agree or contradict.

Each rule is a small function that looks at one kind of cue (scope words, compliance verbs,
polarity, numbers, dates, position verbs, shared wording) and either returns a verdict or
None. The first rule that fires wins, in the order of `RULES`. A contradiction between two
statements of the same claimant made on different days is typed `temporal`: a position that
changed, not a clash of sources.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from agent.models import Claim, ContradictionType, Judgement, Stance
from agent.pairing import Candidate
from agent.quantities import compatible


@dataclass(frozen=True)
class Context:
    """What a rule may know beyond the two claims."""

    published: dict[str, dt.date | None]


@dataclass(frozen=True)
class Verdict:
    relation: str
    type: ContradictionType | None
    confidence: float
    cues: tuple[str, ...]


Rule = Callable[[Candidate, Context], Verdict | None]

# A pair must share this much of its content before most rules may call it a conflict.
_RELATED = 0.18
_RELATED_OVERLAP = 0.3
_AGREE = 0.45


def _related(c: Candidate, strength: float = 1.0) -> bool:
    enough_terms = len(c.shared) >= 2 or (len(c.shared) == 1 and c.overlap >= 0.34)
    close = c.similarity >= _RELATED * strength or c.overlap >= _RELATED_OVERLAP * strength
    return (enough_terms and close) or (c.reason != "lexical" and bool(c.shared))


def negative(claim: Claim) -> bool:
    """The claim says something is not so: negated content, or a denial of a positive one."""
    return claim.negated != (claim.stance == Stance.DENIES and "denial_verb" in claim.markers)


def _tagged(claim: Claim, tag: str) -> set[str]:
    """The values of a claim's `tag:value` markers."""
    prefix = tag + ":"
    return {m[len(prefix) :] for m in claim.markers if m.startswith(prefix)}


def _has(claim: Claim, marker: str) -> bool:
    return marker in claim.markers


def _confidence(c: Candidate, base: float, cap: float) -> float:
    """More shared wording, more confidence that the two speak of one thing."""
    return min(cap, base + 0.4 * max(c.similarity, c.overlap))


def rule_discourse_dispute(c: Candidate, ctx: Context) -> Verdict | None:
    """ "B said the claim was at odds with reality" right after A's claim."""
    if c.reason != "discourse":
        return None
    target = c.a if _has(c.b, "dispute:anaphoric") else c.b
    kind = (
        ContradictionType.COMPLIANCE
        if any(m.startswith("comply:") for m in target.markers)
        else ContradictionType.DENIAL
    )
    return Verdict("contradict", kind, 0.75, ("calls the preceding claim false",))


def rule_scope(c: Candidate, ctx: Context) -> Verdict | None:
    """ "only X" against "X and Y too"."""
    a_ex, b_ex = _has(c.a, "scope:exclusive"), _has(c.b, "scope:exclusive")
    a_in, b_in = _has(c.a, "scope:inclusive"), _has(c.b, "scope:inclusive")
    if not ((a_ex and b_in and not b_ex) or (b_ex and a_in and not a_ex)):
        return None
    # The scope words must restrict the same thing ("only covered" / "covered ... too"),
    # unless the two claims sit in one sentence reporting a dispute, or share much wording.
    heads = {m.rsplit(":", 1)[1] for m in c.a.markers + c.b.markers if m.count(":") == 2}
    same_head = any(
        f"scope:exclusive:{h}" in x.markers and f"scope:inclusive:{h}" in y.markers
        for h in heads
        for x, y in ((c.a, c.b), (c.b, c.a))
    )
    wide = len(c.shared) >= 3 and c.similarity >= 0.3
    if not (same_head or wide or (c.reason == "same_sentence" and c.shared)):
        return None
    if not _related(c, 0.5):
        return None
    return Verdict(
        "contradict",
        ContradictionType.SCOPE,
        _confidence(c, 0.6, 0.95),
        ("exclusive scope (only/just/limited) against inclusive scope (also/too/including)",),
    )


def rule_compliance(c: Candidate, ctx: Context) -> Verdict | None:
    """One says a party kept an agreement or order, the other that it broke it."""
    a_keep, a_break = _has(c.a, "comply:+"), _has(c.a, "comply:-")
    b_keep, b_break = _has(c.b, "comply:+"), _has(c.b, "comply:-")
    if not ((a_keep and not a_break and b_break) or (b_keep and not b_break and a_break)):
        return None
    if not _related(c, 0.7):
        return None
    return Verdict(
        "contradict",
        ContradictionType.COMPLIANCE,
        _confidence(c, 0.55, 0.9),
        ("one says the agreement was kept, the other that it was broken",),
    )


def _places(claim: Claim) -> set[str]:
    return {m for m in claim.markers if m.startswith("place:")}


def _different_places(c: Candidate) -> bool:
    """Both name places and none in common: two events, not one told two ways."""
    pa, pb = _places(c.a), _places(c.b)
    return bool(pa) and bool(pb) and not (pa & pb)


def rule_number(c: Candidate, ctx: Context) -> Verdict | None:
    """Different figures for the same counted thing, beyond rounding."""
    if not _related(c, 1.5) or _different_places(c):
        return None
    for x in c.a.quantities:
        for y in c.b.quantities:
            if x.unit and x.unit == y.unit and not compatible(x, y):
                cue = f"{x.text!r} against {y.text!r}"
                conf = min(0.85, 0.5 + 0.4 * c.similarity)
                return Verdict("contradict", ContradictionType.NUMBER, conf, (cue,))
    return None


def rule_date(c: Candidate, ctx: Context) -> Verdict | None:
    """Different days for what reads as the same event."""
    ta, tb = c.a.time, c.b.time
    if not (ta and tb and ta.date and tb.date) or ta.date == tb.date:
        return None
    if c.similarity < 0.45 or _different_places(c):
        return None
    cue = f"{ta.text!r} ({ta.date}) against {tb.text!r} ({tb.date})"
    return Verdict("contradict", ContradictionType.DATE_TIME, 0.5 + 0.3 * c.similarity, (cue,))


def rule_position(c: Candidate, ctx: Context) -> Verdict | None:
    """The same party supporting and then opposing the same thing."""
    if c.a.claimant != c.b.claimant:
        return None
    a_sup, b_sup = _has(c.a, "position:support"), _has(c.b, "position:support")
    a_opp, b_opp = _has(c.a, "position:oppose"), _has(c.b, "position:oppose")
    if not ((a_sup and b_opp) or (b_sup and a_opp)) or not _related(c, 0.7):
        return None
    return Verdict(
        "contradict",
        ContradictionType.OTHER,
        0.6,
        ("the same party supports and opposes it",),
    )


def rule_denial(c: Candidate, ctx: Context) -> Verdict | None:
    """A claim and its negation or explicit denial."""
    if negative(c.a) == negative(c.b):
        return None
    denier = c.a if negative(c.a) else c.b
    strong = "denial_verb" in denier.markers
    names = _tagged(c.a, "name") | _tagged(c.b, "name")
    matter = set(c.shared) - names  # what is denied, beyond who it is about
    if strong:
        # Three content words in common name the same matter however long the claims are.
        if not (len(matter) >= 3 or (len(matter) == 2 and _related(c, 0.9))):
            return None
    # A plain negation must be about what the two share: "did not talk about aid" against a
    # claim about aid; not any "no" somewhere in a related sentence.
    elif not (_tagged(denier, "negobj") & matter) or not _related(c, 0.9):
        return None
    conf = _confidence(c, 0.5 if strong else 0.4, 0.9)
    return Verdict("contradict", ContradictionType.DENIAL, conf, ("opposite polarity",))


def rule_attribution(c: Candidate, ctx: Context) -> Verdict | None:
    """The same words credited to different parties."""
    a, b = c.a, c.b
    if a.article_id == b.article_id or a.claimant == b.claimant:
        return None
    if "outlet" in (a.claimant_kind, b.claimant_kind) or c.similarity < 0.8:
        return None
    return Verdict(
        "contradict",
        ContradictionType.ATTRIBUTION,
        0.5 + 0.4 * c.similarity,
        (f"the same words credited to {a.claimant} and to {b.claimant}",),
    )


def rule_agreement(c: Candidate, ctx: Context) -> Verdict | None:
    if c.a.article_id == c.b.article_id or negative(c.a) != negative(c.b):
        return None
    if c.similarity < _AGREE or len(c.shared) < 3:
        return None
    return Verdict("agree", None, c.similarity, ("same content, same polarity",))


RULES: tuple[Rule, ...] = (
    rule_discourse_dispute,
    rule_scope,
    rule_compliance,
    rule_number,
    rule_date,
    rule_position,
    rule_denial,
    rule_attribution,
    rule_agreement,
)


def judge(c: Candidate, ctx: Context) -> Judgement:
    """Apply the rules in order; the first verdict wins."""
    for rule in RULES:
        verdict = rule(c, ctx)
        if verdict is None:
            continue
        kind = verdict.type
        cues = list(verdict.cues)
        if verdict.relation == "contradict" and _changed_over_time(c, ctx):
            kind = ContradictionType.TEMPORAL
            cues.append("same claimant on different days")
        return Judgement(
            a=c.a.id,
            b=c.b.id,
            relation=verdict.relation,
            type=kind,
            summary=summarize(c.a, c.b, verdict.relation, kind),
            confidence=round(verdict.confidence, 3),
            cues=cues,
        )
    return Judgement(a=c.a.id, b=c.b.id, relation="unrelated")


def _changed_over_time(c: Candidate, ctx: Context) -> bool:
    if c.a.claimant != c.b.claimant or c.a.claimant_kind == "outlet":
        return False
    da, db = ctx.published.get(c.a.article_id), ctx.published.get(c.b.article_id)
    return da is not None and db is not None and da != db


_TYPE_PHRASES = {
    ContradictionType.SCOPE: "disagree on what it covers",
    ContradictionType.NUMBER: "give different figures",
    ContradictionType.DATE_TIME: "give different dates",
    ContradictionType.DENIAL: "are at odds: one denies what the other states",
    ContradictionType.COMPLIANCE: "disagree on whether it was kept or broken",
    ContradictionType.ATTRIBUTION: "credit the same words to different people",
    ContradictionType.TEMPORAL: "show a position that changed over time",
    ContradictionType.OTHER: "cannot both be right",
}


def _short(text: str, limit: int = 90) -> str:
    text = text.strip().rstrip(".")
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def summarize(a: Claim, b: Claim, relation: str, kind: ContradictionType | None) -> str:
    """One sentence on what is disputed or agreed."""
    if relation == "agree" or kind is None:
        return _short(a.statement, 160) + "."
    if kind == ContradictionType.TEMPORAL:
        return f"{a.claimant} said “{_short(a.quote)}” but later “{_short(b.quote)}”."
    return (
        f"{a.claimant} and {b.claimant} {_TYPE_PHRASES[kind]}: "
        f"“{_short(a.quote)}” vs “{_short(b.quote)}”."
    )
