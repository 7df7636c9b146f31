"""Assembling flags: the caps on contradictions per claim and per run and on agreements keep
the most confident (the widest), say what they dropped, and do not change a run they do not
bite."""

from __future__ import annotations

from agent import assemble
from agent.assemble import Caps
from agent.models import CapHit, Claim, ContradictionType, Judgement


def _claim(cid: str, article: str, start: int = 0) -> Claim:
    return Claim(
        id=cid,
        article_id=article,
        statement=f"Claim {cid}.",
        claimant=f"person {cid}",
        quote=f"words of {cid}",
        start=start,
        end=start + 10,
    )


def _contra(a: str, b: str, confidence: float) -> Judgement:
    return Judgement(
        a=a, b=b, relation="contradict", type=ContradictionType.NUMBER, confidence=confidence
    )


def _shas(claims: list[Claim]) -> dict[str, str]:
    return {c.article_id: f"sha-{c.article_id}" for c in claims}


def test_a_claim_keeps_its_most_confident_contradictions_and_the_rest_is_reported() -> None:
    hub = _claim("hub", "a")
    others = [_claim(f"o{i}", f"b{i}") for i in range(8)]
    pair = [_claim("x", "c"), _claim("y", "d")]
    claims = [hub, *others, *pair]
    judgements = [_contra("hub", o.id, 0.1 + i / 10) for i, o in enumerate(others)]
    judgements.append(_contra("x", "y", 0.05))
    flags = assemble.flags(judgements, claims, _shas(claims))
    kept = [(c.sides[0].claim_id, c.sides[1].claim_id, c.confidence) for c in flags.contradictions]
    # The hub's five most confident (o7 .. o3), then the unrelated pair, least confident.
    assert [k[1] for k in kept] == ["o7", "o6", "o5", "o4", "o3", "y"]
    assert flags.capped == [CapHit(cap="contradictions_per_claim", limit=5, dropped=3)]
    # A claim whose flag was dropped is still contested: no claim here is single-source.
    assert flags.single_source_claims == 0


def test_a_run_keeps_at_most_its_cap_of_contradictions_most_confident_first() -> None:
    claims = [_claim(f"{side}{i}", f"{side}{i}") for i in range(10) for side in "pq"]
    judgements = [_contra(f"p{i}", f"q{i}", i / 10) for i in range(10)]
    flags = assemble.flags(judgements, claims, _shas(claims), Caps(contradictions_per_run=3))
    assert [c.confidence for c in flags.contradictions] == [0.9, 0.8, 0.7]
    assert flags.capped == [CapHit(cap="contradictions_per_run", limit=3, dropped=7)]


def test_a_run_keeps_its_widest_agreements() -> None:
    claims = [_claim(f"w{i}", f"a{i}") for i in range(3)] + [_claim("n0", "b0"), _claim("n1", "b1")]
    judgements = [
        Judgement(a="w0", b="w1", relation="agree", confidence=0.5),
        Judgement(a="w1", b="w2", relation="agree", confidence=0.5),
        Judgement(a="n0", b="n1", relation="agree", confidence=0.9),
    ]
    flags = assemble.flags(judgements, claims, _shas(claims), Caps(agreements_per_run=1))
    assert [[s.claim_id for s in a.sides] for a in flags.agreements] == [["w0", "w1", "w2"]]
    assert flags.capped == [CapHit(cap="agreements_per_run", limit=1, dropped=1)]
    assert flags.single_source_claims == 0


def test_caps_that_do_not_bite_change_nothing() -> None:
    claims = [_claim("a", "x"), _claim("b", "y"), _claim("c", "z")]
    judgements = [_contra("a", "b", 0.7), _contra("b", "c", 0.4)]
    flags = assemble.flags(judgements, claims, _shas(claims))
    by_id = {c.id: c for c in claims}
    assert flags.contradictions == assemble.contradictions(judgements, by_id, _shas(claims))
    assert flags.capped == []
