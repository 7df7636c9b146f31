"""Claim frames: what one claim says, slot by slot, as the offline backend reads it.

A frame is built from spaCy's parse of the claim's words (agent/backends/offline/features.py)
and compared with another claim's frame by the judge (agent/backends/offline/judge.py): the
two are about the same thing when their events align and they share a participant or the
thing counted; only then are their slots compared. Frames are the offline backend's own data,
kept out of report.json and cached with the claims.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from agent.base import Strict
from agent.models import Claim, Quantity
from agent.timeref import TimePoint

ScopeKind = Literal["exclusive", "inclusive", "universal"]


class ScopeCue(Strict):
    """A scope word and what it restricts: "only covered the north wing"."""

    kind: ScopeKind
    """ "exclusive" (only, just, limited to; a negated verb of reach: "X was not
    affected"), "inclusive" (too, also, including, not just) or "universal" (every, all,
    both, the entire, the whole: all of a thing)."""
    heads: list[str] = Field(default_factory=list)
    """Canonical lemmas of the words it restricts (the word it modifies and that word's
    head: "covered only plants" restricts "plant" and "cover")."""
    places: list[str] = Field(default_factory=list)
    """The named places the claim confines or extends something to ("found only in X",
    "endemic to X", "also reported from Y"), lower-case."""
    part: bool = False
    """The restricted noun is narrowed to part of its kind by a modifier ("only the northern
    span", "only two lanes", "only properties east of X"): "only members" is not."""
    undergoes: bool = True
    """What the scope word quantifies is what its verb is done to or happens to ("they
    cleared the entire village", "both spans were shut", "the app also went down"), not a
    recipient or a doer acting on something else ("all customers were sent a letter")."""
    domain: list[str] = Field(default_factory=list)
    """What the scope word speaks of: the things and names of the phrase it restricts
    (canonical nouns, lower-case names; "every part of X" gives "part" and "x"), and, for a
    restricted object, its clause's subject ("this shipment serves only X": "shipment")."""


class Predication(Strict):
    """One predicate of a claim with its own arguments: "the museum acquired the painting in
    1987" inside "The stolen works include X, which the museum acquired in 1987" is the
    predication (buy, museum, [x], 1987). A claim's main predicate is one of them; the others
    are what its relative, coordinated and subordinate clauses say."""

    event: str
    """The canonical event (see ClaimFrame.event)."""
    subject: str | None = None
    """Who or what it is said of: the clause's subject, active or passive, resolved (a
    relative pronoun stands for the noun it hangs on; "he", "it" for their referents)."""
    objects: list[str] = Field(default_factory=list)
    """What it is done to: objects and prepositional objects (canonical lemmas, names)."""
    negated: bool = False
    """The predicate is negated ("has never been suspended")."""
    passive: bool = False
    """Passive: its subject is what it was done to ("the regulator was notified")."""
    hedged: bool = False
    """A modal or hedge qualifies it ("may have been", "is said to")."""
    generic: bool = False
    """In the simple present ("stimulates", "is valid"): a standing truth, not an account
    of one moment (opened at one hour and closed at another are both true)."""
    time: TimePoint | None = None
    """The date its own clause gives, if any."""
    time_text: str = ""
    """That date as written."""


class ClaimFrame(Strict):
    """One claim's event, participants, polarity, modality, quantities, time, place and scope."""

    event: str = ""
    """The main predicate, canonical: lemma, with nominalisations and light verbs normalised
    ("made an announcement" is "announce") and synonyms mapped to one word ("began" and
    "broke out" are "start"); "" when the claim has no predicate."""
    events: list[str] = Field(default_factory=list)
    """Every predicate of the claim, canonical, main first."""
    agent: str | None = None
    """Who does it: the subject of an active main predicate, names resolved across the
    article (lower-case); None when not said."""
    subject: str | None = None
    """What the main predicate is said of: its subject, active or passive ("the town is
    located in X" is said of the town), resolved like the agent; None when not said."""
    agent_named: bool = False
    """The agent is a name (a place, organisation or thing with a name), which a later
    sentence's "it" may stand for."""
    participants: list[str] = Field(default_factory=list)
    """What the claim is about: subject, objects and their prepositional objects, as
    canonical lemmas, and the people and things it names (lower-case full names and
    surnames)."""
    themes: list[str] = Field(default_factory=list)
    """What the main predicate is done to or about: its objects, passive subject and
    prepositional objects (canonical lemmas); a negation denies something of these."""
    negated: bool = False
    """The main predicate is negated ("did not sign", "no contract was signed")."""
    absent: list[str] = Field(default_factory=list)
    """Things said to be missing: "with no glue", "without refrigeration"."""
    denies: bool = False
    """The claimant denies the content ("denied that P", "rejected claims that P")."""
    disputes: bool = False
    """The claim calls another claim false ("the claim was at odds with reality")."""
    disputes_previous: bool = False
    """It does so with a word pointing back ("the claim", "this", "it"), at the claim before."""
    hedged: bool = False
    """Qualified: "may", "likely", "in principle", "reportedly"."""
    conditional: bool = False
    """Holds only on a condition: "if", "unless", "contingent on"."""
    unknown: bool = False
    """Says the matter is not known yet ("not yet known", "too early to say", "under
    investigation"): such claims agree with each other and deny nothing."""
    throughout: bool = False
    """Says a state held over a whole period ("armed throughout the night", "open all
    day"): it holds at every moment of that period, so an opposite event dated inside it
    clashes with it."""
    act_of: str = ""
    """The event an act is about, canonical: "shut" in "the council decided to shut the pool"
    and in "the decision to shut the pool was taken" ("": none). Two decisions or orders
    about different acts are two events."""
    own_past: bool = False
    """The speaker tells of their own earlier act or position ("I supported it then"): an
    account of the past, not a position held now."""
    position: Literal["support", "oppose"] | None = None
    """The claimant supports or opposes something ("backed", "rejected the plan")."""
    holder: str | None = None
    """Who holds that position: the subject of the position verb, resolved ("I" and "we"
    are the claimant; "X rejected the plan" is X), lower-case; None when not said. In
    "the voters have spoken and I accept their verdict" it is the speaker, not the voters."""
    compliance: Literal["kept", "broken"] | None = None
    """Says an agreement, order or rule was kept ("adhered to", "in accordance with") or
    broken ("violated", "ignored"); also told without a compliance verb: a rule followed or
    met ("followed the procedures", "as the law requires") is kept, one not followed or an act
    that was due missed, skipped or failed ("missed its inspection", "failed to give notice")
    is broken."""
    complier: str | None = None
    """Who kept or broke it, when the claim says: the active subject of the compliance word
    ("the builders broke the limits"; "ordered the builders to adhere" is the builders),
    resolved, lower-case; None for a passive ("the procedure was not followed")."""
    norms: list[str] = Field(default_factory=list)
    """The rules of conduct that compliance is about, when the claim names them ("the
    procedures" it followed, "the rules" it breached), canonical lemmas."""
    cause: Literal["deliberate", "accidental"] | None = None
    """Says something was done on purpose (arson, deliberately) or by accident (a fault)."""
    quantities: list[Quantity] = Field(default_factory=list)
    """Numbers with the thing counted (the unit, canonical), exact, bound or approximate."""
    quantity_events: list[list[str]] = Field(default_factory=list)
    """For each quantity, the canonical events it hangs on, nearest first ("312 households"
    in "ordered the evacuation of 312 households" hangs on evacuate, then order)."""
    per_period: bool = False
    """A figure is given per period ("2 per cent a year", "over two years"): rates and totals
    are not compared."""
    future: bool = False
    """The claim speaks of what will happen ("will approve", "is due to"): a plan, not an
    account, so its time is not compared with what happened."""
    outlook: bool = False
    """The claim tells what its speaker expects, intends or advises ("will", "we expect",
    "is ready to", "there is no need to", "urged members to"): a position that may change
    from one day to the next, not an account of what happened."""
    time: TimePoint | None = None
    """When, at the granularity the text gives (year, month, day, part of day, clock)."""
    time_text: str = ""
    """The time as written ("", when the claim gives none)."""
    places: list[str] = Field(default_factory=list)
    """Named places (lower-case)."""
    named: list[str] = Field(default_factory=list)
    """Common nouns the claim ties to a name, as "noun=name": "the X grain warehouse" is
    "warehouse=x", "shares in Y Industries" is "share=y industries". One noun tied to two
    different names in two claims means two different things (two warehouses, two firms)."""
    scope: list[ScopeCue] = Field(default_factory=list)
    """Exclusive or inclusive scope words with what they restrict."""
    quotation: str | None = None
    """The words inside quotation marks, normalised (lower-case words), when the claim
    quotes at least six words: the same quotation credited to two people is disputed
    attribution."""
    predications: list[Predication] = Field(default_factory=list)
    """Every predicate of the claim with its own subject, objects, polarity and date, main
    first: the judge aligns events described in a relative or coordinated clause too."""
    terms: list[str] = Field(default_factory=list)
    """Content terms for pairing: lemmas and names, the canonical event and participants."""


class OfflineClaim(Strict):
    """A claim with its frame: what the offline claim cache keeps per claim."""

    claim: Claim
    """The claim, as report.json holds it."""
    frame: ClaimFrame
    """Its frame."""
