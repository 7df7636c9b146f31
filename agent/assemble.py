"""From judgements to the report's contradictions and agreements, with stable ids and order."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeVar

from agent.ids import flag_fingerprint, stable_id
from agent.models import (
    Agreement,
    AgreementSide,
    Claim,
    Contradiction,
    Judgement,
    Side,
)

SideT = TypeVar("SideT", bound=Side)


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


def contradictions(
    judgements: Sequence[Judgement], claims: dict[str, Claim], shas: Mapping[str, str]
) -> list[Contradiction]:
    """One contradiction per contradicting pair, most confident first.

    `shas` maps article ids to their SHA-256, which the sides carry and the fingerprint uses.
    """
    found: list[Contradiction] = []
    for j in judgements:
        if j.relation != "contradict" or j.type is None:
            continue
        a, b = sorted((claims[j.a], claims[j.b]), key=lambda c: (c.article_id, c.start, c.id))
        sides = [_side(a, shas), _side(b, shas)]
        found.append(
            Contradiction(
                id=stable_id("ct", a.id, b.id, j.type.value),
                fingerprint=flag_fingerprint(
                    j.type.value, [(s.article_sha256, s.start, s.end) for s in sides]
                ),
                type=j.type,
                summary=j.summary,
                confidence=j.confidence,
                sides=sides,
                cues=j.cues,
            )
        )
    return sorted(found, key=lambda c: (-c.confidence, c.id))


def agreements(
    judgements: Sequence[Judgement], claims: dict[str, Claim], shas: Mapping[str, str]
) -> list[Agreement]:
    """Claims linked by agreeing judgements, grouped; a group needs two or more articles."""
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


def single_source_count(
    claims: Sequence[Claim], found: Sequence[Contradiction], agreed: Sequence[Agreement]
) -> int:
    """Claims that no other article's claim agrees with or contests."""
    linked: set[str] = set()
    for c in found:
        if len({s.article_id for s in c.sides}) > 1:
            linked.update(s.claim_id for s in c.sides)
    for a in agreed:
        linked.update(s.claim_id for s in a.sides)
    return sum(1 for c in claims if c.id not in linked)


def with_stories(
    found: Sequence[Contradiction],
    agreed: Sequence[Agreement],
    story_of: Mapping[str, str],
    repeated_in: Mapping[str, Sequence[str]],
) -> tuple[list[Contradiction], list[Agreement]]:
    """The flags with their story, the copies that repeat each side (`repeated_in`, claim id
    -> article ids) and, for an agreement, every source that states it."""

    def sides(items: Sequence[SideT]) -> list[SideT]:
        return [
            s.model_copy(update={"repeated_in": list(repeated_in[s.claim_id])})
            if s.claim_id in repeated_in
            else s
            for s in items
        ]

    contradictions = [
        c.model_copy(
            update={"sides": sides(c.sides), "story_id": story_of.get(c.sides[0].article_id)}
        )
        for c in found
    ]
    agreements: list[Agreement] = []
    for a in agreed:
        mine = sides(a.sides)
        sources = sorted({s.article_id for s in mine} | {x for s in mine for x in s.repeated_in})
        story = story_of.get(mine[0].article_id)
        agreements.append(
            a.model_copy(update={"sides": mine, "story_id": story, "sources": sources})
        )
    return contradictions, agreements
