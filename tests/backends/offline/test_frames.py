"""Each slot of a claim frame, read off invented sentences (every name, place and figure here
is invented for the test)."""

from __future__ import annotations

import datetime as dt

from tests.backends.offline.helpers import frame_of, frames_of

WED = dt.date(2031, 3, 19)  # Wednesday 19 March


def test_event_normalises_synonyms_nominalisations_and_light_verbs() -> None:
    assert frame_of(
        "The fire broke out in the mill on Tuesday, the brigade said.\n", WED
    ).event == ("start")
    assert frame_of("The fire began in the mill on Tuesday, the brigade said.\n", WED).event == (
        "start"
    )
    made = frame_of("The mayor made an announcement about the ferry on Monday.\n", WED)
    assert made.event == "announce"
    walked = frame_of("More than 300 dockers walked out at the quay, the union said.\n", WED)
    assert walked.event == "strike"


def test_participants_and_themes() -> None:
    frame = frame_of("The council signed a contract with a builder, the blog said.\n")
    assert {"contract", "builder", "council"} <= set(frame.participants)
    assert "contract" in frame.themes
    assert frame.agent == "council"


def test_polarity_negation_and_denial() -> None:
    assert frame_of("No contract has been signed with any builder, the office said.\n").negated
    assert not frame_of("A contract has been signed with a builder, the office said.\n").negated
    denial = frame_of("The firm denied that its depot had flooded in the storm.\n")
    assert denial.denies and not denial.negated


def test_a_negated_clause_after_but_does_not_negate_the_main_predicate() -> None:
    frame = frame_of("The ministers discussed the canal tolls, but no deal was reached.\n")
    assert frame.event == "discuss" and not frame.negated


def test_modality_hedges_conditions_and_unknowns() -> None:
    assert frame_of('The envoy agreed "in principle" with the harbour plan.\n').hedged
    assert frame_of("The union will back the deal if the pay rise is kept.\n").conditional
    for text in (
        "The cause of the fire was not yet known, the brigade said.\n",
        "It was too early to say what caused the fire, the brigade said.\n",
        "The fire was still under investigation, the police said.\n",
    ):
        assert frame_of(text).unknown, text
    assert not frame_of("The fire was caused by a faulty heater, the brigade said.\n").unknown


def test_quantities_carry_what_is_counted_and_the_event_they_hang_on() -> None:
    frame = frame_of("Police said about 40 people were hurt in the crash at the junction.\n")
    (qty,) = frame.quantities
    assert (qty.value, qty.unit, qty.approximate) == (40.0, "person", True)
    assert "injure" in frame.quantity_events[0]
    bound = frame_of("The union said more than 1,400 workers walked out on Monday.\n")
    assert bound.quantities[0].bound == "min"
    staff = frame_of("The port said around 600 staff were on strike on Monday.\n")
    assert staff.quantities[0].unit == "worker"  # staff and workers are one kind of thing
    assert frame_of("The union asked for 3 per cent a year over the deal.\n").per_period


def test_time_keeps_its_granularity() -> None:
    year = frame_of("Dara Holm died in Velmora in 1972, the archive said.\n", WED)
    assert year.time is not None and year.time.granularity == "year"
    day = frame_of("The mill fire began on Tuesday, the brigade said.\n", WED)
    assert day.time is not None and (day.time.month, day.time.day) == (3, 18)
    late = frame_of("The blast happened shortly before midnight on Monday, police said.\n", WED)
    assert late.time is not None and (late.time.day, late.time.part_of_day) == (17, "night")


def test_places_and_scope() -> None:
    frame = frame_of("The storm hit the harbour in Velmora, the coastguard said.\n")
    assert "velmora" in frame.places
    only = frame_of("The grant covered only road repairs, the council said.\n")
    assert [s.kind for s in only.scope] == ["exclusive"] and "cover" in only.scope[0].heads
    too = frame_of("The grant covered the new depot too, opposition members said.\n")
    assert [s.kind for s in too.scope] == ["inclusive"]
    including = frame_of("The order covered every village, including the coast, police said.\n")
    assert [s.kind for s in including.scope] == ["universal", "inclusive"]  # every village


def test_compliance_and_cause() -> None:
    kept = frame_of("The release was carried out in full accordance with the agreed schedule.\n")
    broken = frame_of("The operator ignored the agreed schedule on Sunday, the blog said.\n")
    assert (kept.compliance, broken.compliance) == ("kept", "broken")
    assert frame_of("The brigade said the fire was set on purpose in two places.\n").cause == (
        "deliberate"
    )
    assert frame_of("The firm said an electrical fault caused the fire.\n").cause == "accidental"


def test_absent_things() -> None:
    frame = frame_of("The bench is held by wooden pegs, with no nails, the guide said.\n")
    assert "nail" in frame.absent


def test_a_quotation_is_kept_for_attribution() -> None:
    frame = frame_of('"We had no option but to close the old bridge," said engineer Pia Lund.\n')
    assert frame.quotation == "we had no option but to close the old bridge"


def test_pronouns_resolve_to_the_nearest_person_of_the_right_gender() -> None:
    text = (
        "Mayor Oren Pask met Mrs Ilse Varga at the harbour on Monday.\n"
        "She said the ferry would run again in May.\n"
    )
    ((claim, _frame),) = [(c, f) for c, f in frames_of(text, WED) if "ferry" in c.quote]
    assert claim.claimant == "Ilse Varga"


def test_a_pronoun_chain_keeps_its_antecedent() -> None:
    text = (
        "Dara Holm fled to the coast.\n"
        "In 1953, he was ordered to return as an adviser to Oren Pask.\n"
        "He died in Velmora in 1972.\n"
    )
    died = [f for c, f in frames_of(text, WED) if "died" in c.quote]
    assert died and "dara holm" in died[0].participants


def test_a_token_without_a_letter_is_never_an_event_or_participant() -> None:
    # spaCy splits "re-open" into "re", "-" and "open" and tags the "-" a verb: the frame
    # read it as the event "-" (a predication of its own, with its own subject).
    for text in (
        "The bakery said it would re-open the shop on Friday.\n",
        "The council said 40 staff were re-trained last year.\n",
        "The council said it will co-operate with the inquiry.\n",
    ):
        frame = frame_of(text)
        words = [
            *frame.events,
            *frame.participants,
            *frame.themes,
            *(e for events in frame.quantity_events for e in events),
        ]
        for p in frame.predications:
            words += [p.event, *p.objects, *([p.subject] if p.subject else [])]
        assert words and all(any(c.isalpha() for c in w) for w in words), (text, words)


def test_a_weekday_after_a_present_verb_of_expecting_is_the_next_one() -> None:
    """Invented sentences, in an article of Tuesday 4 August 2026: "we expect it to reopen
    by Thursday" is the coming Thursday (6 August), as "will reopen" would be; a past
    expectation and a past event stay in the week before (30 July)."""
    tuesday = dt.date(2026, 8, 4)
    days = {
        "We expect the road to reopen by Thursday, the council said.\n": 6,
        "We hope to finish the repairs by Friday, the engineer said.\n": 7,
        "The council had expected the road to reopen by Thursday, its leader said.\n": 30,
        "Police said they expect that the suspect fled on Thursday.\n": 30,
        "The pier closed on Thursday, the harbour master said.\n": 30,
    }
    for text, day in days.items():
        ((_, frame),) = frames_of(text, tuesday)
        assert frame.time is not None and frame.time.day == day, text
