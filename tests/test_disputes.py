"""Disputes: contradictions about one matter gathered, with their positions (invented claims,
and the seeds)."""

from __future__ import annotations

from agent.disputes import account, build_disputes, denial
from agent.ids import flag_fingerprint, stable_id
from agent.models import (
    Claim,
    Contradiction,
    ContradictionType,
    Judgement,
    Quantity,
    Report,
    Side,
)
from agent.text_features import content_terms

T = ContradictionType


def _claim(
    cid: str, claimant: str, quote: str, article: str = "a", value: float | None = None
) -> Claim:
    return Claim(
        id=cid,
        article_id=article,
        statement=f"{claimant} said that {quote}.",
        claimant=claimant,
        quote=quote,
        start=0,
        end=len(quote),
        quantities=[] if value is None else [Quantity(text=str(value), value=value, unit="person")],
    )


def _flag(x: Claim, y: Claim, kind: ContradictionType, confidence: float = 0.7) -> Contradiction:
    sides = [
        Side(
            claim_id=c.id,
            article_id=c.article_id,
            article_sha256="sha-" + c.article_id,
            claimant=c.claimant,
            quote=c.quote,
            start=c.start,
            end=c.end,
        )
        for c in (x, y)
    ]
    return Contradiction(
        id=stable_id("ct", x.id, y.id),
        fingerprint=flag_fingerprint(
            kind.value, [("sha-" + c.article_id, 0, len(c.id) * 7 + ord(c.id[-1])) for c in (x, y)]
        ),
        type=kind,
        summary=f"{x.claimant} against {y.claimant}",
        confidence=confidence,
        sides=sides,
    )


AID = {
    "kremlin": _claim(
        "kremlin", "Kremlin", "the key condition is an end to military aid for the army", "readout"
    ),
    "putin": _claim("putin", "Putin", "military aid to the army must stop first", "wire"),
    "trump": _claim("trump", "Trump", "we did not talk about military aid at all", "wire"),
    "waltz": _claim(
        "waltz", "Waltz", "he denied that an end to military aid was demanded", "daily"
    ),
}
STORY = {"readout": "st-1", "wire": "st-1", "daily": "st-1", "b": "st-2"}


def test_the_aid_quarrel_is_one_dispute_with_two_positions() -> None:
    c = AID
    flags = [
        _flag(c["kremlin"], c["trump"], T.DENIAL, 0.6),
        _flag(c["kremlin"], c["waltz"], T.DENIAL, 0.7),
        _flag(c["putin"], c["trump"], T.OTHER, 0.5),  # another type, the same matter
    ]
    disputes, updated = build_disputes(flags, [], c, STORY)
    assert len(disputes) == 1
    d = disputes[0]
    assert {frozenset(p.claimants) for p in d.positions} == {
        frozenset({"Kremlin", "Putin"}),
        frozenset({"Trump", "Waltz"}),
    }
    assert d.story_id == "st-1" and d.confidence == 0.7
    assert d.types == [T.DENIAL, T.OTHER]
    assert sorted(d.contradiction_ids) == sorted(f.id for f in flags)
    assert all(f.dispute_id == d.id and f.story_id == "st-1" for f in updated)
    assert "aid" in d.matter and "military" in d.matter
    for p in d.positions:
        assert p.label and p.summary.startswith(", ".join(p.claimants))
        assert p.sources == sorted({s.article_id for s in p.sides})


def test_two_quarrels_that_share_a_claim_are_two_disputes() -> None:
    hub = _claim("hub", "Mayor", "forty people left the plant on Monday after the fire", "a", 40)
    count = _claim("count", "Union", "sixty people left the plant", "b", 60)
    when = _claim("when", "Police", "the blaze started on Sunday night near the depot", "b")
    flags = [_flag(hub, count, T.NUMBER), _flag(hub, when, T.DATE_TIME)]
    claims = {c.id: c for c in (hub, count, when)}
    disputes, _ = build_disputes(flags, [], claims, {"a": "s", "b": "s"})
    assert len(disputes) == 2
    assert all(len(d.positions) == 2 for d in disputes)


def test_different_figures_are_different_positions() -> None:
    xs = [
        _claim(f"n{v}", f"Paper {v}", f"{v} people were evacuated from the plant", f"p{v}", v)
        for v in (40, 60, 90)
    ]
    claims = {c.id: c for c in xs}
    flags = [_flag(xs[0], xs[1], T.NUMBER), _flag(xs[0], xs[2], T.NUMBER)]
    disputes, _ = build_disputes(flags, [], claims, {c.article_id: "s" for c in xs})
    assert len(disputes) == 1 and len(disputes[0].positions) == 3


def test_agreeing_claims_are_one_position_and_join_their_disputes() -> None:
    x = _claim("x", "Mayor", "forty people left the plant", "a", 40)
    y = _claim("y", "Union", "sixty people left the plant", "b", 60)
    x2 = _claim("x2", "Police", "forty people left the plant", "c", 40)
    z = _claim("z", "Firm", "ninety people left the plant", "d", 90)
    claims = {c.id: c for c in (x, y, x2, z)}
    flags = [_flag(x, y, T.NUMBER), _flag(x2, z, T.NUMBER)]
    agree = [Judgement(a="x", b="x2", relation="agree", confidence=0.9)]
    disputes, _ = build_disputes(flags, agree, claims, {k: "s" for k in "abcd"})
    assert len(disputes) == 1
    assert {frozenset(p.claimants) for p in disputes[0].positions} == {
        frozenset({"Mayor", "Police"}),
        frozenset({"Union"}),
        frozenset({"Firm"}),
    }


def test_the_fingerprint_is_its_smallest_pair_fingerprint_and_survives_a_new_side() -> None:
    c = AID
    flags = [_flag(c["kremlin"], c["trump"], T.DENIAL), _flag(c["kremlin"], c["waltz"], T.DENIAL)]
    (before,), _ = build_disputes(flags, [], c, STORY)
    assert before.fingerprint == min(f.fingerprint for f in flags)
    extra = _flag(c["putin"], c["trump"], T.DENIAL)
    if extra.fingerprint > before.fingerprint:  # the documented rule: a larger one keeps it
        (after,), _ = build_disputes([*flags, extra], [], c, STORY)
        assert after.fingerprint == before.fingerprint and after.id != before.id
    # Whatever the new pair's fingerprint, the old one is still among the dispute's pairs.
    (after,), updated = build_disputes([*flags, extra], [], c, STORY)
    fingerprints = {f.fingerprint for f in updated if f.id in after.contradiction_ids}
    assert before.fingerprint in fingerprints


def test_account_drops_the_attribution_and_is_short() -> None:
    assert account("Trump said that he and Putin did not talk about aid.") == (
        "he and Putin did not talk about aid"
    )
    assert account("Kremlin said that it was emphasized that aid must stop.") == "aid must stop"
    assert account(" ".join(["word"] * 30)).endswith("…")
    # A denial's attribution is its account.
    said = "Waltz denied that Putin had demanded an end to aid."
    assert account(said, keep_attribution=True) == said.rstrip(".")


def test_a_long_account_shows_the_words_about_the_matter() -> None:
    """Invented: a long statement whose point comes last is cut around the matter's words."""
    long = (
        "the council said that the main reason for delaying the works on the old quay through "
        "the whole of the wet season was the lack of steel for the new pylons"
    )
    label = account(long, limit=10, matter=frozenset(content_terms("steel pylons")))
    assert label == "…season was the lack of steel for the new pylons"
    assert account(long, limit=10).endswith("…") and not account(long, limit=10).startswith("…")


def test_a_denial_is_labelled_with_the_claimant_and_what_they_deny() -> None:
    """Invented quotes: the words after the denial verb, the claimant before them."""
    quote = "who joined the mayor in denying claims that the port had been closed to ferries"
    assert denial("the harbour master", quote) == (
        "the harbour master denied claims that the port had been closed to ferries"
    )
    assert denial("Ana", "she dismissed that the bridge was unsafe") == (
        "Ana denied the bridge was unsafe"
    )
    assert denial("Ana", "the bridge is unsafe") == ""  # no denial verb: the statement is used


def test_seeds_aid_and_truce_scope_disputes(seeds_report: Report) -> None:
    def holding(words: str) -> list[str]:
        return [
            d.id
            for d in seeds_report.disputes
            for p in d.positions
            for s in p.sides
            if words in s.quote
        ]

    kremlin = holding("complete cessation of foreign military aid")
    waltz = holding("who joined Trump in denying")
    trump = holding("talk about aid at all")
    assert kremlin and kremlin == waltz == trump  # one dispute, three sides at least
    aid = next(d for d in seeds_report.disputes if d.id == kremlin[0])
    side_of = {s.quote: p.id for p in aid.positions for s in p.sides}
    position = {
        key: next(v for q, v in side_of.items() if key in q)
        for key in ("cessation", "denying", "at all")
    }
    assert position["cessation"] != position["denying"] == position["at all"]
    scope = holding("only covered energy plants")
    assert scope and scope == holding("other infrastructure too")
    truce = next(d for d in seeds_report.disputes if d.id == scope[0])
    assert {c for p in truce.positions for c in p.claimants} == {"Moscow", "US officials"}
    assert all(
        c.dispute_id in {d.id for d in seeds_report.disputes} for c in seeds_report.contradictions
    )
