"""The claim factory both backends use: the outlet's name and the sentence index (invented
articles)."""

from __future__ import annotations

import hashlib

from agent.claims import OUTLET, ClaimFactory, masthead, outlet_name
from agent.models import Article


def _article(text: str, source: str | None = None) -> Article:
    digest = hashlib.sha256(text.encode()).hexdigest()
    return Article(id="a", path="a.txt", sha256=digest, text=text, source=source)


def test_the_outlet_is_the_masthead_else_the_byline_else_the_words_the_outlet() -> None:
    release = _article("MINISTRY OF WORKS\nPress release\n\nThe bridge reopened on Monday.\n")
    paper = _article("THE HARBOUR GAZETTE\nTuesday 4 May 2031\n\nFerries ran late.\n", "Ana Lind")
    blog = _article("Quay Notes\nPosted 4 May 2031 by Tove Brand\n\nThe ferry was late again.\n")
    wire = _article("date 2031-05-04\n\nFerries ran late, the port said.\n", "Norland Press")
    bare = _article("Ferries ran late on Monday.\n")
    assert outlet_name(release) == "Ministry of Works"
    assert outlet_name(paper) == "The Harbour Gazette"
    assert outlet_name(blog) == "Tove Brand"
    assert outlet_name(wire) == "Norland Press"
    assert outlet_name(bare) == OUTLET
    assert masthead("REPUBLIC OF NORLAND\nMINISTRY OF HEALTH\n\nText.\n") == (
        "Ministry of Health, Republic of Norland"
    )


def test_both_backends_credit_the_outlet_voice_the_same_way() -> None:
    text = "THE HARBOUR GAZETTE\n\nFerries ran late. The port blamed the fog on Monday.\n"
    factory = ClaimFactory(_article(text))
    start = text.index("The port")
    # The offline backend says kind "outlet"; the LLM backend names "the outlet" or the
    # outlet's own name: one claimant either way.
    offline = factory.make(claimant="", kind="outlet", start=start, end=start + 8, statement="s")
    llm_generic = factory.make(
        claimant="the outlet", kind="other", start=start, end=start + 8, statement="s"
    )
    llm_named = factory.make(
        claimant="The Harbour Gazette", kind="person", start=start, end=start + 8, statement="s"
    )
    assert {offline.claimant, llm_generic.claimant, llm_named.claimant} == {"The Harbour Gazette"}
    assert {offline.claimant_kind, llm_generic.claimant_kind, llm_named.claimant_kind} == {"outlet"}
    assert offline.id == llm_generic.id == llm_named.id
    assert offline.sentence == 2  # the masthead line, "Ferries ran late.", then this one
    assert offline.quote == text[start : start + 8]


def test_a_release_heading_is_not_part_of_the_issuers_name() -> None:
    # "STATEMENT FROM THE X TRUST" is the X Trust speaking; the heading is no part of its name.
    text = "STATEMENT FROM THE KESTREL HOUSING TRUST\n\nWe have repaired every flat in the block.\n"
    assert masthead(text) == "Kestrel Housing Trust"
    assert masthead("PRESS RELEASE BY ORVIN MUTUAL\n\nRates rise.\n") == "Orvin Mutual"
    assert masthead("MINISTRY OF WORKS\n\nText.\n") == "Ministry of Works"
