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
    # All of the confined thing given something is no account of the matter's reach.
    north = article("c", "The outage affected only customers in the north, the bank said.\n", D1)
    sorry = article("d", "All customers were sent an apology, a spokesman said.\n", D1)
    assert T.SCOPE not in types(north, sorry)


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


def test_all_of_what_lies_inside_the_confined_thing_agrees_with_it() -> None:
    only = article("a", "Only Brenn was evacuated, the council said.\n", D1)
    every = article("b", "The evacuation order covered every house in Brenn, police said.\n", D1)
    assert T.SCOPE not in types(only, every)
    members = article("e", "The discount applies only to members, the club said.\n", D1)
    letter = article("f", "All members received a letter about it, the treasurer said.\n", D1)
    assert T.SCOPE not in types(members, letter)
    # All of a thing the confined one is a part of is a dispute.
    whole = article("c", "The evacuation order covered every part of Tolby, police said.\n", D1)
    part = article(
        "d", "Only the houses in the northern part of Tolby were evacuated, the council said.\n", D1
    )
    assert T.SCOPE in types(part, whole)


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


# --- temporal: one party's outlook turned round between two days ---------------------------


def test_an_outlook_is_read_from_what_the_speaker_expects_intends_or_advises() -> None:
    for said in (
        "The port authority will not put money into the quay, Ebba Strand said.\n",
        "Ebba Strand said the port authority was ready to help pay for the quay.\n",
        "There is no need for tenants to leave their flats, Ilse Brann said.\n",
    ):
        assert frame_of(said, D1).outlook, said
    assert not frame_of(
        "The port authority has never owned the quay, Ebba Strand said.\n", D1
    ).outlook


def test_a_party_that_refused_to_pay_and_is_later_ready_to_changed_its_outlook() -> None:
    refused = article(
        "a", '"The port authority will not put any money into the quay," Ebba Strand said.\n', D1
    )
    ready = article(
        "b", "Ebba Strand said the port authority was ready to help pay for the quay.\n", D2
    )
    assert T.TEMPORAL in types(refused, ready)
    no_need = article(
        "c", '"There is no need for tenants to leave their flats," Ilse Brann said.\n', D1
    )
    urged = article("d", "Ilse Brann urged all tenants to leave their flats.\n", D2)
    assert T.TEMPORAL in types(no_need, urged)


def test_no_change_of_outlook_on_one_day_between_two_people_or_from_an_account() -> None:
    refused = '"The port authority will not put any money into the quay," Ebba Strand said.\n'
    ready = "Ebba Strand said the port authority was ready to help pay for the quay.\n"
    assert T.TEMPORAL not in types(article("a", refused, D1), article("b", ready, D1))
    other = "Olle Varn said the port authority was ready to help pay for the quay.\n"
    assert T.TEMPORAL not in types(article("a", refused, D1), article("b", other, D2))
    # "Has never owned" tells what is so, and being ready to pay does not take it back.
    account = "The port authority has never owned the quay, Ebba Strand said.\n"
    assert T.TEMPORAL not in types(article("a", account, D1), article("b", ready, D2))
    # Two plans for two years are no change of mind.
    this_year = '"The ferry company will not raise its fares in 2031," Ebba Strand said.\n'
    next_year = "Ebba Strand said the ferry company was ready to raise its fares in 2032.\n"
    assert T.TEMPORAL not in types(article("a", this_year, D1), article("b", next_year, D2))
    # Urging a change, then promising never to ask for the thing changed: one shared word.
    urged = article("c", "Ilse Brann urged all tenants to change their codes.\n", D1)
    never = article("d", '"We will never ask you for your code," Ilse Brann said.\n', D2)
    assert T.TEMPORAL not in types(urged, never)
    # The same two outlooks, a day apart and undated, are a change of mind.
    assert T.TEMPORAL in types(article("a", refused, D1), article("b", ready, D2))
