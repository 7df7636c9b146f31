"""Candidate pairing: bounded partners per claim (never all pairs), lexical or by embeddings."""

from __future__ import annotations

import random
from collections.abc import Sequence

from agent.models import Claim
from agent.pairing import Candidate, PairingKey, candidate_pairs

# Pairing keys are computed by the backend; here each test claim's terms are given by hand.
TERMS: dict[str, tuple[str, ...]] = {}


def claim(i: int, article: str, terms: list[str], claimant: str = "x") -> Claim:
    TERMS[f"c{i:04d}"] = tuple(terms)
    return Claim(
        id=f"c{i:04d}",
        article_id=article,
        statement="s",
        claimant=claimant,
        quote="q",
        start=0,
        end=1,
        sentence=i,
    )


def pairs_of(claims: Sequence[Claim], **options: object) -> list[Candidate]:
    keys = {c.id: PairingKey(terms=TERMS[c.id]) for c in claims}
    return candidate_pairs(claims, keys, **options)  # type: ignore[arg-type]


def test_pairs_grow_linearly_with_claims() -> None:
    rng = random.Random(7)
    vocab = [f"w{i}" for i in range(300)]
    for n in (100, 400, 1600):
        claims = [claim(i, f"a{i % 40}", rng.sample(vocab, 6)) for i in range(n)]
        pairs = pairs_of(claims, top_k=6)
        assert len(pairs) <= 6 * n
        assert len(pairs) < n * (n - 1) / 20  # far from all pairs


def test_lexical_pairs_need_shared_terms_and_skip_same_claimant_in_one_article() -> None:
    claims = [
        claim(1, "a", ["dam", "release", "volume"]),
        claim(2, "b", ["dam", "release", "volume"]),
        claim(3, "b", ["bakery", "bread"]),
        claim(4, "a", ["dam", "release", "volume"]),  # same article, same claimant as c0001
    ]
    pairs = {(p.a.id, p.b.id) for p in pairs_of(claims)}
    assert ("c0001", "c0002") in pairs
    assert not any("c0003" in p for p in pairs)
    assert ("c0001", "c0004") not in pairs


def test_embedding_vectors_choose_the_nearest_partner() -> None:
    claims = [claim(i, f"a{i}", []) for i in range(4)]
    vectors = [[1.0, 0.0], [0.99, 0.1], [0.0, 1.0], [0.1, 0.99]]
    pairs = pairs_of(claims, top_k=1, vectors=vectors)
    found = {(p.a.id, p.b.id) for p in pairs}
    assert found == {("c0000", "c0001"), ("c0002", "c0003")}
    assert all(p.reason == "embedding" for p in pairs)


def test_overlapping_spans_in_one_article_are_never_paired() -> None:
    a = claim(1, "a", ["dam", "release"], claimant="x").model_copy(update={"start": 0, "end": 10})
    b = claim(2, "a", ["dam", "release"], claimant="y").model_copy(update={"start": 5, "end": 20})
    c = claim(3, "a", ["dam", "release"], claimant="z").model_copy(update={"start": 30, "end": 40})
    pairs = {(p.a.id, p.b.id) for p in pairs_of([a, b, c])}
    assert ("c0001", "c0002") not in pairs
    assert ("c0001", "c0003") in pairs


def test_an_articles_own_voice_is_paired_with_itself_across_sentences() -> None:
    # A text can contradict itself: two sentences of the outlet's own voice may pair; the
    # same sentence (one claim cut in two) may not.
    a = claim(1, "a", ["dam", "release", "volume"]).model_copy(
        update={"claimant_kind": "outlet", "sentence": 1, "start": 0, "end": 10}
    )
    b = claim(2, "a", ["dam", "release", "volume"]).model_copy(
        update={"claimant_kind": "outlet", "sentence": 5, "start": 50, "end": 60}
    )
    c = claim(3, "a", ["dam", "release", "volume"]).model_copy(
        update={"claimant_kind": "outlet", "sentence": 5, "start": 70, "end": 80}
    )
    pairs = {(p.a.id, p.b.id) for p in pairs_of([a, b, c])}
    assert ("c0001", "c0002") in pairs and ("c0002", "c0003") not in pairs


def _crowded() -> tuple[list[Claim], dict[str, str]]:
    """Claim c0001 of article "a" and its partner c0010 in "b"; edited copies of "a" and of a
    third article "c" (one figure changed) resemble c0001 more than c0010 does."""
    near = ["dam", "release", "volume", "gates"]
    spill = ["dam", "release", "spill", "flood"]
    claims = [
        claim(1, "a", [*near, "n40"]),
        *(claim(2 + k, f"a-copy{k}", [*near, f"n4{k + 1}"]) for k in range(3)),
        claim(5, "c", [*near, "n60"]),
        *(claim(6 + k, f"c-copy{k}", [*near, f"n6{k + 1}"]) for k in range(3)),
        claim(10, "b", [*spill, "volume"]),
        *(claim(11 + k, f"b-copy{k}", [*spill, f"n5{k}"]) for k in range(3)),
    ]
    copies = {f"{x}-copy{k}": x for x in "acb" for k in range(3)}
    return claims, copies


def test_copies_of_one_article_count_as_one_partner() -> None:
    claims, copies = _crowded()
    # Not known as copies, they fill c0001's three places (and c0010's its own copies).
    assert ("c0001", "c0010") not in {(p.a.id, p.b.id) for p in pairs_of(claims, top_k=3)}
    # Known as copies: c0001's own article's copies wait, so do "c"'s once "c" is among its
    # partners, and c0010 in a genuinely different article gets its place.
    pairs = {(p.a.id, p.b.id) for p in pairs_of(claims, top_k=3, copies=copies)}
    assert {("c0001", "c0005"), ("c0001", "c0010")} <= pairs
    # The place left over goes to the best of the waiting copies.
    assert ("c0001", "c0002") in pairs


def test_copies_count_as_one_partner_by_embeddings_too() -> None:
    claims, copies = _crowded()
    # a and its copies, c and its copies: nearly one direction; b a little apart.
    vectors = [[1.0, 0.01 * k, 0.0] for k in range(8)]
    vectors += [[1.0, 0.0, 0.5 + 0.01 * k] for k in range(4)]
    assert ("c0001", "c0010") not in {
        (p.a.id, p.b.id) for p in pairs_of(claims, top_k=3, vectors=vectors)
    }
    pairs = {(p.a.id, p.b.id) for p in pairs_of(claims, top_k=3, vectors=vectors, copies=copies)}
    assert ("c0001", "c0010") in pairs


def test_a_partner_ranked_below_many_waiting_copies_still_gets_the_place() -> None:
    # More copies of each claim's own article than the first ranking looks at (4 x top_k):
    # the place still goes to the claim of the other article ranked below all of them.
    near = ["dam", "release", "volume", "gates"]
    spill = ["dam", "release", "spill", "flood"]
    claims = [claim(1, "a", [*near, "n40"]), claim(2, "b", [*spill, "volume"])]
    claims += [claim(3 + k, f"a-copy{k}", [*near, f"n4{k + 1}"]) for k in range(6)]
    claims += [claim(9 + k, f"b-copy{k}", [*spill, f"n5{k + 1}"]) for k in range(6)]
    copies = {f"{x}-copy{k}": x for x in "ab" for k in range(6)}
    assert ("c0001", "c0002") not in {(p.a.id, p.b.id) for p in pairs_of(claims, top_k=1)}
    pairs = {(p.a.id, p.b.id) for p in pairs_of(claims, top_k=1, copies=copies)}
    assert ("c0001", "c0002") in pairs
