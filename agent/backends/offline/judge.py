"""Offline judging: two claims' frames compared slot by slot.

First alignment: two claims are about the same thing when their events align (the same or a
synonymous predicate) and they share a participant or the thing counted; pairing only
proposes candidates. Then conflict in an aligned slot: numbers beyond rounding and bounds,
times at their common granularity, a polarity flip on the same proposition, exclusive against
inclusive scope, antonymous predicates, incompatible places, a deliberate against an
accidental cause, the same quotation credited to different people. Agreement is the same test
passing: aligned, no conflict, same polarity. A claim that the matter is not yet known never
denies anything.

Each rule is one small function over a `Pair` returning a verdict or None; the first verdict
wins, in the order of `RULES`. Adding a rule is one frame field, one function, one entry.
A conflict between two statements of the same claimant made on different days is typed
`temporal`: a position that changed, not a clash of sources.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from agent.backends.offline import lexicon as lx
from agent.backends.offline import wordnet
from agent.backends.offline.alignment import (
    common,
    common_events,
    events_align,
    names_act_of,
    opposed,
    same_thing_counted,
)
from agent.backends.offline.features import CHANGE as _CHANGE
from agent.backends.offline.features import MARGIN as _MARGIN
from agent.backends.offline.features import canon, fold
from agent.backends.offline.frames import ClaimFrame, Predication, ScopeCue
from agent.claims import OUTLET
from agent.models import Claim, ContradictionType, Judgement
from agent.pairing import Candidate
from agent.quantities import compatible, same_dimension
from agent.timeref import TimePoint, same_time

_EMPTY = ClaimFrame()
_QUOTATION_WORDS = 6
"""A quotation this long is one speaker's words, not a phrase two people may both use."""
_WEAK_EVENTS = frozenset(
    ["be", "have", "do", "make", "get", "go", "come", "take", "give", "see", "know", "use",
     "want", "need", "include", "seem", "become", "remain", "keep", "say"]
)  # fmt: skip
_STANCES = {"support": "support", "oppose": "oppose"}
_EVENT_WORDS = frozenset(canon(e) for e in lx.NOMINALISATIONS.values())
"""Participants that are events: nouns the frames read as their event ("the walkout" is
strike)."""
_COMPLIANCE_TERMS = frozenset(["comply", "breach", *lx.COMPLY_VERBS, *lx.BREACH_VERBS])


@dataclass(frozen=True)
class Context:
    """What a rule may know beyond the two claims."""

    published: Mapping[str, dt.date | None]
    """Article id -> its publication date."""
    frames: Mapping[str, ClaimFrame] = field(default_factory=dict)
    """Claim id -> its frame."""
    quotation_speakers: Mapping[str, int] = field(default_factory=dict)
    """Quotation (normalised, see ClaimFrame.quotation) -> how many different claimants the
    claims to judge credit it to."""


_STOCK_SPEAKERS = 3
"""Words credited to this many people are a stock phrase ("we are doing everything we can"),
not one person's words in dispute."""


def quotation_speakers(claims: Iterable[Claim], frames: Mapping[str, ClaimFrame]) -> dict[str, int]:
    """Context.quotation_speakers for these claims."""
    speakers: dict[str, set[str]] = {}
    for claim in claims:
        frame = frames.get(claim.id)
        if frame is not None and frame.quotation:
            speakers.setdefault(frame.quotation, set()).add(claim.claimant)
    return {q: len(who) for q, who in speakers.items()}


Relation = Literal["agree", "contradict", "unrelated"]


@dataclass(frozen=True)
class Verdict:
    """What a rule decided, and why."""

    relation: Relation
    type: ContradictionType | None
    confidence: float
    cues: tuple[str, ...]


class Pair:
    """Two candidate claims with their frames, and how their slots line up."""

    def __init__(self, c: Candidate, ctx: Context) -> None:
        self.c = c
        self.ctx = ctx
        self.a = ctx.frames.get(c.a.id, _EMPTY)
        self.b = ctx.frames.get(c.b.id, _EMPTY)

    @cached_property
    def shared(self) -> frozenset[str]:
        """Participants both claims have (the first claim's words for them): the same word,
        or one thing by WordNet (see alignment.things_align)."""
        return common(self.a.participants, self.b.participants)

    @cached_property
    def shared_beyond_agents(self) -> frozenset[str]:
        """Shared participants other than the two agents (what the event is done to)."""
        agents = {x for x in (self.a.agent, self.b.agent) if x}
        agents |= {x.split()[-1] for x in agents}
        return self.shared - agents

    @cached_property
    def same_event(self) -> bool:
        """The main predicates align (the same word or synonyms), and mean something."""
        ea, eb = self.a.event, self.b.event
        if not ea or not eb or ea in _WEAK_EVENTS or eb in _WEAK_EVENTS:
            return False
        return events_align(ea, eb)

    @cached_property
    def shared_event(self) -> bool:
        """Some meaningful predicate of one is a predicate of the other."""
        weak = _WEAK_EVENTS | lx.SPEECH_VERBS
        ea = [e for e in self.a.events if e not in weak]
        eb = [e for e in self.b.events if e not in weak]
        return bool(common_events(ea, eb))

    @cached_property
    def counted(self) -> frozenset[str]:
        """Things both claims count."""
        ua = {q.unit for q in self.a.quantities if q.unit}
        ub = {q.unit for q in self.b.quantities if q.unit}
        return frozenset(x for x in ua if any(same_thing_counted(x, y) for y in ub))

    @cached_property
    def aligned(self) -> bool:
        """About the same thing: aligned events and a shared participant or counted thing
        (or, for one event, the same subject: "the strike began" / "the action began")."""
        if self.same_event and _same_subject(self):
            return True
        return (self.same_event or self.shared_event) and bool(self.shared or self.counted)

    @cached_property
    def places_clash(self) -> bool:
        """Both name places and none in common: two events, not one told two ways."""
        pa, pb = set(self.a.places), set(self.b.places)
        return bool(pa) and bool(pb) and not (pa & pb)

    @cached_property
    def things_clash(self) -> bool:
        """One common noun tied to different names ("the X warehouse" / "the Y warehouse"):
        two things of one kind, not one thing told two ways."""
        names_a, names_b = _names(self.a), _names(self.b)
        return any(
            names_a[noun].isdisjoint(names_b[noun]) for noun in names_a.keys() & names_b.keys()
        )

    @cached_property
    def distinct(self) -> bool:
        """The two speak of different places or differently named things."""
        return self.places_clash or self.things_clash

    @cached_property
    def time_clash(self) -> bool:
        """Both give times that cannot be one moment at their common granularity."""
        ta, tb = self.a.time, self.b.time
        return ta is not None and tb is not None and same_time(ta, tb) is False

    def confidence(self, base: float, cap: float) -> float:
        """More shared wording, more confidence that the two speak of one thing."""
        return min(cap, base + 0.4 * max(self.c.similarity, self.c.overlap))


Rule = Callable[[Pair], Verdict | None]


def _names(frame: ClaimFrame) -> dict[str, set[str]]:
    """Noun -> the names the claim ties it to (see ClaimFrame.named)."""
    out: dict[str, set[str]] = {}
    for item in frame.named:
        noun, _, name = item.partition("=")
        out.setdefault(noun, set()).add(name)
    return out


def negative(frame: ClaimFrame) -> bool:
    """The claim says something is not so: negated content, or a denial of a positive one."""
    return frame.negated != frame.denies


def stance(frame: ClaimFrame) -> str | None:
    """ "support" or "oppose" when the claim takes a position ("will not vote for" opposes)."""
    if frame.position:
        return frame.position
    taken = _STANCES.get(frame.event)
    if taken and frame.negated:
        return "oppose" if taken == "support" else "support"
    return taken


def _contradict(kind: ContradictionType, confidence: float, cue: str) -> Verdict:
    return Verdict("contradict", kind, confidence, (cue,))


def rule_discourse_dispute(p: Pair) -> Verdict | None:
    """ "B said the claim was at odds with reality" right after A's claim."""
    if p.c.reason != "discourse":
        return None
    target = p.a if p.b.disputes_previous else p.b
    kind = ContradictionType.COMPLIANCE if target.compliance else ContradictionType.DENIAL
    return _contradict(kind, 0.75, "calls the preceding claim false")


def rule_quotation(p: Pair) -> Verdict | None:
    """The same quotation, word for word, credited to different people by two articles."""
    qa, qb = p.a.quotation, p.b.quotation
    a, b = p.c.a, p.c.b
    if not (qa and qb) or a.article_id == b.article_id or a.claimant == b.claimant:
        return None
    if a.claimant_kind != "person" or b.claimant_kind != "person" or not (qa in qb or qb in qa):
        return None  # a union quoting its leader's words is no dispute over who said them
    if min(len(qa.split()), len(qb.split())) < _QUOTATION_WORDS:
        return None
    if max(p.ctx.quotation_speakers.get(q, 0) for q in (qa, qb)) >= _STOCK_SPEAKERS:
        return None  # many people say it: a formula, not words whose speaker is disputed
    return _contradict(
        ContradictionType.ATTRIBUTION,
        0.8,
        f"the same quotation credited to {a.claimant} and to {b.claimant}",
    )


def rule_unknown(p: Pair) -> Verdict | None:
    """ "Not yet known", "too early to say", "under investigation": all unknown, never a
    denial of anything; two of them about the same matter agree."""
    if not (p.a.unknown or p.b.unknown):
        return None
    if p.a.unknown and p.b.unknown and p.c.a.article_id != p.c.b.article_id and p.shared:
        return Verdict("agree", None, 0.6, ("both say it is not known yet",))
    return Verdict("unrelated", None, 0.0, ("one says it is not known yet",))


def rule_scope(p: Pair) -> Verdict | None:
    """ "only X" against "X and Y too", restricting the same thing; or against "all of X",
    "the entire X" (`_scope_whole`)."""
    return _scope_inclusive(p) or _scope_whole(p)


def _scope_inclusive(p: Pair) -> Verdict | None:
    """ "only X" against "X and Y too", restricting the same thing."""
    kinds_a = {s.kind for s in p.a.scope if s.kind != "universal"}
    kinds_b = {s.kind for s in p.b.scope if s.kind != "universal"}
    if (
        not (
            (kinds_a == {"exclusive"} and kinds_b == {"inclusive"})
            or (kinds_a == {"inclusive"} and kinds_b == {"exclusive"})
        )
        or p.things_clash
    ):
        return None
    heads_a = {h for s in p.a.scope for h in s.heads}
    heads_b = {h for s in p.b.scope for h in s.heads}
    same_head = bool(common_events(sorted(heads_a), sorted(heads_b))) and bool(
        p.shared or p.c.shared
    )
    # "with A insisting it only covered X but B insisting it covered Y too": one sentence
    # reporting two parties' opposed scopes is a dispute whatever the words they share.
    one_sentence = p.c.reason == "same_sentence"
    about_one_thing = (p.same_event or p.shared_event) and bool(p.shared_beyond_agents)
    if not (same_head or one_sentence or about_one_thing or _place_scope(p)):
        return None
    return _contradict(
        ContradictionType.SCOPE,
        p.confidence(0.6, 0.95),
        "exclusive scope (only/just/limited) against inclusive scope (also/too/including)",
    )


_WHOLE_CUE = "exclusive scope (only/not affected) against all of it (every/entire/both/also)"


def _scope_whole(p: Pair) -> Verdict | None:
    """One article confines a matter ("only the north span", "X was not affected"), another
    extends it over all of the same thing or past the bound ("both spans", "every part of
    X", "X also went down"): the two scope phrases name a thing in common, and either the
    events align or one is told with a verb of reach (lexicon.EXTENT_VERBS: "the order
    applied only to X" meets "they cleared the entire village"). Two accounts in one
    article, hedged or conditional ones, different dates, places or named things are left
    alone: "only the north wing was damaged" and "the whole school was evacuated" speak of
    two events."""
    if p.c.a.article_id == p.c.b.article_id or p.distinct or p.time_clash:
        return None
    if p.a.hedged or p.b.hedged or p.a.conditional or p.b.conditional:
        return None
    for x, y in ((p.a, p.b), (p.b, p.a)):
        confined = [s for s in x.scope if s.kind == "exclusive"]
        wider = [s for s in y.scope if s.kind in {"inclusive", "universal"}]
        if not confined or not wider or any(s.kind == "exclusive" for s in y.scope):
            continue
        if negative(y):
            continue
        if not any(_same_domain(s, t) and not _inside(s, t) for s in confined for t in wider):
            continue
        heads = [h for s in (*confined, *wider) for h in s.heads]
        reach = {x.event, y.event, *heads} & lx.EXTENT_VERBS
        # The scope words' own verbs align ("only the north span is closed" / "both spans
        # were closed"); a noun both restrict is the shared domain, not an event.
        things = {t for s in (*confined, *wider) for t in s.domain}
        verbs_x = sorted({h for s in confined for h in s.heads if h not in things})
        verbs_y = sorted({h for s in wider for h in s.heads if h not in things})
        cue_events = common_events(verbs_x, verbs_y)
        # Told with a verb of reach on one side only: the other side's quantified thing must
        # be what its verb is done to ("cleared the entire village"), not someone it gives
        # something to ("all customers were sent an apology").
        told_apart = not (p.same_event or p.shared_event or cue_events)
        if told_apart and not (reach and all(t.undergoes for t in wider)):
            continue
        return _contradict(ContradictionType.SCOPE, p.confidence(0.55, 0.9), _WHOLE_CUE)
    return None


def _same_domain(confined: ScopeCue, wider: ScopeCue) -> bool:
    """The two scope words speak of one thing: their phrases share a thing or a name."""
    return bool(common(confined.domain, wider.domain))


def _inside(confined: ScopeCue, wider: ScopeCue) -> bool:
    """All of what lies inside the confined thing: "only X was evacuated" / "the order
    covered every house in X" agree (the quantified noun, "house", is not of the confined
    phrase, and what the two share is the confined thing itself), as do "only members" and
    "all members" (the confined noun is not narrowed to part of its kind)."""
    if wider.kind != "universal" or not wider.heads or not confined.heads:
        return False
    head = confined.heads[0]
    if wider.heads[0] == head:
        return not confined.part  # "only members" / "all members"; not "only new members"
    if wider.heads[0] in confined.domain:
        return False
    shared = common(confined.domain, wider.domain)
    return all(t == head or t.split()[-1] == head for t in shared)


def _place_scope(p: Pair) -> bool:
    """One confines a thing to places ("endemic to X", "found only in X"), the other, of the
    same thing, names another place it is in too ("also reported from Y")."""
    if not _same_subject(p):
        return False
    for x, y in ((p.a, p.b), (p.b, p.a)):
        confined = {pl for s in x.scope if s.kind == "exclusive" for pl in s.places}
        extended = {pl for s in y.scope if s.kind == "inclusive" for pl in s.places}
        if confined and extended and not (extended & confined):
            return True
    return False


def rule_compliance(p: Pair) -> Verdict | None:
    """One says a party kept an agreement, order or rule, the other that it broke it (or
    left undone the act the first says was done by the rules: "notified the regulator in
    line with its obligations" / "did not notify the regulator")."""
    if not _opposite_compliance(p) or compliance_stop(p) is not None:
        return None
    return _contradict(
        ContradictionType.COMPLIANCE,
        p.confidence(0.55, 0.9),
        "one says the agreement was kept, the other that it was broken",
    )


def _opposite_compliance(p: Pair) -> bool:
    return {p.a.compliance, p.b.compliance} == {"kept", "broken"} or _undone_act(p)


def compliance_stop(p: Pair) -> str | None:
    """Why a pair where one side keeps a rule and the other breaks it is no compliance
    dispute (None: it is one); why_unrelated prints it."""
    undone = _undone_act(p)
    # A denial turns the compliance it denies round: the polarity rule's, not this one's. A
    # negation is read by the compliance cues themselves ("did not follow the procedure").
    if p.a.denies or p.b.denies:
        return "one denies it (the polarity rule's)"
    if p.distinct:
        return "different places or differently named things"
    if p.time_clash:
        return "on different days"
    if _two_parties(p) and not undone:
        return "two parties"  # the airline kept the rules, the airport broke them
    # The compliance words themselves ("adhere", "respect": both "comply") are the cue, not
    # evidence that the two speak of one agreement.
    about_one = (
        undone
        or p.shared_beyond_agents
        or len(set(p.c.shared) - _COMPLIANCE_TERMS) >= 2
        or _same_subject(p)
        or (bool(p.a.norms) and bool(p.b.norms))
    )
    return None if about_one else "no party, rule or thing in common"


def _two_parties(p: Pair) -> bool:
    """Both sides name who kept or broke the rule (ClaimFrame.complier), and they are
    different parties; a speaker telling of their own act ("we gave notice") may speak for
    the party the other names (a member for the union), so is never a second party."""
    a, b = p.a.complier, p.b.complier
    if not a or not b or _same_body(a, b):
        return False
    speakers = {fold(p.c.a.claimant), fold(p.c.b.claimant), OUTLET}
    return not ({a, b} & speakers)


def _undone_act(p: Pair) -> bool:
    """One side says an act was done by the rules ("notified the regulator promptly and in
    line with its obligations"), the other that the same party did not do it to the same
    thing ("did not notify the regulator until Friday")."""
    for kept, other in ((p.a, p.b), (p.b, p.a)):
        if kept.compliance != "kept" or not kept.predications or other.compliance == "kept":
            continue
        act = kept.predications[0]
        for y in other.predications:
            if not y.negated or y.hedged or not events_align(act.event, y.event):
                continue
            if act.event in _WEAK_EVENTS or not common(act.objects, y.objects):
                continue
            if not act.subject or not y.subject or _same_body(act.subject, y.subject):
                return True
    return False


def _same_body(a: str, b: str) -> bool:
    """Two names of one party: same_party's, or a body's name and its first word alone
    ("Ostrava Power" and "Ostrava", as a report shortens a firm's name)."""
    if same_party(a, b):
        return True
    short, long = sorted((_bare(a), _bare(b)), key=len)
    return " " not in short and len(long.split()) > 1 and long.split()[0] == short


def _another_occasion(p: Pair) -> bool:
    """One side dates its event to a year other than the year the other side was published
    in, and the other gives no date: "the recount in 2025 changed the margin by 40" is not
    this year's margin."""
    for x, y, other in ((p.a, p.b, p.c.b), (p.b, p.a, p.c.a)):
        published = p.ctx.published.get(other.article_id)
        dated = x.time is not None and y.time is None and published is not None
        if dated and x.time is not None and published is not None and x.time.year != published.year:
            return True
        if dated and x.time is not None and published is not None and not x.time.undated:
            # "In March, a roof gave way and injured 22" against an undated count in an
            # article of October: news without a date tells of the last few weeks.
            latest = _latest_day(x.time)
            if latest is not None and (published - latest).days > _RECENT_DAYS:
                return True
    return False


_RECENT_DAYS = 31
"""How far back an undated account in the news may reach: a dated event older than this
is another occasion."""


def _latest_day(t: TimePoint) -> dt.date | None:
    """The last day a time at month or day granularity may denote (None for a year)."""
    if t.month is None:
        return None
    if t.day is not None:
        return dt.date(t.year, t.month, t.day)
    following = dt.date(t.year + t.month // 12, t.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def rule_number(p: Pair) -> Verdict | None:
    """Different figures for the same counted thing of one event, beyond rounding."""
    if p.distinct or p.time_clash or p.a.future != p.b.future or _another_occasion(p):
        return None
    if p.a.per_period != p.b.per_period:
        return None  # "2 per cent a year" against "4 per cent over two years"
    for i, x in enumerate(p.a.quantities):
        for j, y in enumerate(p.b.quantities):
            if x.unit and y.unit and x.unit != y.unit and same_thing_counted(x.unit, y.unit):
                y = y.model_copy(update={"unit": x.unit})  # "3 fractures" / "9 breaks"
            if not x.unit or not same_dimension(x, y) or compatible(x, y):
                continue
            if x.unit in lx.TIME_UNITS and not p.same_event:
                continue  # two durations of two things ("48 hours' notice", "nine hours")
            ex = set(p.a.quantity_events[i]) if i < len(p.a.quantity_events) else set()
            ey = set(p.b.quantity_events[j]) if j < len(p.b.quantity_events) else set()
            # A count hanging only on "be" ("14 vessels were at anchor, some waiting") is
            # counted by whatever else the claim says of it.
            if ex and not ex - _WEAK_EVENTS:
                ex |= set(p.a.events)
            if ey and not ey - _WEAK_EVENTS:
                ey |= set(p.b.events)
            common = common_events(sorted(ex - _WEAK_EVENTS), sorted(ey - _WEAK_EVENTS))
            # A measure of one thing by one party: "X is 69 km from Y" / "X lies 80 km from Y".
            measure = (
                (x.unit in lx.MEASURE_UNITS or x.unit != y.unit)
                and (_same_agent(p) or _same_subject(p))
                and p.shared_beyond_agents
            )
            # Two margins of one contest: "won by 212 votes" / "elected by a margin of 187".
            margin = _MARGIN in ex and _MARGIN in ey and bool(p.shared)
            if not (measure or margin) and not common:
                continue  # the same thing counted in two events: "died" against "worked"
            if (_CHANGE in ex) != (_CHANGE in ey) or (_MARGIN in ex) != (_MARGIN in ey):
                continue  # "rose by two metres" against "stood 0.5 metres below"
            return _contradict(
                ContradictionType.NUMBER,
                p.confidence(0.5, 0.85),
                f"{x.text!r} against {y.text!r}",
            )
    return None


def rule_time(p: Pair) -> Verdict | None:
    """Different times for the same event, compared at their common granularity (a year
    against a full date compares the years)."""
    if not (p.aligned and p.time_clash) or p.distinct:
        return None
    if p.a.hedged or p.b.hedged or negative(p.a) != negative(p.b) or p.a.future or p.b.future:
        return None
    if not (p.same_event and (p.shared_beyond_agents or _same_agent(p) or _same_subject(p))):
        return None
    if p.a.agent and p.b.agent and not _same_agent(p):
        return None  # the council's vote and the committee's vote: two events
    if _different_subjects(p):
        return None  # "the lane was closed this morning" / "the station was closed on Monday"
    if _acts_differ(p):
        return None  # the decision to shut the pool and the decision to repaint the library
    cue = f"{p.a.time_text!r} against {p.b.time_text!r}"
    return _contradict(ContradictionType.DATE_TIME, p.confidence(0.5, 0.85), cue)


def _different_subjects(p: Pair) -> bool:
    """Both main predicates are said of something, and not of one thing: not the same party,
    not one thing by WordNet ("the fire" / "the blaze"), not the event itself, and neither
    subject is something the other claim speaks of ("the vessel passed its hull inspection"
    / "the hull was inspected": one inspection)."""
    a, b = p.a.subject, p.b.subject
    if not (a and b) or _same_subject(p):
        return False
    if not (_common_noun(a) or _common_noun(b)):
        return False  # two names may be two spellings of one name (a transliteration)
    return not (common([a], p.b.participants) or common([b], p.a.participants))


def _common_noun(word: str) -> bool:
    """One word WordNet knows as a noun ("depot", "station"), not a name of several words."""
    return word.replace("-", "").isalpha() and bool(wordnet.senses(word, "n", 1))


def _acts_differ(p: Pair) -> bool:
    """Both are acts about an act, and not the same one: the decision to shut the pool and
    the decision to repaint the library (see ClaimFrame.act_of)."""
    a, b = p.a.act_of, p.b.act_of
    return bool(a and b) and not events_align(a, b)


def same_party(a: str | None, b: str | None) -> bool:
    """Two resolved names for one party: equal, one the other's last word ("ana lind",
    "lind"), or one the other's head before "of" ("citizens' league", "citizens' league of
    velmar"). Two longer names ending alike are two parties ("haldre industries", "briotem
    industries"): the last word of a firm's or a body's name is often a common noun."""
    if not a or not b:
        return False
    if a == b:
        return True
    a, b = _bare(a), _bare(b)
    short, long = sorted((a, b), key=len)
    if a == b or (" " not in short and long.split()[-1] == short):
        return True
    return long.startswith(short + " of ")


_HONORIFICS = lx.FEMALE_WORDS | lx.MALE_WORDS | lx.TITLE_NOUNS | {"dr", "prof", "professor"}


def _bare(name: str) -> str:
    """A name without the honorifics and titles before it ("ms marrowan" is "marrowan")."""
    words = name.split()
    while len(words) > 1 and words[0].rstrip(".") in _HONORIFICS:
        words.pop(0)
    return " ".join(words)


def _same_agent(p: Pair) -> bool:
    a, b = p.a.agent, p.b.agent
    return same_party(a, b) or _one_happening(p, a, b) or _event_itself(p, a, b)


def _same_subject(p: Pair) -> bool:
    """The two main predicates are said of one thing (their subjects, active or passive)."""
    a, b = p.a.subject, p.b.subject
    return same_party(a, b) or _one_happening(p, a, b) or _event_itself(p, a, b)


def _same_holder(p: Pair) -> bool:
    """The two positions are held by one party (the position verb's subject where the frame
    knows it, else the main predicate's agent)."""
    return same_party(p.a.holder or p.a.agent, p.b.holder or p.b.agent)


def _event_itself(p: Pair, a: str | None, b: str | None) -> bool:
    """ "The break-in took place at 2 a.m." speaks of the event itself, whoever did it: for
    one event it meets any account of that event ("the thieves entered before midnight")."""
    return p.same_event and p.a.event in {a, b}


def _is_happening(word: str) -> bool:
    return word in lx.HAPPENING_NOUNS or word in _EVENT_WORDS


def _one_happening(p: Pair, a: str | None, b: str | None) -> bool:
    """For one event (the same main predicate), a general event noun on one side ("the
    action", "the incident") stands for the event noun on the other ("the strike")."""
    if not (a and b and p.same_event):
        return False
    return (a in lx.GENERAL_EVENT_NOUNS and _is_happening(b)) or (
        b in lx.GENERAL_EVENT_NOUNS and _is_happening(a)
    )


def rule_antonym(p: Pair) -> Verdict | None:
    """Opposite predicates of the same thing: opened / closed; or the same party supporting
    and opposing the same thing (two parties' opposed opinions are no contradiction)."""
    if not (p.shared_beyond_agents or (_same_subject(p) and not stance(p.a))) or p.distinct:
        return None
    sa, sb = stance(p.a), stance(p.b)
    if sa and sb:
        if sa == sb or not _same_holder(p) or p.a.own_past or p.b.own_past:
            return None
        cue = f"{sa}s it against {sb}s it"
        return _contradict(ContradictionType.OTHER, p.confidence(0.55, 0.85), cue)
    ea, eb = p.a.event, p.b.event
    if not _opposite(ea, eb) or p.a.negated or p.b.negated or p.time_clash:
        return None  # opened on one day, closed on another: both can be true
    if not _one_moment(p):
        return None  # "the gates were opened at 1.40" / "closed again at 10:45": in turn
    return _contradict(ContradictionType.OTHER, p.confidence(0.55, 0.85), f"{ea} against {eb}")


def _opposite(a: str, b: str) -> bool:
    """Opposite events (alignment.opposed), unless both are verbs too common to mean much
    alone ("come" / "go")."""
    return not (a in _WEAK_EVENTS and b in _WEAK_EVENTS) and opposed(a, b)


def _one_moment(p: Pair) -> bool:
    """Two opposite predicates can only clash about one moment: both standing truths (the
    simple present, "X is open" / "X is closed"), both dated to the same time, one a state
    held throughout a period the other's time falls in (or that gives no time), or the pair
    tells no time at all and at least one is a standing truth."""
    ga = bool(p.a.predications) and p.a.predications[0].generic
    gb = bool(p.b.predications) and p.b.predications[0].generic
    if ga and gb:
        return True
    ta, tb = p.a.time, p.b.time
    for x, tx, ty in ((p.a, ta, tb), (p.b, tb, ta)):
        if x.throughout and tx is not None and (ty is None or _within(tx, ty)):
            return True  # "armed throughout the night" / "switched off at 1:40 a.m."
    if ta is not None and tb is not None:
        return ta.granularity == "day" and tb.granularity == "day" and same_time(ta, tb) is True
    return (ga or gb) and ta is None and tb is None


_SMALL_HOURS_END = 6 * 60


def _within(period: TimePoint, moment: TimePoint) -> bool:
    """The moment falls in the period a state is said to hold throughout: the same time at
    their common granularity or, for a part of the day with no date ("throughout the
    night"), a moment in that part (the small hours are night and morning both; evening
    runs into night)."""
    if same_time(period, moment) is True:
        return True
    if not period.undated or period.minutes is not None or moment.part_of_day is None:
        return False
    if period.part_of_day is None:
        return True  # "all day"
    parts = {period.part_of_day, moment.part_of_day}
    if len(parts) == 1 or parts == {"evening", "night"}:
        return True
    small_hours = moment.minutes is not None and moment.minutes < _SMALL_HOURS_END
    return parts == {"night", "morning"} and small_hours


def rule_polarity(p: Pair) -> Verdict | None:
    """A proposition and its negation or explicit denial: the same event of the same thing,
    one side saying it is not so."""
    if negative(p.a) == negative(p.b):
        return None
    denier, other = (p.a, p.b) if negative(p.a) else (p.b, p.a)
    if denier.hedged or denier.conditional or p.distinct or p.time_clash:
        return None
    if stance(denier) or stance(other):
        return None  # positions are the antonym rule's
    event_match = p.same_event or (
        bool(p.a.event and p.b.event)
        and bool(common_events([p.a.event], p.b.events) or common_events([p.b.event], p.a.events))
        and p.a.event not in _WEAK_EVENTS
        and p.b.event not in _WEAK_EVENTS
    )
    # What is denied must be what the other states: the negated predicate's own objects
    # (or, for "X is not a Y", the same X).
    matter = set(common(denier.themes, other.participants))
    if p.same_event and _same_agent(p):
        matter.add(denier.agent or "")
    if p.same_event and p.a.event.startswith("be ") and not _same_agent(p):
        return None  # "this is not a treaty" / "the paper may be the treaty": two subjects
    strong = denier.denies and len(set(p.c.shared) - set(denier.places)) >= 3
    if not ((event_match and matter) or strong):
        return None
    conf = p.confidence(0.5 if denier.denies else 0.4, 0.9)
    return _contradict(ContradictionType.DENIAL, conf, "opposite polarity")


def rule_absent(p: Pair) -> Verdict | None:
    """One says a thing is there, the other that it is missing ("with no X")."""
    for x, y in ((p.a, p.b), (p.b, p.a)):
        missing = common(x.absent, [w for w in y.participants if w not in y.absent])
        if missing and p.same_event and not negative(y) and not (x.hedged or y.hedged):
            return _contradict(
                ContradictionType.OTHER,
                p.confidence(0.5, 0.8),
                f"one has {sorted(missing)[0]}, the other says there was none",
            )
    return None


def rule_cause(p: Pair) -> Verdict | None:
    """A deliberate act against an accident, for the same thing."""
    if {p.a.cause, p.b.cause} != {"deliberate", "accidental"} or not p.shared_beyond_agents:
        return None
    return _contradict(
        ContradictionType.OTHER, p.confidence(0.5, 0.8), "deliberate against accidental"
    )


def rule_place(p: Pair) -> Verdict | None:
    """Incompatible places for one event: one that happens once to its participant (born,
    died), or the same party doing the same thing to the same thing with no date to tell
    two occasions apart ("X plays its home games at A" / "at B")."""
    if not (p.same_event and p.places_clash) or negative(p.a) or negative(p.b) or p.things_clash:
        return None
    once = any(events_align(p.a.event, e) for e in lx.ONCE_EVENTS) and bool(p.shared)
    habitual = (
        _same_agent(p)
        and bool(set(p.a.themes) & set(p.b.themes))
        and p.a.time is None
        and p.b.time is None
    )
    if not (once or habitual):
        return None
    cue = f"{', '.join(p.a.places)} against {', '.join(p.b.places)}"
    return _contradict(ContradictionType.OTHER, p.confidence(0.5, 0.8), cue)


def _same_matter(x: Predication, y: Predication) -> bool:
    """Two predications of one event about one thing: the same meaningful event, said of the
    same subject (or one leaves it unsaid) and, when both name objects, sharing one."""
    weak = _WEAK_EVENTS | lx.SPEECH_VERBS
    if x.event in weak or y.event in weak or not events_align(x.event, y.event):
        return False
    return _same_arguments(x, y)


def _same_arguments(x: Predication, y: Predication) -> bool:
    subject = same_party(x.subject, y.subject)
    if x.subject and y.subject and not subject:
        return False
    shared = bool(common(x.objects, y.objects))
    if x.objects and y.objects and not shared:
        return False
    return subject or shared


def _comparable_claims(p: Pair) -> bool:
    """Claim-level reasons two predications cannot clash: a hedge, a condition, a plan
    against an account, different places, a matter not known yet, positions (the antonym
    rule's)."""
    a, b = p.a, p.b
    if a.hedged or b.hedged or a.conditional or b.conditional or a.unknown or b.unknown:
        return False
    if a.future != b.future or p.distinct or stance(a) or stance(b):
        return False
    return not (a.denies or b.denies or a.disputes or b.disputes)


def _pairs_of_predications(p: Pair) -> list[tuple[Predication, Predication]]:
    return [
        (x, y) for x in p.a.predications for y in p.b.predications if not (x.hedged or y.hedged)
    ]


def _clash(x: Predication, y: Predication) -> bool | None:
    """Whether the two predications' own dates cannot be one moment (None: not both dated)."""
    if x.time is None or y.time is None:
        return None
    return same_time(x.time, y.time) is False


def rule_predicate_time(p: Pair) -> Verdict | None:
    """The same event of the same thing dated differently, in any clause of the two claims:
    "the painting, which the museum acquired in 1987" / "which the museum bought in 1991"."""
    if not _comparable_claims(p) or _acts_differ(p):
        return None
    for x, y in _pairs_of_predications(p):
        if x.negated == y.negated and _same_matter(x, y) and _clash(x, y):
            cue = f"{x.time_text!r} against {y.time_text!r}"
            return _contradict(ContradictionType.DATE_TIME, p.confidence(0.5, 0.8), cue)
    return None


def rule_predicate_polarity(p: Pair) -> Verdict | None:
    """The same event of the same thing stated in one claim and negated in the other, in any
    clause: "the licence had been suspended in 2024" / "is valid and has never been
    suspended"."""
    if not _comparable_claims(p):
        return None
    for x, y in _pairs_of_predications(p):
        if x.negated == y.negated or _clash(x, y):
            continue
        if _same_matter(x, y) or _converse_matter(x, y) or _converse_matter(y, x):
            return _contradict(
                ContradictionType.DENIAL, p.confidence(0.4, 0.8), "opposite polarity"
            )
    return None


_CONVERSES = frozenset(lx.CONVERSES)


def _converse_matter(x: Predication, y: Predication) -> bool:
    """Converse events of one thing, `x` the giving side: what x sends, sells or grants (its
    objects) is what y receives, buys or sees arrive ("the office sent the warning" / "no
    warning reached the ship": the warning)."""
    if (x.event, y.event) not in _CONVERSES:
        return False
    taken = set(y.objects) | ({y.subject} if y.subject else set())
    return bool(set(x.objects) & taken)


def rule_predicate_antonym(p: Pair) -> Verdict | None:
    """Opposite events of the same thing, in any clause: "X stimulates growth" / "it
    inhibits growth"."""
    if not _comparable_claims(p):
        return None
    for x, y in _pairs_of_predications(p):
        if x.negated or y.negated or not _opposite(x.event, y.event) or _clash(x, y):
            continue
        if not (x.generic and y.generic):
            continue  # "opened at 1.40" and "closed at 10:45": two moments, both true
        if _same_arguments(x, y):
            cue = f"{x.event} against {y.event}"
            return _contradict(ContradictionType.OTHER, p.confidence(0.5, 0.8), cue)
    return None


_RECEIVE_EVENTS = frozenset(["receive", canon("receive")])
"""Verbs of receiving: "X received a complaint" is X being complained to."""


def rule_received_act(p: Pair) -> Verdict | None:
    """One side says a party received no act of a kind ("the landlord had received no
    complaints", "denied that the regulator had received any notification"), the other that
    someone did that act to that party ("I complained to the landlord", "the firm notified
    the regulator"): the act received is the act done, the receiver its object."""
    match = _received_act(p)
    if match is None or received_stop(p) is not None:
        return None
    x, y = match
    cue = f"received no {y.event} against {y.event} done to {x.subject}"
    return _contradict(ContradictionType.DENIAL, p.confidence(0.45, 0.8), cue)


def received_stop(p: Pair) -> str | None:
    """Why a received act and the act done do not clash (None: they do)."""
    a, b = p.a, p.b
    hedged = any(x.hedged for x in (*a.predications[:1], *b.predications[:1]))
    if hedged or a.hedged or b.hedged or a.conditional or b.conditional or a.unknown or b.unknown:
        return "one is hedged, conditional or not known yet"
    if a.future != b.future:
        return "a plan against an account"
    if p.distinct:
        return "different places or differently named things"
    return None


def _received_act(p: Pair) -> tuple[Predication, Predication] | None:
    """The receiving predication of one side and the act of the other it meets, of opposite
    polarity (see rule_received_act)."""
    for receiver, doer in ((p.a, p.b), (p.b, p.a)):
        for x in receiver.predications[:1]:
            if x.event not in _RECEIVE_EVENTS or not x.subject:
                continue
            denied_x = x.negated != receiver.denies
            for y in _acts_of(doer):
                if y.negated == denied_x or doer.denies or _clash(x, y):
                    continue
                if y.event in _WEAK_EVENTS or y.event in _RECEIVE_EVENTS:
                    continue
                if not any(names_act_of(noun, y.event) for noun in x.objects):
                    continue
                # The receiver is what the act was done to: its object ("complained to the
                # landlord"), or its subject when passive ("the regulator was notified").
                done_to = [*y.objects, *([y.subject] if y.passive and y.subject else [])]
                if any(same_party(x.subject, o) or _same_body(x.subject, o) for o in done_to):
                    return x, y
    return None


def _acts_of(frame: ClaimFrame) -> list[Predication]:
    """The claim's predications, and its main event as one when no predication holds it (a
    verb of speech such as "complained to X" is the event of its claim, never a predication
    of its own)."""
    main = Predication(
        event=frame.event,
        subject=frame.subject,
        objects=frame.themes,
        negated=frame.negated,
        hedged=frame.hedged,
        time=frame.time,
        time_text=frame.time_text,
    )
    held = any(x.event == frame.event for x in frame.predications)
    return frame.predications if held or not frame.event else [main, *frame.predications]


def rule_changed_outlook(p: Pair) -> Verdict | None:
    """One party's outlook turned round between two days: the same claimant, in articles of
    different dates, states on one what it expects, intends or advises and on the other the
    opposite, of the same thing ("the authority will not put money in" / later "the
    authority is ready to help fund it"; "there is no need to change passwords" / later
    "urged members to reset their passwords"). Both sides must be outlooks (an account that
    something was not found, then that it was, is news moving on, not a change of mind), a
    predication of each must be of one matter (`_one_outlook`), and two
    sides dated to times not known to be one are two plans ("no rise this year" / "a rise
    next spring")."""
    c = p.c
    if c.a.claimant != c.b.claimant or c.a.claimant_kind == "outlet":
        return None
    da, db = p.ctx.published.get(c.a.article_id), p.ctx.published.get(c.b.article_id)
    if da is None or db is None or da == db or not (p.a.outlook and p.b.outlook):
        return None
    if negative(p.a) == negative(p.b) or p.distinct:
        return None
    ta, tb = p.a.time, p.b.time
    if ta is not None and tb is not None and same_time(ta, tb) is not True:
        return None
    speaker = {fold(c.a.claimant), *fold(c.a.claimant).split()}
    if not (set(common(p.a.participants, p.b.participants)) - speaker):
        return None
    if not any(_one_outlook(x, y) for x in p.a.predications for y in p.b.predications):
        return None
    return _contradict(
        ContradictionType.TEMPORAL, p.confidence(0.5, 0.8), "an outlook turned round"
    )


def _one_outlook(x: Predication, y: Predication) -> bool:
    """Two predications of one matter for `rule_changed_outlook`: said of one subject ("the
    authority will not pay" / "the authority is ready to help fund"), one event of one
    thing, or done to the same thing named by a phrase of two words or more ("no need to
    change online banking passwords" / "urged members to reset online banking passwords");
    one shared word ("never ask for your password") is not enough."""
    if not _same_arguments(x, y):
        return False
    if x.subject and y.subject and same_party(x.subject, y.subject):
        return True
    return events_align(x.event, y.event) or len(common(x.objects, y.objects)) >= 2


_AGREE_SIMILARITY = 0.35


def rule_agreement(p: Pair) -> Verdict | None:
    """Aligned, no conflict found, the same polarity: the two state the same fact."""
    c = p.c
    if c.a.article_id == c.b.article_id or negative(p.a) != negative(p.b) or p.distinct:
        return None
    if _acts_differ(p):
        return None  # two decisions, about different acts
    if not p.aligned or c.similarity < _AGREE_SIMILARITY or len(c.shared) < 3:
        return None
    return Verdict("agree", None, c.similarity, ("same content, same polarity",))


RULES: tuple[Rule, ...] = (
    rule_discourse_dispute,
    rule_quotation,
    rule_unknown,
    rule_scope,
    rule_compliance,
    rule_number,
    rule_time,
    rule_antonym,
    rule_polarity,
    rule_absent,
    rule_cause,
    rule_place,
    rule_predicate_time,
    rule_predicate_polarity,
    rule_predicate_antonym,
    rule_received_act,
    rule_changed_outlook,
    rule_agreement,
)


def judge(c: Candidate, ctx: Context) -> Judgement:
    """Apply the rules in order; the first verdict wins."""
    pair = Pair(c, ctx)
    for rule in RULES:
        verdict = rule(pair)
        if verdict is None:
            continue
        if verdict.relation == "unrelated":
            break
        kind = verdict.type
        cues = list(verdict.cues)
        if verdict.relation == "contradict" and _changed_over_time(pair):
            kind = ContradictionType.TEMPORAL
            cues.append("same claimant on different days")
        return Judgement(
            a=c.a.id,
            b=c.b.id,
            relation=verdict.relation,
            type=kind,
            summary=(
                _changed_summary(pair)
                if kind == ContradictionType.TEMPORAL
                else summarize(c.a, c.b, verdict.relation, kind)
            ),
            confidence=round(verdict.confidence, 3),
            cues=cues,
        )
    return Judgement(a=c.a.id, b=c.b.id, relation="unrelated", cues=[why_unrelated(pair)])


def why_unrelated(p: Pair) -> str:
    """Which test a pair judged "unrelated" stopped at, in a few words: the eval prints it
    beside each miss, so a rule writer sees whether the events failed to align, the two
    spoke of different things, or the slots agreed."""
    ea, eb = p.a.event or "none", p.b.event or "none"
    if _opposite_compliance(p) and (stop := compliance_stop(p)):
        return f"one keeps a rule and the other breaks it, but {stop}"
    if _received_act(p) is not None and (stop := received_stop(p)):
        return f"an act received meets the act done, but {stop}"
    if not (p.same_event or p.shared_event):
        return f"events not aligned: {ea} / {eb}"
    if not p.aligned:
        return f"events {ea} / {eb} meet, but no participant or counted thing is shared"
    if p.distinct:
        return "aligned, but different places or differently named things"
    if p.time_clash and (_different_subjects(p) or _acts_differ(p)):
        return "aligned, times differ, but said of different things or acts"
    return "aligned, no slot in conflict"


def _changed_over_time(p: Pair) -> bool:
    """The same party on different days: the same claimant, or the same holder of a position
    ("he agreed in principle" on one day, "X says he rejected it" on a later one)."""
    c, ctx = p.c, p.ctx
    same_party = c.a.claimant == c.b.claimant and c.a.claimant_kind != "outlet"
    same_holder = bool(stance(p.a) and stance(p.b)) and _same_holder(p)
    if not (same_party or same_holder):
        return False
    da, db = ctx.published.get(c.a.article_id), ctx.published.get(c.b.article_id)
    return da is not None and db is not None and da != db


_TYPE_PHRASES = {
    ContradictionType.SCOPE: "disagree on what it covers",
    ContradictionType.NUMBER: "give different figures",
    ContradictionType.DATE_TIME: "give different dates",
    ContradictionType.DENIAL: "are at odds: one denies what the other states",
    ContradictionType.COMPLIANCE: "disagree on whether it was kept or broken",
    ContradictionType.ATTRIBUTION: "credit the same words to different people",
    ContradictionType.TEMPORAL: "show a position that changed over time",
    ContradictionType.OTHER: "cannot both be right",
}


def _short(text: str, limit: int = 90) -> str:
    text = text.strip().rstrip(".")
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def summarize(a: Claim, b: Claim, relation: str, kind: ContradictionType | None) -> str:
    """One sentence on what is disputed or agreed (a change of position: `_changed_summary`)."""
    if relation == "agree" or kind is None:
        return _short(a.statement, 160) + "."
    return f"{_parties(a, b)} {_TYPE_PHRASES[kind]}: “{_short(a.quote)}” vs “{_short(b.quote)}”."


def _changed_summary(p: Pair) -> str:
    """A change of position told in order: who, the earlier words, then the later ones (the
    pair may come in either order, and the later side may be someone else reporting it)."""
    (first, d1), (later, d2) = sorted(
        ((p.c.a, p.ctx.published.get(p.c.a.article_id)),
         (p.c.b, p.ctx.published.get(p.c.b.article_id))),
        key=lambda side: side[1] or dt.date.min,
    )  # fmt: skip
    holder = p.a.holder or p.a.agent
    party = next(
        (x.claimant for x in (first, later) if same_party(x.claimant.lower(), holder)),
        first.claimant,
    )
    told = "" if later.claimant == party else f" (as {later.claimant} tells it)"
    return (
        f"{party} on {d1}: “{_short(first.quote)}”; later, on {d2}: “{_short(later.quote)}”{told}."
    )


def _parties(a: Claim, b: Claim) -> str:
    """Who the two sides are, told apart when they have one name ("the outlet and the
    outlet" says nothing): by their articles."""
    if a.claimant != b.claimant:
        return f"{a.claimant} and {b.claimant}"
    if a.article_id == b.article_id:
        return f"two statements of {a.claimant} in {a.article_id}"
    return f"{a.claimant} ({a.article_id}) and {b.claimant} ({b.article_id})"
