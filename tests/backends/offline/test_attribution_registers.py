"""Who says it, in the registers news is written in: bodies referred to later as "the
company" or "it", spokespeople, lawyers, roles, inquiries' findings. All text is invented."""

from __future__ import annotations

import datetime as dt

from agent.models import Claim
from tests.backends.offline.helpers import claims_of

WED = dt.date(2031, 5, 14)


def _by_quote(text: str, words: str) -> Claim:
    return next(c for c in claims_of(text, WED) if words in c.quote)


def test_it_after_a_named_body_is_that_body() -> None:
    text = (
        "Dunmore Energy said on Monday it had restored power to 300 homes. "
        "It said the fault was caused by a fallen tree.\n"
    )
    assert _by_quote(text, "fallen tree").claimant == "Dunmore Energy"
    text = (
        "The airline said on Tuesday that no flights were delayed. "
        "It added that the crew had been paid.\n"
    )
    assert _by_quote(text, "crew").claimant == "airline"
    # An "it" that stands for no body spoken of leaves the sentence the outlet's, whole.
    text = "The leaflet was pushed through every door. It says that no charge will be made.\n"
    leaflet = _by_quote(text, "no charge")
    assert leaflet.claimant_kind == "outlet" and leaflet.quote.startswith("It says")


def test_they_after_a_plural_claimant_is_that_claimant() -> None:
    text = (
        "The fire started shortly after 1am, according to three night-shift workers who were "
        "in the yard. They said the first smoke was seen in the packing hall.\n"
    )
    assert _by_quote(text, "first smoke").claimant == "three night-shift workers"


def test_the_company_the_trust_the_council_are_the_body_named_before() -> None:
    text = (
        "Brindle Foods issued a recall on Monday.\n"
        "In a statement, the company said the batch had been contaminated at a supplier.\n"
    )
    assert _by_quote(text, "contaminated").claimant == "Brindle Foods"
    text = (
        "The Ashgrove Hospital Trust has suspended two surgeons. "
        "The trust said the suspensions were a precaution.\n"
    )
    claim = _by_quote(text, "precaution")
    assert (claim.claimant, claim.claimant_kind) == ("Ashgrove Hospital Trust", "organization")
    text = (
        "The Ministry of Transport said the tunnel would open in May. "
        "The ministry added that the cost had risen to 40 million.\n"
    )
    assert _by_quote(text, "cost").claimant == "Ministry of Transport"
    # Words that qualify the noun must be the body's own: a rescue agency is no news agency.
    text = (
        "Dalby News Agency reported the flood on Sunday. "
        "The regional rescue agency said 40 people had been taken from their homes.\n"
    )
    assert _by_quote(text, "40 people").claimant == "regional rescue agency"


def test_a_body_the_text_describes_as_one_is_no_person() -> None:
    text = (
        "Harbour Watch, a campaign group, said the water was polluted. "
        "The group said it had taken samples in June.\n"
    )
    first, second = (_by_quote(text, "polluted"), _by_quote(text, "samples"))
    assert (first.claimant, first.claimant_kind) == ("Harbour Watch", "organization")
    assert second.claimant == "Harbour Watch"


def test_a_spokesperson_speaks_for_the_body_or_person_named_before() -> None:
    text = "Grenfold Chemicals runs the plant. A company spokesperson said the leak was small.\n"
    assert "Grenfold Chemicals" in _by_quote(text, "leak").claimant
    text = (
        "Morrow Logistics denied the claims. A spokesman for the firm said it had complied "
        "with every rule. He added that the drivers were paid on time.\n"
    )
    assert "Morrow Logistics" in _by_quote(text, "complied").claimant
    assert "Morrow Logistics" in _by_quote(text, "drivers").claimant
    text = "Minister Olav Dahl was not available. His spokesman said the minister had been ill.\n"
    assert _by_quote(text, "ill").claimant == "Olav Dahl"


def test_a_name_beside_a_description_is_the_claimant() -> None:
    text = "Her lawyer, Tobias Renn, said the charges would be contested.\n"
    assert _by_quote(text, "charges").claimant == "Tobias Renn"
    text = (
        "Quarry owner Selby Stone Ltd said the blast was routine. "
        "The firm's manager, Ada Morse, said nobody was hurt.\n"
    )
    assert _by_quote(text, "nobody").claimant == "Ada Morse"


def test_a_persons_lawyer_is_not_the_person() -> None:
    text = "Dorian Pell's lawyer said his client had never seen the documents.\n"
    claim = _by_quote(text, "documents")
    assert claim.claimant == "Dorian Pell's lawyer" and claim.claimant_kind == "person"


def test_a_role_the_text_gave_a_person_stands_for_that_person() -> None:
    text = (
        "Headteacher Simone Vardy closed the school on Tuesday. "
        "The headteacher said the boiler had failed overnight.\n"
    )
    assert _by_quote(text, "boiler").claimant == "Simone Vardy"
    # "Speaking after X, the sergeant said": the role belongs to the one the text gave it
    # to, not to a name that merely stands before a comma.
    text = (
        "Sergeant Hal Brody appealed for witnesses. "
        "Speaking after Ivo Marsh, the sergeant said the van had been stolen at night.\n"
    )
    assert "Hal Brody" in _by_quote(text, "van").claimant


def test_an_inquiry_that_finds_is_the_claimant_and_police_finding_a_body_is_an_event() -> None:
    text = "The report found that the barrier had not been inspected for six years.\n"
    assert _by_quote(text, "barrier").claimant == "report"
    text = "The study showed that the drug reduced pain in most patients.\n"
    assert _by_quote(text, "drug").claimant == "study"
    text = "Police found a body in the river on Sunday.\n"
    assert _by_quote(text, "body").claimant_kind == "outlet"


def test_who_and_which_clauses_tell_a_person_from_a_body() -> None:
    text = "Halcrest Estates, which runs the site, said no workers had been injured.\n"
    assert _by_quote(text, "workers").claimant_kind == "organization"
    text = "Ivo Grenner, who chairs the health committee, said the unit would close in April.\n"
    assert _by_quote(text, "unit").claimant_kind == "person"


def test_a_description_that_spoke_before_is_what_the_shorter_description_stands_for() -> None:
    text = (
        "Flood defences failed in three places overnight, the regional environment agency "
        "said on Tuesday. Residents disputed that account. "
        "The agency did not respond to a request for comment on the remarks.\n"
    )
    assert _by_quote(text, "request").claimant == "regional environment agency"


def test_they_after_a_plural_subject_is_that_group_and_they_found_is_an_inquirys_finding() -> None:
    text = (
        "Inspectors from the Care Standards Office visited the home in March. "
        "They found that residents were not always given their medicines on time.\n"
    )
    assert _by_quote(text, "medicines").claimant == "Inspectors from the Care Standards Office"
    # People who "found" something are no inquiry: the sentence stays the outlet's.
    text = "Two walkers crossed the moor on Sunday. They found that the bridge had gone.\n"
    assert _by_quote(text, "bridge").claimant_kind == "outlet"


def test_told_someone_that_keeps_what_was_told() -> None:
    # The parser hangs the "that" clause on the listener ("inspectors who were recruited");
    # dropping the listener must not drop what they were told.
    text = (
        "The registered manager, Jana Kovic, told inspectors that new staff had been recruited.\n"
    )
    claim = _by_quote(text, "new staff")
    assert claim.claimant == "Jana Kovic"
    assert claim.statement == "Jana Kovic said that new staff had been recruited."


def test_a_quotation_running_over_two_paragraphs_is_spoken_by_the_attribution_in_the_second() -> (
    None
):
    # News style: the first paragraph of a long quotation is left unclosed and the next
    # opens with a quotation mark; the attribution comes only in the second.
    text = (
        "Union leader Brid Carney addressed the rally on Friday.\n"
        "\u201cWe have waited three years for this offer. And what we got is an insult.\n"
        "\u201cOur members will not accept a cut in real pay,\u201d she said.\n"
        "The employer, Halwick Buses, said the offer was fair.\n"
    )
    assert _by_quote(text, "three years").claimant == "Brid Carney"
    employer = _by_quote(text, "fair")
    assert (employer.claimant, employer.claimant_kind) == ("Halwick Buses", "organization")


def test_a_capitalised_title_beside_a_name_is_that_person() -> None:
    text = (
        "The Minister for Rural Affairs, Orla Dunne, has confirmed that the full allocation "
        "will be released this year.\n"
    )
    assert _by_quote(text, "allocation").claimant == "Orla Dunne"


def test_a_document_speaks_for_whoever_issued_it() -> None:
    text = "Corvane Rail issued a statement on Monday. The statement said the signals had failed.\n"
    assert _by_quote(text, "signals").claimant == "Corvane Rail"
    text = (
        "The inspectorate published its report on Friday. "
        "The report found that the crane had not been serviced.\n"
    )
    assert _by_quote(text, "crane").claimant == "inspectorate"


def test_a_quotation_a_colon_opens_after_a_named_subject_is_theirs() -> None:
    text = 'Ana Lind put it simply: "We were never told about the closure."\n'
    (claim,) = claims_of(text, WED)
    assert claim.claimant == "Ana Lind" and claim.quote.startswith('"We were never told')
    text = 'The council was clear: "No homes will be demolished this year."\n'
    assert _by_quote(text, "No homes").claimant == "council"
    # A colon after a thing that speaks for no one keeps the sentence the outlet's.
    text = 'The agenda had one item: "the closure of the library".\n'
    assert _by_quote(text, "agenda").claimant_kind == "outlet"


def test_a_name_the_tagger_missed_is_a_person_when_the_text_gives_it_a_title() -> None:
    text = (
        "Fenna Ruiz, the chief executive of Pardale Water, said customers would not pay more. "
        "The chief executive added that bills would be frozen until 2032.\n"
    )
    first, later = _by_quote(text, "pay more"), _by_quote(text, "frozen")
    assert (first.claimant, first.claimant_kind) == ("Fenna Ruiz", "person")
    assert later.claimant == "Fenna Ruiz"


def test_a_leading_negation_or_fronted_phrase_stays_in_the_claim() -> None:
    """Invented sentences: the first word of a claim that opens its sentence was trimmed as
    if it were a connective ("But", "and that"), which turned "Not one midwife was
    consulted" into "one midwife was consulted"."""
    texts = {
        "Not one midwife was consulted, the union said.\n": "Not one midwife",
        "Nor was the school informed, the parents said.\n": "Nor was",
        "At 3 p.m. the fire started, the chief said.\n": "At 3 p.m.",
        "Under no circumstances was the gate left open, the keeper said.\n": "Under no",
    }
    for text, opening in texts.items():
        (claim,) = claims_of(text)
        assert claim.quote.startswith(opening), claim.quote
        assert opening.lower() in claim.statement.lower(), claim.statement
    (claim,) = claims_of("But the mayor said the road was open.\n")
    assert claim.statement == "Mayor said that the road was open."  # a connective still goes
