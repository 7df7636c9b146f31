"""From judgements to the report's contradictions and agreements, with stable ids and order,
and the caps on how many a run keeps."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from agent.ids import flag_fingerprint, stable_id
from agent.models import (
    Agreement,
    AgreementSide,
    CapHit,
    CapName,
    Claim,
    Contradiction,
    Judgement,
    Side,
)

CONTRADICTIONS_PER_CLAIM = 5
"""Most contradictions kept on one claim (the most confident). A claim contradicted by dozens
of others is a weakness of the rules or a feed of near-copies, and reading it 5 times says
what reading it 50 would."""
CONTRADICTIONS_PER_RUN = 5_000
"""Most contradictions kept in one run (the most confident): bounds report.json, report.md,
report.html and the memory that builds them, whatever the input."""
AGREEMENTS_PER_RUN = 5_000
"""Most agreements kept in one run (the widest). Each claim is in at most one agreement."""


@dataclass(frozen=True)
class Caps:
    """How many flags a run keeps."""

    contradictions_per_claim: int = CONTRADICTIONS_PER_CLAIM
    contradictions_per_run: int = CONTRADICTIONS_PER_RUN
    agreements_per_run: int = AGREEMENTS_PER_RUN


@dataclass
class Flags:
    """What a run reports: the flags kept, the caps that bit, and the single-source count."""

    contradictions: list[Contradiction] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    capped: list[CapHit] = field(default_factory=list)
    single_source_claims: int = 0
    """Claims that no other article's claim agrees with or contests, counted before the caps
    (a claim whose flags were dropped is still not single-source)."""


def _side(claim: Claim, shas: Mapping[str, str]) -> Side:
    return Side(
        claim_id=claim.id,
        article_id=claim.article_id,
        article_sha256=shas[claim.article_id],
        claimant=claim.claimant,
        quote=claim.quote,
        start=claim.start,
        end=claim.end,
    )


def _agreement_side(claim: Claim, shas: Mapping[str, str]) -> AgreementSide:
    return AgreementSide(**_side(claim, shas).model_dump())


def flags(
    judgements: Sequence[Judgement],
    claims: Sequence[Claim],
    shas: Mapping[str, str],
    caps: Caps | None = None,
) -> Flags:
    """The run's contradictions and agreements within `caps` (default: the documented caps),
    with a CapHit for each cap that dropped something."""
    caps = caps or Caps()
    by_id = {c.id: c for c in claims}
    result = Flags()
    ranked = _ranked_contradictions(judgements, by_id)
    on_claim: Counter[str] = Counter()
    kept: list[tuple[str, Judgement]] = []
    for ct_id, j in ranked:
        if max(on_claim[j.a], on_claim[j.b]) >= caps.contradictions_per_claim:
            continue
        on_claim.update((j.a, j.b))
        kept.append((ct_id, j))
    by_claim = len(ranked) - len(kept)
    by_run = max(len(kept) - caps.contradictions_per_run, 0)
    # Only the kept are built: a run with 100k contradicting pairs holds 5,000 flags, not 100k.
    result.contradictions = [
        _contradiction(ct_id, j, by_id, shas) for ct_id, j in kept[: caps.contradictions_per_run]
    ]
    everything = agreements(judgements, by_id, shas)
    result.agreements = everything[: caps.agreements_per_run]
    hits: list[tuple[CapName, int, int]] = [
        ("contradictions_per_claim", caps.contradictions_per_claim, by_claim),
        ("contradictions_per_run", caps.contradictions_per_run, by_run),
        ("agreements_per_run", caps.agreements_per_run, len(everything) - len(result.agreements)),
    ]
    result.capped = [CapHit(cap=c, limit=n, dropped=d) for c, n, d in hits if d]
    linked = {
        cid
        for _, j in ranked
        if by_id[j.a].article_id != by_id[j.b].article_id
        for cid in (j.a, j.b)
    }
    linked.update(side.claim_id for a in everything for side in a.sides)
    result.single_source_claims = sum(1 for c in claims if c.id not in linked)
    return result


def contradictions(
    judgements: Sequence[Judgement], claims: dict[str, Claim], shas: Mapping[str, str]
) -> list[Contradiction]:
    """One contradiction per contradicting pair, most confident first, uncapped.

    `shas` maps article ids to their SHA-256, which the sides carry and the fingerprint uses.
    """
    return [
        _contradiction(ct_id, j, claims, shas)
        for ct_id, j in _ranked_contradictions(judgements, claims)
    ]


def _ranked_contradictions(
    judgements: Sequence[Judgement], claims: Mapping[str, Claim]
) -> list[tuple[str, Judgement]]:
    """(contradiction id, judgement) of the contradicting judgements, most confident first."""
    found: list[tuple[str, Judgement]] = []
    for j in judgements:
        if j.relation != "contradict" or j.type is None:
            continue
        a, b = _ordered(claims[j.a], claims[j.b])
        found.append((stable_id("ct", a.id, b.id, j.type.value), j))
    return sorted(found, key=lambda item: (-item[1].confidence, item[0]))


def _ordered(x: Claim, y: Claim) -> tuple[Claim, Claim]:
    a, b = sorted((x, y), key=lambda c: (c.article_id, c.start, c.id))
    return a, b


def _contradiction(
    ct_id: str, j: Judgement, claims: Mapping[str, Claim], shas: Mapping[str, str]
) -> Contradiction:
    assert j.type is not None  # only contradicting judgements are ranked
    a, b = _ordered(claims[j.a], claims[j.b])
    sides = [_side(a, shas), _side(b, shas)]
    return Contradiction(
        id=ct_id,
        fingerprint=flag_fingerprint(
            j.type.value, [(s.article_sha256, s.start, s.end) for s in sides]
        ),
        type=j.type,
        summary=j.summary,
        confidence=j.confidence,
        sides=sides,
        cues=j.cues,
    )


def agreements(
    judgements: Sequence[Judgement], claims: Mapping[str, Claim], shas: Mapping[str, str]
) -> list[Agreement]:
    """Claims linked by agreeing judgements, grouped (a group needs two or more articles),
    widest first, uncapped."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    strength: dict[str, float] = {}
    for j in judgements:
        if j.relation != "agree":
            continue
        ra, rb = find(j.a), find(j.b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
        for cid in (j.a, j.b):
            strength[cid] = strength.get(cid, 0.0) + j.confidence
    groups: dict[str, list[Claim]] = {}
    for cid in strength:
        groups.setdefault(find(cid), []).append(claims[cid])
    result: list[Agreement] = []
    for members in groups.values():
        if len({c.article_id for c in members}) < 2:
            continue
        members.sort(key=lambda c: (c.article_id, c.start))
        central = max(members, key=lambda c: (strength[c.id], -len(c.quote), c.id))
        result.append(
            Agreement(
                id=stable_id("ag", *sorted(c.id for c in members)),
                summary=central.statement,
                sides=[_agreement_side(c, shas) for c in members],
            )
        )
    return sorted(result, key=lambda a: (-len(a.sides), a.id))
