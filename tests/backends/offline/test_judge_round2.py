"""Round-2 mechanisms of the offline judge, each on invented sentences (written for these
tests; no name or phrase comes from a fixture or benchmark): a case where it fires and one
where it must not."""

from __future__ import annotations

import datetime as dt

from agent.backends.offline.judge import same_party
from agent.models import ContradictionType as T
from tests.backends.offline.helpers import article, contradictions, frame_of

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
