"""Scope against all of a thing, and positions that change between two days (issue 11,
held-out round), on invented sentences written for these tests (no name or phrase comes
from a fixture, a benchmark or a held-out case): each test has a case where the mechanism
fires, which the judge missed before it, and traps where it must not."""

from __future__ import annotations

import datetime as dt

from agent.models import ContradictionType as T
from tests.backends.offline.helpers import article, contradictions, frame_of

D1 = dt.date(2031, 6, 9)  # a Monday
D2 = dt.date(2031, 6, 11)


def types(*articles_: object) -> list[T]:
    return [c.type for c in contradictions(*articles_)]  # type: ignore[arg-type]


# --- scope: "only X" against "both", "every", "the entire", "X was not affected" / "also" --


def test_a_quantifier_over_all_of_a_thing_is_read_but_not_one_over_time() -> None:
    kinds = {s.kind for s in frame_of("Both platforms at Orvel were closed, staff said.\n").scope}
    assert "universal" in kinds
    whole = frame_of("The entire viaduct was shut, the operator said.\n", D1)
    assert [s.domain for s in whole.scope if s.kind == "universal"] == [["viaduct"]]
    for timed in (
        "The Orvel kiosk stayed open all day, staff said.\n",
        "Work went on the whole night at the Orvel depot, staff said.\n",
        "Not all platforms at Orvel were closed, staff said.\n",
    ):
        assert all(s.kind != "universal" for s in frame_of(timed, D1).scope), timed


def test_only_one_part_against_both_parts_of_the_same_thing() -> None:
    a = article(
        "a", "Only the eastern platform at Orvel station is affected, the operator said.\n", D1
    )
    b = article("b", "Both platforms at Orvel station were shut to passengers, police said.\n", D1)
    assert T.SCOPE in types(a, b)


def test_a_matter_confined_with_a_verb_of_reach_meets_any_account_of_all_of_it() -> None:
    a = article(
        "a", "The ban applies only to lorries using the Ferrin bypass, the council said.\n", D1
    )
    b = article(
        "b",
        "Drivers said the entire Ferrin bypass was closed to traffic on Monday morning.\n",
        D1,
    )
    assert T.SCOPE in types(a, b)


def test_a_thing_said_to_be_unaffected_against_it_too_being_hit() -> None:
    frame = frame_of("Night trains were not affected by the walkout, the operator said.\n", D1)
    assert [s.kind for s in frame.scope] == ["exclusive"]
    a = article("a", "Night trains were not affected by the walkout, the operator said.\n", D1)
    b = article("b", "Night trains were also cancelled during the walkout, passengers said.\n", D1)
    assert T.SCOPE in types(a, b)


def test_a_part_against_a_whole_of_another_thing_is_no_scope_dispute() -> None:
    confined = article(
        "a", "Only the north wing of Tallis school was damaged, the trust said.\n", D1
    )
    whole = article("b", "The whole of Tallis school was evacuated, the head teacher said.\n", D1)
    everyone = article("c", "Every pupil at Tallis school went home early, parents said.\n", D1)
    assert T.SCOPE not in types(confined, whole, everyone)
    # Found when the two speak of the same thing.
    wings = article("d", "Both wings of Tallis school were damaged, a firefighter said.\n", D1)
    assert T.SCOPE in types(confined, wings)


def test_hedged_dated_apart_or_one_article_scopes_are_left_alone() -> None:
    hedged = article(
        "a", "The repairs may affect only the eastern platform at Orvel, the operator said.\n", D1
    )
    both = article(
        "b", "Both platforms at Orvel were shut to passengers on Monday, police said.\n", D1
    )
    assert T.SCOPE not in types(hedged, both)
    monday = article(
        "c", "Only the eastern platform at Orvel was closed on Monday, the operator said.\n", D2
    )
    wednesday = article("d", "Both platforms at Orvel were closed on Wednesday, police said.\n", D2)
    assert T.SCOPE not in types(monday, wednesday)
    one = article(
        "e",
        "Only the eastern platform at Orvel was closed on Monday, the operator said. "
        "Both platforms at Orvel reopened on Tuesday, it added.\n",
        D2,
    )
    assert T.SCOPE not in types(one)
    # The same two accounts with no hedge and no dates are a dispute.
    plain = article("f", "Only the eastern platform at Orvel was closed, the operator said.\n", D2)
    shut = article("g", "Both platforms at Orvel were closed, police said.\n", D2)
    assert T.SCOPE in types(plain, shut)
