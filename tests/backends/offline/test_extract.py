"""Offline extraction on invented text: attribution, claimants, stance, time, quantities."""

from __future__ import annotations

import datetime as dt

import pytest
from spacy.tokens import Token

from agent.backends.offline.claimants import ArticleClaimants
from agent.models import Stance
from tests.backends.offline.helpers import claims_of

WED = dt.date(2031, 5, 14)  # a Wednesday


def test_reporting_verb_gives_claimant_and_grounded_quote() -> None:
    text = "Harbour master Ilse Varga said the ferry sank near the northern pier on Tuesday."
    (claim,) = claims_of(text, WED)
    assert claim.claimant == "Ilse Varga"
    assert claim.claimant_kind == "person"
    assert text[claim.start : claim.end] == claim.quote
    assert claim.time is not None and claim.time.date == dt.date(2031, 5, 13)
    assert claim.statement.startswith("Ilse Varga said that the ferry sank")


def test_one_sentence_with_two_parties_gives_two_claimants() -> None:
    text = (
        "The two sides were at odds, with the ministry insisting the grant covered only schools "
        "but union leaders insisting it funded clinics too."
    )
    claimants = {c.claimant for c in claims_of(text)}
    assert {"ministry", "union leaders"} <= claimants


def test_according_to_and_quote_first_attribution() -> None:
    text = (
        "The tunnel will open in June, according to the transport office.\n"
        '"We are ready," said Mayor Oren Pask.\n'
    )
    by_claimant = {c.claimant: c for c in claims_of(text)}
    assert by_claimant["transport office"].stance == Stance.REPORTS
    assert "Oren Pask" in by_claimant


def test_surname_mention_is_the_same_claimant_and_pronoun_resolves() -> None:
    text = (
        "Finance Minister Dara Holm said the levy would end in March.\n"
        "Holm added that the budget was balanced.\n"
        "She said the treasury had no further plans.\n"
    )
    from agent.claimant_names import normalise_claimants
    from tests.backends.offline.helpers import article, contradictions  # noqa: F401

    claimants = {c.claimant for c in normalise_claimants(claims_of(text))}
    assert claimants == {"Dara Holm"}


def test_denial_verb_sets_stance_and_plain_sentence_is_the_outlet() -> None:
    text = (
        "The company denied that its filters had failed.\n"
        "Water levels rose sharply across the valley overnight.\n"
    )
    first, second = claims_of(text)
    assert first.stance == Stance.DENIES
    assert second.claimant == "the outlet" and second.claimant_kind == "outlet"


def test_headline_and_byline_lines_give_no_claims() -> None:
    assert claims_of("Storm Hits Coast\n- Staff Writer\n- 3 min read\n") == []


def test_quantities_with_units_and_approximation() -> None:
    (claim,) = claims_of("Officials said about 500 workers walked out after a 30-day notice.")
    found = {(q.value, q.unit, q.approximate) for q in claim.quantities}
    assert (500.0, "worker", True) in found
    assert (30.0, "day", False) in found


def test_a_long_article_resolves_claimants_against_a_bounded_list_of_mentions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Each claim's claimant is looked up among the people named so far; keeping every
    # mention of a long article made extraction quadratic in its length.
    scanned: list[int] = []
    resolve = ArticleClaimants.resolve

    def counting(self: ArticleClaimants, phrase: list[Token]) -> tuple[str, str]:
        scanned.append(len(self.people))
        return resolve(self, phrase)

    monkeypatch.setattr(ArticleClaimants, "resolve", counting)
    names = [f"{first} {last}" for first in _FIRST for last in _LAST]
    text = "\n".join(f"{name} said the ferry sank near the pier." for name in names) + "\n"
    assert len(claims_of(text)) == len(names) > 4 * 200
    assert len(scanned) == len(names) and max(scanned) <= 2 * 200


_FIRST = ["Ilse", "Marten", "Odile", "Piet", "Runa", "Sander", "Tove", "Ugo", "Vera", "Wim"]
_LAST = [
    f"{a}{b}"
    for a in ("Var", "Hol", "Dre", "Kes", "Lun", "Mor", "Nes", "Ost", "Pra")
    for b in ("ga", "ven", "lind", "berg", "ton", "mark", "sen", "dahl", "rin", "vik")
]


# --- who speaks a quotation (invented texts) ---------------------------------------------------


def test_a_quotation_is_spoken_by_the_attribution_after_it_closes() -> None:
    text = (
        '"Mayor Oren Pask backed the harbour plan and then dropped it within a week. '
        'The fishing fleet paid the price," councillor Ana Lind posted online.\n'
    )
    backed = next(c for c in claims_of(text) if "backed" in c.quote)
    assert backed.claimant == "Ana Lind"


def test_a_quotation_going_on_after_its_attribution_stays_with_its_speaker() -> None:
    text = (
        '"Read the small print," said engineer Pia Lund. "We got two hundred pages at '
        'midnight and were told to sign them by morning."\n'
    )
    later = next(c for c in claims_of(text) if "two hundred pages" in c.quote)
    assert later.claimant == "Pia Lund"


def test_she_after_a_mans_name_goes_to_the_woman() -> None:
    text = (
        "Mr Tomas Ek met harbour master Anna Berg at the pier on Monday.\n"
        "She said the ferry would sail again on Friday.\n"
    )
    ferry = next(c for c in claims_of(text, WED) if "ferry" in c.quote)
    assert ferry.claimant == "Anna Berg"  # not the man, though he is the nearer subject


def test_he_after_a_spokesman_is_the_spokesman_not_a_name_in_his_quotation() -> None:
    text = (
        "A spokesman for the port authority rejected the union's figures.\n"
        '"Not one berth near Tamsel Quay was closed by the storm," he said.\n'
    )
    berth = next(c for c in claims_of(text) if "berth" in c.quote)
    assert "spokesman" in berth.claimant


def test_an_object_pronoun_gives_no_gender_to_the_subject_of_its_clause() -> None:
    # "X spoke after him": "him" is someone else (a plain object pronoun never stands for
    # the subject of its own clause), so it must not make X a man, and X's "She said" that
    # follows is X's.
    text = (
        "Farmer Jon Tarrow told the meeting that the well had run dry. He said nobody came.\n"
        "Engineer Lise Amundby spoke after him. She said the pump had been repaired twice.\n"
    )
    pump = next(c for c in claims_of(text, WED) if "pump" in c.quote)
    assert pump.claimant == "Lise Amundby"
    state = ArticleClaimants()
    from agent.backends.offline.nlp import load_nlp

    doc = load_nlp()("Nurse Ola Brenn thanked him warmly. Ola Brenn said she was proud of him.")
    for k, sent in enumerate(doc.sents):
        state.observe(sent, k)
    assert state.genders.get("brenn") == "female"  # her own "she", not the "him" she thanked
