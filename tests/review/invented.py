"""Reports with disputes, built by hand from two invented articles (written for these tests).

The grouping that fills `Report.disputes` is another branch's work: these reports stand in for
what it produces, with the contract's fields (positions, sides, contradiction ids, a dispute
fingerprint). Three disputes:

- "closing": when the bridge closes: the engineer's Monday against the mayor's June and the
  mayor's office's "not closing on Monday" (two pairs); `extra_side=True` adds the residents'
  "closed last week already" as a third position (a third pair), as a re-run might;
- "cost": 4 million crowns against 9 million (one pair);
- "safety": safe against unsafe (one pair).
"""

from __future__ import annotations

import hashlib

from agent.ids import flag_fingerprint, stable_id
from agent.models import (
    Article,
    Claim,
    Contradiction,
    ContradictionType,
    Dispute,
    DisputeSide,
    Position,
    Report,
    Side,
    Story,
)

GAZETTE = (
    "Harbour Gazette\n\n"
    "The Norvale bridge will close for repairs on Monday, the city engineer said. "
    "The mayor said the bridge would stay open until June. "
    "Council spokesperson Ida Brenn said repairs would cost 4 million crowns. "
    "The contractor said the work would cost 9 million crowns.\n"
)
POST = (
    "Valley Post\n\n"
    "The bridge is not closing on Monday, the mayor's office insisted. "
    "Residents said the bridge closed last week already. "
    "The transport minister said the bridge was safe. "
    "An inspector said the bridge was unsafe. "
    "Ferries will run every hour while the bridge is shut, the harbour master said.\n"
)
TEXTS = {"gazette": GAZETTE, "post": POST}
STORY = "st-bridge"


def sha(article_id: str) -> str:
    return hashlib.sha256(TEXTS[article_id].encode("utf-8")).hexdigest()


def article(article_id: str) -> Article:
    text = TEXTS[article_id]
    return Article(
        id=article_id,
        path=f"{article_id}.txt",
        title=text.split("\n")[0],
        sha256=sha(article_id),
        story_id=STORY,
        text=text,
    )


def claim(article_id: str, quote: str, claimant: str) -> Claim:
    text = TEXTS[article_id]
    start = text.index(quote)
    return Claim(
        id=stable_id("cl", sha(article_id), start, start + len(quote)),
        article_id=article_id,
        statement=quote,
        claimant=claimant,
        quote=quote,
        start=start,
        end=start + len(quote),
    )


ENGINEER = claim("gazette", "will close for repairs on Monday", "city engineer")
MAYOR = claim("gazette", "would stay open until June", "mayor")
OFFICE = claim("post", "is not closing on Monday", "mayor's office")
RESIDENTS = claim("post", "closed last week already", "Residents")
LOW = claim("gazette", "repairs would cost 4 million crowns", "Ida Brenn")
HIGH = claim("gazette", "the work would cost 9 million crowns", "contractor")
SAFE = claim("post", "the bridge was safe", "transport minister")
UNSAFE = claim("post", "the bridge was unsafe", "inspector")
FERRIES = claim("post", "Ferries will run every hour while the bridge is shut", "harbour master")
CLAIMS = [ENGINEER, MAYOR, LOW, HIGH, OFFICE, RESIDENTS, SAFE, UNSAFE, FERRIES]


def side(c: Claim) -> Side:
    return Side(
        claim_id=c.id,
        article_id=c.article_id,
        article_sha256=sha(c.article_id),
        claimant=c.claimant,
        quote=c.quote,
        start=c.start,
        end=c.end,
    )


def pair(a: Claim, b: Claim, type_: ContradictionType, confidence: float) -> Contradiction:
    sides = [side(a), side(b)]
    return Contradiction(
        id=stable_id("ct", a.id, b.id, type_.value),
        fingerprint=flag_fingerprint(
            type_.value, [(s.article_sha256, s.start, s.end) for s in sides]
        ),
        type=type_,
        summary=f"{a.claimant} and {b.claimant} disagree.",
        confidence=confidence,
        sides=sides,
        story_id=STORY,
    )


CLOSE_JUNE = pair(ENGINEER, MAYOR, ContradictionType.DATE_TIME, 0.9)
CLOSE_DENIED = pair(ENGINEER, OFFICE, ContradictionType.DENIAL, 0.8)
CLOSE_LAST_WEEK = pair(ENGINEER, RESIDENTS, ContradictionType.DATE_TIME, 0.7)
COST = pair(LOW, HIGH, ContradictionType.NUMBER, 0.75)
SAFETY = pair(SAFE, UNSAFE, ContradictionType.DENIAL, 0.6)


def position(label: str, claims: list[Claim]) -> Position:
    return Position(
        id=stable_id("po", *(c.id for c in claims)),
        label=label,
        summary=f"{' and '.join(c.claimant for c in claims)}: {label}.",
        claimants=list(dict.fromkeys(c.claimant for c in claims)),
        sides=[DisputeSide.model_validate(side(c).model_dump()) for c in claims],
        sources=sorted({c.article_id for c in claims}),
    )


def dispute(
    name: str,
    matter: str,
    positions: list[Position],
    pairs: list[Contradiction],
    fingerprint: str | None = None,
) -> Dispute:
    return Dispute(
        id=stable_id("dp", name, *sorted(p.fingerprint for p in pairs)),
        fingerprint=fingerprint or f"dp-fp-{name}",
        story_id=STORY,
        matter=matter,
        types=list(dict.fromkeys(p.type for p in pairs)),
        confidence=max(p.confidence for p in pairs),
        positions=positions,
        contradiction_ids=[p.id for p in pairs],
    )


def bridge_report(
    extra_side: bool = False,
    closing_fingerprint: str | None = None,
    without: tuple[str, ...] = (),
) -> Report:
    """The invented report. `extra_side`: the closing dispute gains the residents' position
    (and a third pair); `closing_fingerprint` overrides that dispute's fingerprint (a grouping
    that gives it another); `without` leaves disputes out by name ("cost", "safety")."""
    closing_pairs = [CLOSE_JUNE, CLOSE_DENIED] + ([CLOSE_LAST_WEEK] if extra_side else [])
    closing_positions = [
        position("the bridge closes on Monday", [ENGINEER]),
        position("the bridge does not close on Monday", [MAYOR, OFFICE]),
    ]
    if extra_side:
        closing_positions.append(position("the bridge closed last week", [RESIDENTS]))
    parts = {
        "closing": (
            dispute(
                "closing",
                "when the bridge closes",
                closing_positions,
                closing_pairs,
                closing_fingerprint,
            ),
            closing_pairs,
        ),
        "cost": (
            dispute(
                "cost",
                "what the repairs cost",
                [position("4 million crowns", [LOW]), position("9 million crowns", [HIGH])],
                [COST],
            ),
            [COST],
        ),
        "safety": (
            dispute(
                "safety",
                "whether the bridge is safe",
                [position("safe", [SAFE]), position("unsafe", [UNSAFE])],
                [SAFETY],
            ),
            [SAFETY],
        ),
    }
    disputes: list[Dispute] = []
    contradictions: list[Contradiction] = []
    for name, (d, pairs) in parts.items():
        if name in without:
            continue
        ids = {p.id for p in pairs}
        disputes.append(d)
        contradictions += [p.model_copy(update={"dispute_id": d.id}) for p in pairs if p.id in ids]
    contradictions.sort(key=lambda c: (-c.confidence, c.id))
    disputes.sort(key=lambda d: (-d.confidence, d.id))
    articles = [article("gazette"), article("post")]
    return Report(
        backend="offline",
        articles=articles,
        claims=CLAIMS,
        contradictions=contradictions,
        stories=[Story(id=STORY, title="The Norvale bridge", article_ids=["gazette", "post"])],
        disputes=disputes,
    )
