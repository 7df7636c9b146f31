"""Each offline rule on small invented texts: a case where it fires and one where it must not."""

from __future__ import annotations

import datetime as dt

from agent.models import ContradictionType as T
from agent.pairing import Candidate
from tests.backends.offline.helpers import article, contradictions

D1, D2 = dt.date(2031, 5, 14), dt.date(2031, 5, 21)


def types(*articles_: object) -> list[T]:
    return [c.type for c in contradictions(*articles_)]  # type: ignore[arg-type]


def test_scope_fires_on_only_against_too() -> None:
    a = article("a", "The council said the grant covered only road repairs in the old town.\n", D1)
    b = article("b", "Opposition members said the grant covered the new depot too.\n", D1)
    assert T.SCOPE in types(a, b)


def test_scope_does_not_fire_when_the_scope_words_restrict_different_things() -> None:
    a = article("a", "The council said only three members attended the harbour meeting.\n", D1)
    b = article("b", "Residents said the bakery also sold bread on the harbour road.\n", D1)
    assert T.SCOPE not in types(a, b)


def test_denial_fires_on_explicit_denial_of_the_same_matter() -> None:
    a = article(
        "a",
        "The ministry said the minister had demanded a halt to fishing quotas in the bay.\n",
        D1,
    )
    b = article("b", "The minister denied that he had demanded a halt to fishing quotas.\n", D1)
    assert T.DENIAL in types(a, b)


def test_negation_fires_only_when_it_is_about_the_shared_matter() -> None:
    a = article("a", "The readout said the leaders discussed grain exports at length.\n", D1)
    yes = article("b", "The governor said they did not discuss grain exports at all.\n", D1)
    no = article(
        "c", "The governor said grain exports would resume, though trucks were not ready.\n", D1
    )
    assert T.DENIAL in types(a, yes)
    assert T.DENIAL not in types(a, no)


def test_number_fires_on_different_counts_but_not_on_rounding() -> None:
    base = "The union said 640 workers walked out at the Kessel terminal on Monday.\n"
    a = article("a", base, D1)
    other = article(
        "b", "Managers said 210 workers walked out at the Kessel terminal on Monday.\n", D1
    )
    rounded = article(
        "c", "Managers said about 630 workers walked out at the Kessel terminal on Monday.\n", D1
    )
    assert T.NUMBER in types(a, other)
    assert T.NUMBER not in types(a, rounded)


def test_number_does_not_fire_for_different_places() -> None:
    a = article("a", "Police said 12 people were hurt in the blast in Orvik.\n", D1)
    b = article("b", "Police said 40 people were hurt in the blast in Tamsel.\n", D1)
    assert T.NUMBER not in types(a, b)


def test_date_fires_for_different_days_of_one_event() -> None:
    a = article(
        "a", "The union said the dock strike began on Monday at the eastern terminal.\n", D1
    )
    b = article(
        "b", "The port said the dock strike began on Tuesday at the eastern terminal.\n", D1
    )
    same = article(
        "c", "Officials said the dock strike began on Monday at the eastern terminal.\n", D1
    )
    assert T.DATE_TIME in types(a, b)
    assert T.DATE_TIME not in types(a, same)


def test_compliance_fires_on_kept_against_broken() -> None:
    a = article("a", "The army said its units adhered to the truce along the river.\n", D1)
    b = article("b", "Villagers said the army units violated the truce along the river.\n", D1)
    c = article("c", "Villagers said the army units adhered to the truce along the river.\n", D1)
    assert T.COMPLIANCE in types(a, b)
    assert T.COMPLIANCE not in types(a, c)


def test_calling_the_preceding_claim_false_is_flagged() -> None:
    text = (
        "While the agency's statement claimed the plant complied with the order, "
        "the inspector said the claim was false.\n"
    )
    assert types(article("a", text, D1)) == [T.COMPLIANCE]
    calm = (
        "While the agency's statement claimed the plant complied, the inspector said it rained.\n"
    )
    assert types(article("b", calm, D1)) == []


def test_same_party_changing_position_across_days_is_temporal() -> None:
    a = article("a", "Senator Ula Brandt said she supports the river tunnel plan.\n", D1)
    b = article("b", "Senator Ula Brandt rejected the river tunnel plan on Monday.\n", D2)
    other = article("c", "Senator Ula Brandt rejected the river tunnel plan on Monday.\n", D1)
    assert T.TEMPORAL in types(a, b)
    assert T.TEMPORAL not in types(a, other)


def test_same_quotation_credited_to_different_people_is_attribution() -> None:
    # A quotation has one speaker: the same quoted words credited to two people is a disputed
    # attribution. The same words reported without quotation marks may come from both.
    words = (
        "The reservoir will be drained by the end of the dry season to repair the spillway gates"
    )
    a = article("a", f'"{words}," said engineer Pia Lund.\n', D1)
    b = article("b", f'"{words}," said Governor Tomas Ek.\n', D1)
    c = article("c", f'"{words}," said engineer Pia Lund.\n', D2)
    plain = article("d", f"Governor Tomas Ek said {words[0].lower() + words[1:]}.\n", D1)
    assert T.ATTRIBUTION in types(a, b)
    assert T.ATTRIBUTION not in types(a, c)
    assert T.ATTRIBUTION not in types(a, plain)


# --- frames aligned slot by slot (invented texts) ---------------------------------------------


def test_two_separate_events_of_one_kind_are_not_aligned() -> None:
    a = article("a", "Police said 12 people were hurt in a blast in Orvik on Monday.\n", D1)
    b = article("b", "Police said 40 people were hurt in a blast in Tamsel on Tuesday.\n", D1)
    assert types(a, b) == []


def test_the_cause_not_yet_known_agrees_and_denies_nothing() -> None:
    texts = (
        "The brigade said the cause of the mill fire was not yet known.\n",
        "Police said it was too early to say what caused the mill fire.\n",
        "The owner said the cause of the mill fire was still under investigation.\n",
        "A worker said the mill fire was caused by a heater left on overnight.\n",
    )
    articles = [article(f"a{i}", text, D1) for i, text in enumerate(texts)]
    assert types(*articles) == []


def test_a_year_against_a_full_date_compares_the_years() -> None:
    a = article("a", "Dara Holm fled to the coast.\nHe died in Velmora in 1972.\n", D1)
    b = article("b", "Dara Holm died in Velmora on 15 January 1971, the archive said.\n", D1)
    same = article("c", "Dara Holm died in Velmora in 1971, the archive said.\n", D1)
    assert T.DATE_TIME in types(a, b)
    assert T.DATE_TIME not in types(same, b)


def test_times_on_two_days_around_midnight() -> None:
    wed = dt.date(2031, 5, 14)
    a = article("a", "Police said the blast at the depot happened at 3 a.m. Tuesday.\n", wed)
    b = article(
        "b",
        "Residents said the blast at the depot happened shortly before midnight on Monday.\n",
        wed,
    )
    assert T.DATE_TIME in types(a, b)


def test_a_proposition_and_its_negation() -> None:
    a = article("a", "The mayor's office said no contract has been signed with the builder.\n", D1)
    b = article("b", "The blog said a contract was signed with the builder on 2 May.\n", D1)
    assert T.DENIAL in types(a, b)


def test_two_parties_opposed_opinions_are_no_contradiction() -> None:
    a = article("a", "Senator Ula Brandt said she supports the river tunnel plan.\n", D1)
    b = article("b", "Senator Ivo Marsh said he opposes the river tunnel plan.\n", D1)
    assert types(a, b) == []


def test_counted_things_that_are_synonyms_are_compared() -> None:
    a = article("a", "The union said more than 1,400 workers walked out at the quay.\n", D1)
    b = article("b", "The port said around 600 staff were on strike at the quay.\n", D1)
    assert T.NUMBER in types(a, b)


def test_something_there_against_none_of_it() -> None:
    a = article("a", "The guide said the old bench is fastened with iron nails.\n", D1)
    b = article(
        "b", "The museum said the old bench is fastened with wooden pegs, with no nails.\n", D1
    )
    assert T.OTHER in types(a, b)


def test_a_deliberate_act_against_an_accident() -> None:
    a = article("a", "The brigade said the fire at the mill was set on purpose.\n", D1)
    b = article("b", "The firm said the fire at the mill was caused by an electrical fault.\n", D1)
    assert T.OTHER in types(a, b)


def test_opposite_states_of_one_thing() -> None:
    a = article("a", "The harbour office said the north bridge was closed on Monday.\n", D1)
    b = article("b", "Drivers said the north bridge was open on Monday.\n", D1)
    assert T.OTHER in types(a, b)


def test_a_position_reported_by_another_party_on_a_later_day_is_temporal() -> None:
    a = article("a", "Senator Ula Brandt said she supports the river tunnel plan.\n", D1)
    b = article("b", "The mayor said Senator Ula Brandt rejected the river tunnel plan.\n", D2)
    assert T.TEMPORAL in types(a, b)


def test_a_summary_tells_apart_two_sides_of_one_name() -> None:
    # Two articles with no masthead, byline or source both speak as "the outlet": the
    # summary names each side's article rather than "the outlet and the outlet".
    a = article("north", "Forty passengers were on board the ferry when it ran aground.\n", D1)
    b = article("south", "Sixty passengers were on board the ferry when it ran aground.\n", D1)
    found = [c for c in contradictions(a, b) if c.type == T.NUMBER]
    assert found, "the two counts should be flagged"
    assert found[0].summary.startswith(
        "the outlet (north) and the outlet (south) give different figures"
    ) or found[0].summary.startswith(
        "the outlet (south) and the outlet (north) give different figures"
    )


def test_a_change_of_position_is_told_in_order_and_by_whom() -> None:
    # Whichever article comes first in the pair, the summary gives the earlier words first,
    # with their dates, and names the one whose position changed, not the one reporting it.
    earlier = article(
        "z-early", "Senator Ula Brandt said she supports the river tunnel plan.\n", D1
    )
    later = article(
        "a-late", "The mayor said Senator Ula Brandt rejected the river tunnel plan.\n", D2
    )
    for pair in ((earlier, later), (later, earlier)):
        found = [c for c in contradictions(*pair) if c.type == T.TEMPORAL]
        assert found, "the change of position should be flagged"
        summary = found[0].summary
        assert summary == (
            "Ula Brandt on 2031-05-14: “Senator Ula Brandt said she supports the river tunnel "
            "plan”; later, on 2031-05-21: “The mayor said Senator Ula Brandt rejected the river "
            "tunnel plan” (as mayor tells it)."
        )


def test_an_unrelated_verdict_says_which_test_it_stopped_at() -> None:
    # The eval prints this beside each miss: the first clue to why a pair was not flagged.
    from agent.backends.offline import OfflineBackend
    from agent.evals.stages import verdict_text

    a = article("a", "The harbour office said the ferry sailed at noon on Monday.\n", D1)
    b = article("b", "Residents said the bakery sold bread on the harbour road.\n", D1)
    backend = OfflineBackend()
    claims = [c for x in (a, b) for c in backend.extract(x)]
    ferry = next(c for c in claims if "ferry" in c.quote)
    bread = next(c for c in claims if "bread" in c.quote)
    (verdict,), _ = backend.judge(
        [Candidate(ferry, bread, 0.0, 0.0, (), "lexical")], {a.id: a, b.id: b}
    )
    assert verdict.relation == "unrelated"
    assert verdict.cues == ["events not aligned: sail / sell"]
    assert verdict_text(verdict) == "unrelated (events not aligned: sail / sell)"
