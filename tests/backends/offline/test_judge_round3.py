"""Round-3 mechanisms of the offline judge (issue 11), each on invented sentences written
for these tests (no name or phrase comes from a fixture or benchmark): a case where it fires
and, where it matters, one where it must not."""

from __future__ import annotations

import datetime as dt

from agent.models import ContradictionType as T
from tests.backends.offline.helpers import article, contradictions, frame_of

D1 = dt.date(2031, 5, 14)


def types(*articles_: object) -> list[T]:
    return [c.type for c in contradictions(*articles_)]  # type: ignore[arg-type]


def test_the_month_may_is_no_hedge() -> None:
    dated = frame_of("The Pellow clinic first opened on 4 May 1991, the trust said.\n", D1)
    assert not dated.hedged
    assert frame_of("The Pellow clinic may close next year, the trust said.\n", D1).hedged
    a = article("a", "The Pellow clinic first opened on 4 May 1991, the trust said.\n", D1)
    b = article("b", "The Pellow clinic opened in 1989, according to a local historian.\n", D1)
    assert T.DATE_TIME in types(a, b)


def test_a_month_after_in_dates_the_event_and_is_no_place() -> None:
    frame = frame_of("The ferry sailed in June from Tolsby, officials said.\n", D1)
    assert frame.places == ["tolsby"]
    assert frame_of("The review began in September 2026, the board said.\n", D1).places == []
    a = article(
        "a",
        "The roof of the new sports hall fully complied with the fire code in June, the "
        "school said.\n",
        D1,
    )
    b = article(
        "b",
        "Inspectors said the roof of the new sports hall at Tolsby breached the fire code.\n",
        D1,
    )
    assert T.COMPLIANCE in types(a, b)


def test_a_relative_pronoun_stands_for_the_whole_noun_phrase() -> None:
    a = article(
        "a",
        "The collection includes a chart of the northern coast by Pell Varga, which the "
        "city bought in 1954, the archive said.\n",
        D1,
    )
    b = article(
        "b",
        "The most valuable piece is the chart of the northern coast, which the city "
        "purchased at auction on 2 March 1961, the daily reported.\n",
        D1,
    )
    assert T.DATE_TIME in types(a, b)


def test_a_break_in_breaks_no_rule() -> None:
    assert frame_of("The break-in took place on Sunday, police said.\n", D1).compliance is None
    assert frame_of("Staff took a short break at noon, the firm said.\n", D1).compliance is None
    broken = frame_of("The firm said the contractor had breached the contract.\n", D1)
    assert broken.compliance == "broken"


def test_granting_and_issuing_a_permit_are_one_event() -> None:
    a = article(
        "a",
        "The town council said it had never issued a trading licence to the Orrin bakery.\n",
        D1,
    )
    b = article(
        "b",
        "The Orrin bakery was granted its trading licence by the town council in April, "
        "the owner said.\n",
        D1,
    )
    assert T.DENIAL in types(a, b)


def test_event_synonyms_apply_to_events_not_to_things() -> None:
    chain = frame_of("Thieves cut the chain on the gate, police said.\n", D1)
    assert "chain" in chain.participants and "lock" not in chain.participants
    assert frame_of("The guard chained the gate, police said.\n", D1).event == "lock"
    # A noun naming an event is still that event: one strike told with a noun and a verb.
    assert frame_of("The walkout began on Monday, the union said.\n", D1).participants == ["strike"]


def test_the_compliance_words_are_no_evidence_of_one_agreement() -> None:
    a = article(
        "a",
        "A council statement claimed Holt ordered the builders to adhere to the noise limits.\n",
        D1,
    )
    b = article(
        "b",
        "Dockers and drivers accused each other of not respecting a curfew agreed during "
        "talks with Holt.\n",
        D1,
    )
    assert T.COMPLIANCE not in types(a, b)
    same = article("c", "Inspectors said the builders broke the noise limits.\n", D1)
    assert T.COMPLIANCE in types(a, same)


def test_a_state_held_throughout_a_period_clashes_with_its_opposite_inside_it() -> None:
    armed = frame_of("The guard said the alarm was fully armed throughout the night.\n", D1)
    assert armed.event == "switch on" and armed.throughout
    a = article("a", "The guard said the alarm was fully armed throughout the night.\n", D1)
    b = article("b", "Detective Ola Brandt said the alarm had been switched off at 2:15 a.m.\n", D1)
    assert T.OTHER in types(a, b)
    later = article(
        "c", "Detective Ola Brandt said the alarm had been switched off at 2:15 p.m.\n", D1
    )
    assert T.OTHER not in types(a, later)  # the afternoon is outside the night


def test_people_treated_for_injuries_are_counted_as_injured() -> None:
    frame = frame_of("Eleven people were treated for injuries, the hospital said.\n", D1)
    assert frame.quantity_events == [["treat", "injure"]]
    a = article("a", "Eleven people were treated for injuries, the hospital said.\n", D1)
    b = article(
        "b", "Twenty people were injured when the footbridge at Selby gave way, police said.\n", D1
    )
    assert T.NUMBER in types(a, b)
    other = article("c", "Twenty people were evacuated from the footbridge, police said.\n", D1)
    assert T.NUMBER not in types(a, other)


def test_an_event_dated_months_before_the_other_article_is_another_occasion() -> None:
    autumn = dt.date(2031, 10, 17)
    a = article("a", "Nine people were injured at the Selby footbridge, police said.\n", autumn)
    b = article(
        "b",
        "In March, a footbridge at Orrin gave way under snow and injured 22 people, "
        "the wire reported.\n",
        autumn,
    )
    assert T.NUMBER not in types(a, b)
    recent = article(
        "c",
        "On Saturday the footbridge at Selby gave way and injured 22 people, the wire reported.\n",
        autumn,
    )
    assert T.NUMBER in types(a, recent)


def test_a_general_event_noun_stands_for_the_event_of_the_story() -> None:
    a = article(
        "a", "The walkout at the Fenby depot began at 7 a.m. on Tuesday, the union said.\n", D1
    )
    b = article("b", "The action began at 23:00 on Monday 12 May, the depot's owners said.\n", D1)
    assert T.DATE_TIME in types(a, b)
    other = article("c", "The concert began at 23:00 on Monday 12 May, the organisers said.\n", D1)
    assert T.DATE_TIME not in types(a, other)  # two events of their own, named


def test_an_event_said_to_take_place_meets_any_account_of_it() -> None:
    frame = frame_of("The break-in took place at 4 a.m. on Friday, police said.\n", D1)
    assert frame.event == "enter" and frame.subject == "enter"
    a = article("a", "The break-in took place at 4 a.m. on Friday, police said.\n", D1)
    b = article("b", "The burglars entered at 9 p.m. on Thursday, the shop's owner said.\n", D1)
    assert T.DATE_TIME in types(a, b)


def test_what_one_side_sent_the_other_says_never_arrived() -> None:
    a = article("a", "The coastguard said it had sent the flood alert to the marina at noon.\n", D1)
    b = article("b", "The marina's manager said no flood alert had reached the marina.\n", D1)
    assert T.DENIAL in types(a, b)
    reply = article("c", "The marina's manager said the coastguard never received a reply.\n", D1)
    assert T.DENIAL not in types(a, reply)


def test_verbs_of_theft_are_one_event() -> None:
    assert frame_of("Burglars looted six paintings, the owner said.\n", D1).event == "steal"
    a = article(
        "a", "The paintings were stolen from the Orrin gallery on Friday, police said.\n", D1
    )
    b = article(
        "b", "Burglars looted the paintings from the Orrin gallery on Sunday, the owner said.\n", D1
    )
    assert T.DATE_TIME in types(a, b)


def test_a_position_is_held_by_the_subject_of_its_own_verb() -> None:
    said = '"The judges have spoken and I accept their verdict," Ivo Lenk said.\n'
    frame = frame_of(said, D1)
    assert frame.position == "support" and (frame.holder or "").endswith("ivo lenk")
    a = article("a", said, D1)
    b = article(
        "b", 'Ivo Lenk said: "I no longer accept the result of the race."\n', dt.date(2031, 5, 20)
    )
    assert T.TEMPORAL in types(a, b)


def test_a_number_standing_alone_as_subject_counts_those_who_did_it() -> None:
    frame = frame_of("Four survived the crossing, the captain said.\n", D1)
    assert [(q.value, q.unit) for q in frame.quantities] == [(4, "those who survive")]
    part = frame_of("Two of the passengers died, police said.\n", D1)
    assert [(q.value, q.unit) for q in part.quantities] == [(2, "passenger")]
    a = article("a", "Four survived the crossing, the captain of the Tarn said.\n", D1)
    b = article("b", "Seven survived the crossing, a crew member of the Tarn said.\n", D1)
    assert T.NUMBER in types(a, b)


def test_a_plural_spacy_cuts_short_gets_its_singular() -> None:
    frame = frame_of("The clinic gave 300 doses and two lenses to the town, officials said.\n", D1)
    assert [q.unit for q in frame.quantities] == ["dose", "lens"]
    single = frame_of("A single dose was lost, officials said.\n", D1)
    assert "dose" in single.participants
    assert "dose" in frame.participants  # the plural and the singular meet
