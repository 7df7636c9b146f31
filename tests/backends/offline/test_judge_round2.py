"""Round-2 mechanisms of the offline judge, each on invented sentences (written for these
tests; no name or phrase comes from a fixture or benchmark): a case where it fires and one
where it must not."""

from __future__ import annotations

import datetime as dt

from agent.backends.offline.judge import same_party
from agent.models import ContradictionType as T
from tests.backends.offline.helpers import article, claims_of, contradictions, frame_of

D1, D2 = dt.date(2031, 5, 14), dt.date(2031, 5, 15)


def types(*articles_: object) -> list[T]:
    return [c.type for c in contradictions(*articles_)]  # type: ignore[arg-type]


def test_two_names_ending_in_the_same_common_word_are_two_parties() -> None:
    assert not same_party("arlen industries", "morrow industries")
    assert same_party("tessa voll", "voll")
    assert same_party("ms voll", "tessa voll")  # the honorific is no given name
    assert not same_party("tessa voll", "oskar voll")


def test_clock_times_without_a_day_are_compared_by_the_clock() -> None:
    a = article(
        "a", "The blaze at the Kelby sawmill began at 2 a.m., fire chief Ivo Rask said.\n", D1
    )
    b = article(
        "b", "The blaze at the Kelby sawmill began at 5 a.m., fire chief Ivo Rask said.\n", D1
    )
    same = article("c", "The blaze at the Kelby sawmill began at 2.10 a.m., Ivo Rask said.\n", D1)
    assert T.DATE_TIME in types(a, b)
    assert T.DATE_TIME not in types(a, same)


def test_one_noun_tied_to_two_names_is_two_things() -> None:
    a = article("a", "A flood hit the Arnby grain store on Friday, official Lena Dorr said.\n", D2)
    b = article(
        "b", "A flood hit the Wexley grain store on Thursday, official Pia Holm said.\n", D2
    )
    same = article(
        "c", "A flood hit the Arnby grain store on Thursday, official Pia Holm said.\n", D2
    )
    assert frame_of("A flood hit the Arnby grain store on Friday.\n", D2).named == ["store=arnby"]
    assert T.DATE_TIME not in types(a, b)
    assert T.DATE_TIME in types(a, same)


def test_it_in_the_words_of_a_body_is_that_body() -> None:
    said = "The operator of the Kelby sawmill said it had complied with the safety order.\n"
    frame = frame_of(said, D1)
    assert frame.subject == "operator" and "kelby" in frame.terms
    a = article("a", said, D1)
    b = article(
        "b",
        "Inspector Ivo Rask said the operator of the Kelby sawmill had violated the safety "
        "order.\n",
        D1,
    )
    assert T.COMPLIANCE in types(a, b)
    person = frame_of("The inspector said it had complied with the safety order.\n", D1)
    assert person.subject != "inspector"


def test_words_many_people_are_credited_with_are_a_stock_phrase() -> None:
    words = "We will keep the harbour road open to every lorry until the bridge is repaired"
    names = ("engineer Pia Lund", "Governor Tomas Ek", "farmer Ola Berg")
    said = [article(x, f'"{words}," said {n}.\n', D1) for x, n in zip("abc", names, strict=True)]
    assert T.ATTRIBUTION in types(*said[:2])
    assert T.ATTRIBUTION not in types(*said)


def test_a_figure_in_millions_is_read_with_its_scale() -> None:
    frame = frame_of("The board said it sold 3.5 million tonnes of grain last season.\n", D1)
    assert [(q.value, q.unit) for q in frame.quantities] == [(3_500_000, "tonne")]
    pages = frame_of("The clerk said the council was handed two hundred pages.\n", D1)
    assert [q.value for q in pages.quantities] == [200]  # not 200 and 100


def test_a_count_stated_with_be_is_counted_by_what_else_the_claim_says() -> None:
    a = article("a", "The pilot said well over 30 barges were waiting off the lock.\n", D1)
    b = article(
        "b",
        "The lock keeper said 12 barges were at anchor below the lock, some of them waiting "
        "for the tide.\n",
        D1,
    )
    assert T.NUMBER in types(a, b)


def test_the_small_hours_are_night_and_morning_both() -> None:
    a = article("a", "The keepers opened the sluice gates shortly before 2 a.m. on Sunday.\n", D2)
    b = article("b", "The keepers opened the sluice gates on Sunday morning, Ivo Rask said.\n", D2)
    late = article("c", "The keepers opened the sluice gates at 9 p.m. on Sunday.\n", D2)
    assert T.DATE_TIME not in types(a, b)
    assert T.DATE_TIME in types(a, late)


def test_a_written_date_the_tagger_calls_something_else_is_still_a_date() -> None:
    said = "Orlen Freight said the rails at the depot had been renewed on 9 September 2029.\n"
    frame = frame_of(said, D1)
    assert frame.time is not None and (frame.time.year, frame.time.day) == (2029, 9)
    assert not any("2029" in p for p in frame.participants)
    other = article("b", "The track at the depot was renewed in 2026, the operator said.\n", D1)
    assert T.DATE_TIME in types(article("a", said, D1), other)


def test_a_year_before_a_noun_is_a_date_not_a_count() -> None:
    frame = frame_of("During the 1612 voyage, nine of the twelve sailors fell ill.\n", D1)
    assert all(q.unit != "voyage" for q in frame.quantities)


def test_no_record_of_an_event_denies_it() -> None:
    a = article(
        "a", "The school said it had twice asked the council for extra street lighting.\n", D1
    )
    b = article(
        "b",
        "A spokesman, Ivo Rask, said the council had no record of any request for extra "
        "street lighting.\n",
        D1,
    )
    frame = frame_of("The council had no record of any request for extra street lighting.\n", D1)
    assert (frame.event, frame.negated) == ("ask", True) and "lighting" in frame.themes
    assert T.DENIAL in types(a, b)
    unrelated = article("c", "The council had no record of the old bridge's builder.\n", D1)
    assert T.DENIAL not in types(a, unrelated)


def test_a_description_followed_by_a_body_s_name_is_that_body() -> None:
    text = (
        "HARBOUR TRUST\n\nOur cleaning contractor, Marlow Facility Services, has assured us "
        "that every hall was locked overnight.\n"
    )
    claims = [c for c in claims_of(text, D1) if "locked" in c.quote]
    assert [c.claimant for c in claims] == ["Marlow Facility Services"]
