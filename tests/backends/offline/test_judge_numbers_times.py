"""Numbers and times in the offline judge on held-out wording (issue 11, round 4): time
expressions the small model leaves unread, and the guards that keep two events of one kind
apart. Every sentence is invented for these tests (no name or phrase comes from a fixture or
benchmark)."""

from __future__ import annotations

import datetime as dt

from agent.models import ContradictionType as T
from tests.backends.offline.helpers import article, contradictions, frame_of

WED = dt.date(2031, 3, 12)  # a Wednesday


def types(*articles_: object) -> list[T]:
    return [c.type for c in contradictions(*articles_)]  # type: ignore[arg-type]


# --- reading the time -------------------------------------------------------------------


def test_a_weekday_before_a_part_of_the_day_dates_the_event() -> None:
    frame = frame_of("The Orbury board met on Tuesday morning, the union said.\n", WED)
    assert frame.time is not None
    assert (frame.time.month, frame.time.day, frame.time.part_of_day) == (3, 11, "morning")


def test_a_clock_time_the_tagger_reads_as_a_number_is_a_time() -> None:
    frame = frame_of("The Orbury signal box lost power at 21:40, the operator said.\n", WED)
    assert frame.time is not None and frame.time.minutes == 21 * 60 + 40
    evening = frame_of("The Orbury ferry left its berth at 7.45pm on Sunday, the crew said.\n", WED)
    assert evening.time is not None
    assert (evening.time.day, evening.time.minutes) == (9, 19 * 60 + 45)


def test_a_score_is_no_clock_time() -> None:
    assert frame_of("The Orbury side won 3:1 in the final, the club said.\n", WED).time is None


def test_o_clock_takes_its_half_of_the_day_from_the_part_of_the_day() -> None:
    frame = frame_of(
        "The Orbury panel voted at eleven o'clock on Monday night, the clerk said.\n", WED
    )
    assert frame.time is not None
    assert (frame.time.day, frame.time.minutes) == (10, 23 * 60)


def test_times_named_relative_to_the_article_are_resolved() -> None:
    night = frame_of("The Orbury depot was flooded last night, the council said.\n", WED)
    assert night.time is not None
    assert (night.time.day, night.time.part_of_day) == (11, "night")
    month = frame_of("The Orbury inspectors found two faults last month, the council said.\n", WED)
    assert month.time is not None and (month.time.month, month.time.day) == (2, None)


# --- conflicts that now meet, and two events that stay apart -----------------------------


def test_a_clock_time_against_another_for_one_event_is_a_date_time_conflict() -> None:
    a = article("a", "The Orbury signal box lost power at 21:40, the operator said.\n", WED)
    b = article(
        "b", "The Orbury signal box lost power shortly after 1 a.m., a signaller said.\n", WED
    )
    assert T.DATE_TIME in types(a, b)


def test_tuesday_morning_against_monday_morning_for_one_meeting_is_a_conflict() -> None:
    a = article("a", "The Orbury strike committee met on Tuesday morning, the union said.\n", WED)
    b = article("b", "The Orbury strike committee met on Monday morning, its chairman said.\n", WED)
    assert T.DATE_TIME in types(a, b)


def test_two_clock_times_within_the_slack_agree() -> None:
    a = article("a", "The Orbury signal box lost power at 21:40, the operator said.\n", WED)
    b = article("b", "The Orbury signal box lost power at about 21:50, a signaller said.\n", WED)
    assert T.DATE_TIME not in types(a, b)


def test_two_places_closed_on_two_mornings_are_two_events() -> None:
    a = article("a", "Marlow Street was closed for three hours this morning, police said.\n", WED)
    b = article(
        "b",
        "The Kelby tram depot was closed for two hours on Monday morning, the operator said.\n",
        WED,
    )
    assert types(a, b) == []


def test_two_votes_on_two_days_give_no_number_conflict() -> None:
    a = article(
        "a", "The regional assembly passed the transit levy last night by 31 votes to 12.\n", WED
    )
    b = article(
        "b", "The transit levy cleared the budget panel on 2 March by five votes to three.\n", WED
    )
    assert T.NUMBER not in types(a, b)


# --- a fall in space is no decrease ------------------------------------------------------


def test_a_thing_that_falls_in_space_falls_and_a_figure_that_falls_decreases() -> None:
    assert frame_of("A crane at the Ostrey yard fell onto the road, police said.\n", WED).event == (
        "fall"
    )
    lift = frame_of("The Ostrey lift dropped three floors, the landlord said.\n", WED)
    assert lift.event == "fall"
    price = frame_of("Ostrey Holdings said its share price fell by 4 per cent.\n", WED)
    assert price.event == "decrease"
    turnout = frame_of("Turnout in Ostrey dropped to 40 per cent, the council said.\n", WED)
    assert turnout.event == "decrease"


def test_a_drop_and_a_descent_of_one_lift_at_two_times_is_a_date_time_conflict() -> None:
    a = article(
        "a", "The Ostrey lift dropped three floors at 17:10 on Monday, the landlord said.\n", WED
    )
    b = article(
        "b",
        "The Ostrey lift descended three floors late on Monday night, the fire service said.\n",
        WED,
    )
    assert T.DATE_TIME in types(a, b)


def test_sales_that_fell_and_a_crate_that_fell_are_two_events() -> None:
    a = article("a", "Ostrey Foods said its sales dropped sharply in January.\n", WED)
    b = article("b", "A crate fell from an Ostrey Foods lorry in February, police said.\n", WED)
    assert types(a, b) == []


# --- "not until" dates the event -------------------------------------------------------


def test_not_until_a_time_is_no_negation() -> None:
    late = frame_of("The Brenwick ambulance did not arrive until 3 p.m., residents said.\n", WED)
    assert not late.negated
    assert late.time is not None and late.time.minutes == 15 * 60
    assert frame_of("The Brenwick ambulance did not arrive, residents said.\n", WED).negated


def test_not_until_one_time_against_another_time_is_a_date_time_conflict() -> None:
    a = article("a", "The Brenwick ambulance did not arrive until 3 p.m., residents said.\n", WED)
    b = article("b", "The Brenwick ambulance arrived at 1 p.m., the trust said.\n", WED)
    assert T.DATE_TIME in types(a, b)


def test_not_until_a_time_agrees_with_the_event_at_that_time() -> None:
    a = article("a", "The Brenwick ambulance did not arrive until 3 p.m., residents said.\n", WED)
    b = article("b", "The Brenwick ambulance arrived at about 3 p.m., the trust said.\n", WED)
    assert types(a, b) == []


# --- a light verb or "come" says only that the act its subject names happened -------------


def test_an_act_noun_under_a_light_verb_or_come_is_the_event() -> None:
    issued = frame_of(
        "An evacuation order for Pellam was issued at 14:40, the fire service said.\n", WED
    )
    assert issued.event == "order"
    came = frame_of("The order to leave Pellam came after dark on Monday, residents said.\n", WED)
    assert came.event == "order"
    taken = frame_of(
        "The decision to shut the Pellam pool was taken on Tuesday, the council said.\n", WED
    )
    assert taken.event == "decide"
    # a posted notice is no noticing, and a storm that came is no act
    notice = frame_of("The Pellam notice was issued at 18:00 on Sunday, the company said.\n", WED)
    assert notice.event != "notice"
    assert frame_of("The storm came on Monday, forecasters said.\n", WED).event == "come"


def test_an_order_issued_at_one_time_and_an_order_that_came_at_another_conflict() -> None:
    a = article(
        "a",
        "An evacuation order for Pellam was issued at 14:40 on Monday, the fire service said.\n",
        WED,
    )
    b = article(
        "b",
        "The evacuation order for Pellam did not come until after dark on Monday night, a "
        "resident wrote.\n",
        WED,
    )
    assert T.DATE_TIME in types(a, b)


def test_a_decision_taken_and_a_decision_made_on_two_days_conflict() -> None:
    a = article(
        "a",
        "The decision to shut the Pellam pool was taken on Tuesday morning, the council said.\n",
        WED,
    )
    b = article(
        "b",
        "The council decided to shut the Pellam pool on Monday morning, its leader said.\n",
        WED,
    )
    assert T.DATE_TIME in types(a, b)


def test_two_decisions_about_two_things_on_two_days_are_two_events() -> None:
    a = article(
        "a",
        "The decision to shut the Pellam pool was taken on Tuesday morning, the council said.\n",
        WED,
    )
    b = article(
        "b", "The decision to repaint the Orrin library was taken on Monday, a clerk said.\n", WED
    )
    assert types(a, b) == []


def test_payments_that_were_taken_are_sums_of_money_not_an_act_of_paying() -> None:
    assert frame_of("The Velmor bank said payments had been taken twice.\n", WED).event != "pay"
    a = article("a", "The Velmor bank denied that any payments had been taken twice.\n", WED)
    b = article(
        "b", "Everyday payments in Velmor have become more concentrated, an analyst said.\n", WED
    )
    assert types(a, b) == []


def test_why_two_acts_on_two_days_are_unrelated_says_so() -> None:
    from agent.backends.offline import OfflineBackend

    a = article(
        "a",
        "The decision to shut the Pellam pool was taken on Tuesday morning, the council said.\n",
        WED,
    )
    b = article(
        "b", "The decision to repaint the Orrin library was taken on Monday, a clerk said.\n", WED
    )
    backend = OfflineBackend()
    claims = [c for x in (a, b) for c in backend.extract(x)]
    judgements, _ = backend.judge(backend.pair(claims), {a.id: a, b.id: b})
    cues = [cue for j in judgements if j.relation == "unrelated" for cue in j.cues]
    assert "aligned, times differ, but said of different things or acts" in cues


def test_two_spellings_of_a_name_are_not_two_subjects() -> None:
    from agent.backends.offline.frames import ClaimFrame
    from agent.backends.offline.judge import Context, Pair, _different_subjects
    from agent.models import Claim
    from agent.pairing import Candidate

    def claim(cid: str) -> Claim:
        return Claim(id=cid, article_id=cid, statement="x", claimant="c", quote="x", start=0, end=1)

    names = ClaimFrame(subject="jonas van eyre", participants=["jonas van eyre"])
    spelt = ClaimFrame(subject="yonas van eyr", participants=["yonas van eyr"])
    depot = ClaimFrame(subject="depot", participants=["depot"])
    lane = ClaimFrame(subject="marlow street", participants=["marlow street"])
    ctx = Context(published={}, frames={"a": names, "b": spelt, "c": depot, "d": lane})
    assert not _different_subjects(
        Pair(Candidate(claim("a"), claim("b"), 0, 0, (), "lexical"), ctx)
    )
    assert _different_subjects(Pair(Candidate(claim("c"), claim("d"), 0, 0, (), "lexical"), ctx))
