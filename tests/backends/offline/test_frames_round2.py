"""Mechanisms of the first round-2 commit (predications per clause, births and deaths of
reference prose, dated fragments, units converted), each on invented sentences written for
these tests (no name or phrase comes from a fixture or benchmark)."""

from __future__ import annotations

import datetime as dt

from agent.backends.offline.nlp import is_dated_fragment
from agent.models import ContradictionType as T
from agent.models import Quantity
from agent.quantities import compatible, same_dimension
from tests.backends.offline.helpers import article, contradictions

D1 = dt.date(2031, 5, 14)


def types(*articles_: object) -> list[T]:
    return [c.type for c in contradictions(*articles_)]  # type: ignore[arg-type]


def test_a_short_dated_prose_line_is_kept_and_a_byline_is_not() -> None:
    assert is_dated_fragment("Oskar Vell died on 3 May 1901 in Tarrow")
    assert is_dated_fragment("Oskar Vell Born 3 May 1871")
    assert not is_dated_fragment("Posted 2 May 2031 by Lena Dorr")
    assert not is_dated_fragment("The Tarrow Gazette")


def test_a_birth_in_brackets_is_compared_with_a_birth_in_prose() -> None:
    a = article(
        "a", "Wikipedia: Oskar Vell\n\nOskar Vell (born 21 August 1871) was a clockmaker.\n"
    )
    b = article("b", "Wikipedia: Oskar Vell\n\nOskar Vell was born on 27 August 1871 in Tarrow.\n")
    same = article("c", "Wikipedia: Oskar Vell\n\nOskar Vell was born in 1871 in Tarrow.\n")
    assert T.DATE_TIME in types(a, b)
    assert T.DATE_TIME not in types(a, same)


def test_an_event_in_a_relative_clause_is_dated_on_its_own() -> None:
    a = article("a", "The mill, which the town built in 1871, burned down.\n", D1)
    b = article("b", "The mill, which the town built in 1880, was sold.\n", D1)
    same = article("c", "The mill, which the town built in 1871, was sold.\n", D1)
    assert T.DATE_TIME in types(a, b)
    assert T.DATE_TIME not in types(a, same)


def test_units_of_measure_convert_before_they_are_compared() -> None:
    miles = Quantity(text="43 miles", value=43, unit="mile")
    km = Quantity(text="69 km", value=69, unit="km")
    far = Quantity(text="90 km", value=90, unit="km")
    assert same_dimension(miles, km)
    assert compatible(miles, km)
    assert not compatible(miles, far)
