"""The offline judge over claims it did not read (agent/backends/offline/foreign.py), on
invented text: the eval's labelled quotes and another backend's claims are judged as the
offline reader's own claims on the same words."""

from __future__ import annotations

import datetime as dt

from agent.backends.offline import OfflineBackend
from agent.models import Article, Claim, ContradictionType
from agent.pairing import Candidate
from tests.backends.offline.helpers import article

D1 = dt.date(2031, 6, 9)


def _labelled(art: Article, words: str, claimant: str) -> Claim:
    """A claim as the eval's judge stage makes one: the words, a claimant, no kind."""
    start = art.text.index(words)
    return Claim(
        id=f"lbl-{art.id}",
        article_id=art.id,
        statement=words,
        claimant=claimant,
        claimant_kind="other",
        quote=words,
        start=start,
        end=start + len(words),
    )


def test_a_labelled_quote_keeps_the_readers_kind_of_claimant_when_it_names_the_same_one() -> None:
    quote = "We had every reason to trust the old timetable"
    a = article("a", f'"{quote}," the rail director Ilvo Brandt told reporters.\n', D1)
    b = article("b", f'"{quote}," said Sanna Quill, the line\'s chief engineer.\n', D1)
    pair = Candidate(
        _labelled(a, quote, "Ilvo Brandt"),
        _labelled(b, quote, "Sanna Quill"),
        0.0,
        0.0,
        (),
        "lexical",
    )
    (verdict,), _ = OfflineBackend().judge([pair], {a.id: a, b.id: b})
    # The same words credited to two people: the reader knows both are people.
    assert (verdict.relation, verdict.type) == ("contradict", ContradictionType.ATTRIBUTION)
    assert (verdict.a, verdict.b) == ("lbl-a", "lbl-b")
    # Credited to bodies the reader did not name, the words are no disputed attribution.
    bodies = Candidate(
        _labelled(a, quote, "the rail board"),
        _labelled(b, quote, "the union"),
        0.0,
        0.0,
        (),
        "lexical",
    )
    (other,), _ = OfflineBackend().judge([bodies], {a.id: a, b.id: b})
    assert other.type != ContradictionType.ATTRIBUTION
