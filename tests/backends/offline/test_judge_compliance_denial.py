"""Compliance and denial told in other words (issue 11, held-out round): each mechanism on
invented sentences written for these tests (no name or phrase comes from a fixture, a
held-out case or a benchmark), with the cases where it must fire and the look-alikes where
it must not."""

from __future__ import annotations

import datetime as dt

from agent.models import ContradictionType as T
from tests.backends.offline.helpers import article, contradictions, frame_of

D1 = dt.date(2031, 5, 14)


def types(*articles_: object) -> list[T]:
    return [c.type for c in contradictions(*articles_)]  # type: ignore[arg-type]


# --- compliance without a compliance verb ---------------------------------------------------


def test_a_rule_followed_or_not_followed_is_compliance() -> None:
    kept = frame_of(
        "The hatchery's hygiene protocols were followed to the letter, its manager said.\n"
    )
    broken = frame_of("Inspectors found that the hygiene procedure was not followed.\n")
    assert (kept.compliance, broken.compliance) == ("kept", "broken")
    assert kept.norms == ["protocol"] and broken.norms == ["procedure"]
    a = article(
        "a",
        "“The hatchery's hygiene protocols were followed to the letter,” said Odile Brask, "
        "its manager.\n",
        D1,
    )
    b = article(
        "b",
        "Inspectors from the district council found that the hygiene procedure at the "
        "hatchery was not followed.\n",
        D1,
    )
    assert T.COMPLIANCE in types(a, b)


def test_a_due_act_missed_breaks_the_schedule_the_other_says_was_kept() -> None:
    assert frame_of(
        "Tenants said the boilers had missed their annual inspection.\n"
    ).compliance == ("broken")
    a = article(
        "a",
        "Tenants at Fenn Court said the boilers had missed their annual safety inspection.\n",
        D1,
    )
    b = article(
        "b",
        "The boilers at Fenn Court were serviced in line with the maker's schedule, the "
        "landlord said.\n",
        D1,
    )
    assert T.COMPLIANCE in types(a, b)


def test_failing_to_give_the_notice_the_law_requires_against_notice_given_by_the_rules() -> None:
    failed = frame_of(
        "The union failed to give the seven days' notice that the law requires, the operator "
        "said.\n"
    )
    assert failed.compliance == "broken"
    given = frame_of(
        "We gave a full week's notice, exactly as the rules require, the union said.\n"
    )
    assert given.compliance == "kept" and given.norms == ["rule"]
    a = article(
        "a",
        "The dockers' union failed to give the seven days' notice of a stoppage that the law "
        "requires, the port operator said.\n",
        D1,
    )
    b = article(
        "b",
        "“We gave a full week's notice, in writing, exactly as the rules require,” said Ilse "
        "Varn, the union's secretary.\n",
        D1,
    )
    assert T.COMPLIANCE in types(a, b)


def test_an_act_done_by_the_rules_against_the_same_act_not_done() -> None:
    a = article(
        "a",
        "Varrow Power notified the energy regulator of the outage promptly and in line with "
        "its licence conditions, the company said.\n",
        D1,
    )
    b = article(
        "b",
        # Not "did not notify the regulator until Monday": that tells when it was done.
        "According to documents seen by the paper, Varrow did not notify the regulator.\n",
        D1,
    )
    assert T.COMPLIANCE in types(a, b)


def test_nothing_done_in_breach_of_the_rules_against_the_rules_followed() -> None:
    a = article(
        "a", "The kitchen staff followed the food safety rules in full, the caterer said.\n", D1
    )
    b = article(
        "b",
        "An environmental health officer said no cleaning logs had been kept in the kitchen "
        "that week, in breach of the food safety rules.\n",
        D1,
    )
    assert T.COMPLIANCE in types(a, b)


def test_a_negated_breach_keeps_the_rule() -> None:
    assert frame_of("Nobody breached the order, the firm said.\n").compliance == "kept"
    assert frame_of("The lifts have never missed an inspection, the trust said.\n").compliance == (
        "kept"
    )


def test_compliance_traps_two_parties_two_days_a_question_a_fault_and_a_bus() -> None:
    # Two parties: the airline kept its rules, the airport operator broke its own.
    a = article(
        "a", "The airline followed all of its safety procedures, its chief executive said.\n", D1
    )
    b = article(
        "b", "Inspectors said the airport operator had ignored the fire safety procedures.\n", D1
    )
    assert T.COMPLIANCE not in types(a, b)
    # Two days: kept on one, broken on another.
    a = article("a", "The depot followed the loading procedure on 3 March, the firm said.\n", D1)
    b = article(
        "b", "The depot did not follow the loading procedure on 9 April, an inspector said.\n", D1
    )
    assert types(a, b) == []
    # Asked, not asserted.
    asked = "The council has not said whether the contractor followed the safety procedures.\n"
    assert frame_of(asked).compliance is None
    b = article("b", "The contractor followed every safety procedure, its director said.\n", D1)
    assert types(article("a", asked, D1), b) == []
    # A fault, not a duty left undone.
    a = article("a", "Residents said the siren failed to sound during the test.\n", D1)
    b = article(
        "b", "The siren was tested in line with the maintenance schedule, the council said.\n", D1
    )
    assert T.COMPLIANCE not in types(a, b)
    # Missing a bus breaks no rule.
    assert (
        frame_of("The striker missed the bus to the stadium, his coach said.\n").compliance is None
    )
    # Two lifts of two named blocks.
    a = article("a", "The lift at Orme House missed its annual inspection, tenants said.\n", D1)
    b = article(
        "b",
        "The lift at Kell House was maintained in line with the schedule, the trust said.\n",
        D1,
    )
    assert T.COMPLIANCE not in types(a, b)


# --- an act received is the act done to the receiver ----------------------------------------


def test_no_complaint_received_against_a_complaint_made_to_the_receiver() -> None:
    a = article(
        "a",
        "The landlord said it had received no complaints about the heating this winter.\n",
        D1,
    )
    b = article(
        "b", "“I complained to the landlord about the heating by letter,” said Ria Solberg.\n", D1
    )
    assert T.DENIAL in types(a, b)


def test_no_notification_received_against_the_receiver_notified() -> None:
    a = article(
        "a", "The regulator said it had received no notification of the leak from the firm.\n", D1
    )
    b = article("b", "The firm said it had notified the regulator of the leak on Tuesday.\n", D1)
    assert T.DENIAL in types(a, b)


def test_received_act_traps_another_receiver_the_receiver_acting_and_agreement() -> None:
    none = article(
        "a",
        "The landlord said it had received no complaints about the heating this winter.\n",
        D1,
    )
    # Someone else was complained to.
    other = article("b", "“I complained to the council about the heating,” said Ria Solberg.\n", D1)
    assert T.DENIAL not in types(none, other)
    # The receiver complaining is no complaint received.
    acting = article("b", "The landlord complained to the council about the heating bills.\n", D1)
    assert T.DENIAL not in types(none, acting)
    # Received, and done: the two agree.
    got = article("a", "The school said it had received a warning about the garden wall.\n", D1)
    told = article(
        "b", "A surveyor said he had warned the school about the garden wall last autumn.\n", D1
    )
    assert types(got, told) == []
    # A hedge: it may not have been received.
    maybe = article(
        "a", "The school may not have received the warning about the garden wall, staff said.\n", D1
    )
    assert T.DENIAL not in types(maybe, told)


def _verdict_cues(first: str, second: str) -> list[str]:
    """The cues of the offline judge's verdict on the first claims of two invented articles."""
    from agent.backends.offline import OfflineBackend
    from agent.pairing import Candidate

    a, b = article("a", first, D1), article("b", second, D1)
    backend = OfflineBackend()
    x, y = backend.extract(a)[0], backend.extract(b)[0]
    (verdict,), _ = backend.judge([Candidate(x, y, 0.0, 0.0, (), "lexical")], {"a": a, "b": b})
    assert verdict.relation == "unrelated"
    return verdict.cues


def test_an_unrelated_verdict_says_where_compliance_and_a_received_act_stopped() -> None:
    # The eval prints this beside a miss: the events differ ("follow" / "ignore"), but what
    # stopped the pair is that two parties are named.
    assert _verdict_cues(
        "The airline followed all of its safety procedures, its chief executive said.\n",
        "Inspectors said the airport operator had ignored the fire safety procedures.\n",
    ) == ["one keeps a rule and the other breaks it, but two parties"]
    assert _verdict_cues(
        "The regulator said it may have received no notification of the leak from the firm.\n",
        "The firm said it had notified the regulator of the leak on Tuesday.\n",
    ) == ["an act received meets the act done, but one is hedged, conditional or not known yet"]


# --- "not one", "not a single": a negative argument ------------------------------------------


def test_not_one_and_not_a_single_deny_their_predicate() -> None:
    assert frame_of("Not one driver was consulted before the change, the union said.\n").negated
    assert frame_of("Not a single complaint was received, the firm said.\n").negated
    # "Not all" and "not only" deny nothing of the whole: a part, or more than the part.
    assert not frame_of("Not all drivers were consulted, the union said.\n").negated
    assert not frame_of("Not only drivers but also guards were consulted, the firm said.\n").negated
    a = article(
        "a",
        "Not one driver was consulted before the timetable was changed, the union said.\n",
        D1,
    )
    b = article(
        "b",
        "Drivers were consulted at every stage of the timetable review, the company said.\n",
        D1,
    )
    assert T.DENIAL in types(a, b)
    part = article(
        "a",
        "Not all drivers were consulted before the timetable was changed, the union said.\n",
        D1,
    )
    assert T.DENIAL not in types(part, b)


def test_a_breach_found_or_suffered_breaks_no_rule() -> None:
    assert frame_of("The society said it found the breach on a Sunday.\n").compliance is None
    assert frame_of("Its temperature logs showed no breach, the company said.\n").compliance is None
    assert frame_of("The officer said the firm acted in breach of the rules.\n").compliance == (
        "broken"
    )
    a = article("a", "The society followed the rules on reporting, its chief said.\n", D1)
    b = article("b", "The society said it found the breach on a Sunday.\n", D1)
    assert T.COMPLIANCE not in types(a, b)


def test_no_notification_received_against_the_receiver_notified_in_the_passive() -> None:
    none = article("a", "The regulator said it had received no notification of the leak.\n", D1)
    told = article("b", "The regulator was notified of the leak on Tuesday, the firm said.\n", D1)
    assert T.DENIAL in types(none, told)
    # The receiver doing the act itself (the regulator notifying the firm) is no act received.
    acting = article(
        "b", "The regulator notified the firm of the leak on Tuesday, a spokesman said.\n", D1
    )
    assert T.DENIAL not in types(none, acting)


def test_kept_to_the_rules_against_contravened_them() -> None:
    a = article(
        "a",
        "The builders kept to the planning conditions at every stage, the developer said.\n",
        D1,
    )
    b = article("b", "The council said the builders had contravened the planning conditions.\n", D1)
    assert T.COMPLIANCE in types(a, b)
