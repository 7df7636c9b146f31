"""Reading a claim's frame off spaCy's parse of its words: the event and its participants,
polarity, modality, quantities, time, place, scope and the cues the judge compares
(agent/backends/offline/frames.py holds the frame's fields).

Each slot has its own small reader; `read_frame` calls them in turn.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from agent.backends.offline import lexicon as lx
from agent.backends.offline import wordnet
from agent.backends.offline.alignment import names_an_act
from agent.backends.offline.frames import ClaimFrame, Predication, ScopeCue
from agent.models import Quantity
from agent.quantities import bound_of, in_base_unit
from agent.timeref import TimePoint, resolve_point

NameOf = Callable[["Token"], str | None]
"""Resolves a pronoun or title token ("he", "the minister") to a person's name, if it can."""

_CANON: dict[str, str] = {}
for _group in (*lx.EVENT_SYNONYMS, *lx.THING_SYNONYMS):
    for _word in _group:
        _CANON.setdefault(_word, _group[0])
# Nouns in the thing slots (participants, what is counted) take only the things' synonym
# sets: "a chain" is no "lock", though "to chain" is "to lock".
_THING_CANON: dict[str, str] = {}
for _group in lx.THING_SYNONYMS:
    for _word in _group:
        _THING_CANON.setdefault(_word, _group[0])

_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})
_OBJECTS = frozenset({"dobj", "attr", "oprd", "dative", "nsubjpass", "acomp"})
_NAME_ENTS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "WORK_OF_ART", "EVENT"})
_PLACE_ENTS = frozenset({"GPE", "LOC", "FAC"})
_TIME_ENTS = frozenset({"DATE", "TIME"})
_THING_ENTS = frozenset({"GPE", "LOC", "FAC", "ORG", "PRODUCT", "WORK_OF_ART", "EVENT"})
_HAPPEN_VERBS = frozenset({"happen", "occur"})
CHANGE = "change:by"
"""Marks a quantity that is a change ("by two metres") in ClaimFrame.quantity_events."""
MARGIN = "margin:by"
"""Marks a quantity that is a margin ("won by 212 votes", "by a margin of 187 votes") in
ClaimFrame.quantity_events: two margins of one contest compare whatever verb carries them."""
_CHANGE_EVENTS = frozenset({"increase", "decrease", "fall", "change", "shift", "move", "exceed"})
_RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom", "whose"})
_PLACE_PREPS = frozenset({"in", "at", "from", "to", "on", "across", "throughout", "near"})
_QUOTATION_MIN_WORDS = 6
_CORE_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "attr", "oprd", "dative", "appos"})
_FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
_PER_PERIOD = re.compile(
    r"\b(a|per|each|every)\s+(year|month|week|day|annum)\b|\bannual(ly)?\b"
    r"|\bover\s+(\w+\s+)?(years|months)\b"
)

if TYPE_CHECKING:  # spaCy is slow to import; a run on cached claims never needs it
    from spacy.tokens import Span, Token


def canon(word: str) -> str:
    """The word naming a word's synonym set ("began" -> "start", "vessel" -> "ship"): for
    the event slot."""
    return _CANON.get(word, word)


def canon_noun(word: str) -> str:
    """The word naming a noun's synonym set in a thing slot: things' sets only ("vessel" ->
    "ship", "chain" stays "chain"); a noun that names an event is that event ("the
    walkout" -> "strike", "deaths" -> "die"), so one event told with a verb and a noun
    still meets."""
    if word in _THING_CANON:
        return _THING_CANON[word]
    if word in lx.NOMINALISATIONS:
        return canon(lx.NOMINALISATIONS[word])
    return word


def _slot_canon(tok: Token, word: str) -> str:
    """`word` (the token's lemma) canonical for the token's slot: a noun's synonyms are
    things' (canon_noun), a verb's or an adjective's events' (canon)."""
    return canon_noun(word) if tok.pos_ in {"NOUN", "PROPN"} else canon(word)


def _worded(tok: Token) -> bool:
    """The token has a letter: a "-" or a bare number names no event or participant (spaCy
    splits "re-open" into "re", "-", "open" and may tag the "-" a verb)."""
    return any(c.isalpha() for c in tok.text)


def read_frame(
    tokens: Sequence[Token],
    anchor: Token | None,
    published: date | None,
    *,
    claimant: str | None = None,
    name_of: NameOf | None = None,
    quoted: frozenset[int] = frozenset(),
    context: Sequence[Token] = (),
    it_refers: str | None = None,
    kinds: Mapping[str, str] | None = None,
) -> ClaimFrame:
    """The frame of the content `tokens`; `anchor` is the reporting or position verb that
    introduces them (if any), `claimant` who asserts them, `name_of` resolves pronouns and
    titles, `quoted` holds the indices of tokens inside quotation marks, `context` the whole
    segment the content was cut from (phrases like "in principle" may straddle the cut).
    `it_refers` is the named thing a subject "it" stands for, `kinds` maps class nouns to
    the thing the article defined as one ("X is a town": "the town" is X)."""
    frame = ClaimFrame()
    if not tokens:
        return frame
    toks = list(tokens)
    lower = " ".join(t.lower_ for t in toks)
    heads = content_heads(toks)
    speaker = _speaking_thing(anchor)
    speaker_form = _participant(speaker, name_of)[:1] if speaker is not None else []
    refer = Referents(name_of, speaker_form[0] if speaker_form else it_refers, kinds or {})
    _predicate(toks, heads, anchor, claimant, refer, frame)
    _polarity(heads, frame)
    _record_of(heads, refer, frame)
    _absent(toks, frame)
    _anchor_cues(anchor, frame)
    if frame.position is not None:
        frame.holder = fold(claimant) if claimant else None  # "X rejected the plan"
    _position(heads, frame, refer, claimant)
    _dispute(toks, lower, frame)
    wide = " ".join(t.lower_ for t in context) if context else lower
    _modality(toks, wide, anchor, heads, frame)
    frame.unknown = _has_phrase(wide, lx.UNKNOWN_PHRASES) is not None
    _scope(toks, lower, frame)
    frame.complier = _complier(_compliance(toks, lower, frame), refer, claimant)
    _cause(toks, lower, frame)
    frame.quantities, frame.quantity_events = quantities_with_events(toks)
    frame.per_period = bool(_PER_PERIOD.search(lower))
    auxiliaries = [*toks, *(anchor.children if anchor is not None else ())]
    frame.future = any(
        (t.lower_ in _FUTURE_AUX and t.dep_ == "aux") or (t.lower_ == "next" and t.dep_ == "amod")
        for t in auxiliaries
    ) or bool(re.search(r"\b(is|are|was|were) (due|expected|set|scheduled|going) to\b", lower))
    forward = frame.future or _looks_forward(toks, anchor)
    frame.time_text, frame.time = time_point(toks, published, forward)
    frame.outlook = frame.future or _outlook(toks, anchor, heads)
    period = _has_phrase(lower, lx.THROUGHOUT_PHRASES)
    frame.throughout = period is not None
    if period is not None and frame.time is None and published is not None:
        # "throughout the night" dates the state to a part of the day, even when the tagger
        # saw no date in it ("day" itself is every part).
        part = period.split()[-1]
        frame.time_text = period
        frame.time = TimePoint(
            year=published.year,
            part_of_day=part if part in {"morning", "afternoon", "evening", "night"} else None,
            undated=True,
        )
    frame.places = sorted(places(toks))
    frame.named = sorted(named_things(toks))
    frame.predications = predications(toks, refer, claimant, published, frame.future)
    quoted_words = [t.lower_ for t in toks if t.is_alpha and t.i in quoted]
    if len(quoted_words) >= _QUOTATION_MIN_WORDS:
        frame.quotation = " ".join(quoted_words)
    frame.terms = terms(toks) + [f"event:{e}" for e in frame.events[:1]]
    if frame.subject and not any(t.lower_ in {frame.subject, *frame.subject.split()} for t in toks):
        frame.terms.append(frame.subject)  # "it" and "he" pair by what they stand for
    if speaker is not None and speaker_form and frame.subject == speaker_form[0]:
        # "The operator of the X plant said it had complied": the claim is about the
        # operator of the X plant, words the attribution holds.
        frame.terms += terms(list(speaker.subtree))
        frame.named = sorted(set(frame.named) | named_things(list(speaker.subtree)))
    return frame


def _has_phrase(text: str, phrases: tuple[str, ...]) -> str | None:
    match = _phrase_pattern(phrases).search(text)
    return match.group(0) if match else None


@lru_cache(maxsize=64)
def _phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One compiled alternation per phrase list (the lists are module constants)."""
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b")


# --- event and participants ----------------------------------------------------------------


def content_heads(tokens: Sequence[Token]) -> list[Token]:
    """The main predicates of the content: tokens whose head lies outside it, and the verbs
    coordinated with them."""
    inside = {t.i for t in tokens}
    heads = [t for t in tokens if t.head.i not in inside or t.head == t]
    heads += [c for h in heads for c in h.children if c.dep_ == "conj" and c.i in inside]
    # An aside in brackets is not the main predicate ("X is not Y (others include Z)").
    depth, aside = 0, set()
    for tok in tokens:
        depth += (tok.text == "(") - (tok.text == ")")
        if depth > 0:
            aside.add(tok.i)
    main = [h for h in heads if h.i not in aside]
    if not main:  # the parser made the aside the root: its clauses outside the brackets
        main = [
            c
            for h in heads
            for c in h.children
            if c.i not in aside and c.i in inside and c.pos_ in {"VERB", "AUX"}
        ]
    return main + [h for h in heads if h not in main]


def event_of(tok: Token) -> str:
    """The canonical event a predicate token names."""
    lemma = tok.lemma_.lower()
    children = list(tok.children)
    if tok.pos_ in {"NOUN", "PROPN"}:
        return canon(lx.NOMINALISATIONS.get(lemma, lemma))
    particles = [
        c.lower_
        for c in children
        if c.dep_ == "prt" or (c.dep_ == "advmod" and c.lower_ in {"out", "off", "up", "down"})
    ]
    if particles and (
        f"{lemma} {particles[0]}" in _CANON or _phrasal_verb(f"{lemma} {particles[0]}")
    ):
        return canon(f"{lemma} {particles[0]}")  # "stepped down" is "step down", not "step"
    if tok.lower_ == "born" or (lemma == "bear" and any(c.dep_ == "auxpass" for c in children)):
        return "born"
    sides = {c.lower_ for c in children if c.dep_ == "prep"} & {"for", "against"}
    if lemma in lx.SIDE_TAKING_VERBS and len(sides) == 1:
        return "support" if sides == {"for"} else "oppose"  # "voted against the bill"
    happen = lemma in _HAPPEN_VERBS or (
        lemma == "take" and any(c.dep_ == "dobj" and c.lower_ == "place" for c in children)
    )
    if happen:  # "the meeting took place on Monday": the event is the meeting
        for subject in (c for c in children if c.dep_ in {"nsubj", "nsubjpass"}):
            if subject.pos_ == "NOUN":
                noun = word_of(subject)
                return canon(lx.NOMINALISATIONS.get(noun, noun))
    if lemma in lx.LIGHT_VERBS:
        for obj in (c for c in children if c.dep_ == "dobj"):
            noun = obj.lemma_.lower()
            if noun in lx.NOMINALISATIONS:
                return canon(lx.NOMINALISATIONS[noun])
    carrier = _carried_event(tok, lemma, children)
    if carrier is not None:
        return carrier
    if lemma == "be":
        for child in children:
            if child.dep_ in {"acomp", "attr"} and child.pos_ in {"ADJ", "VERB"}:
                if child.pos_ == "VERB":
                    return canon(child.lemma_.lower())
                return _participle_canon(child.lower_)
            if child.dep_ == "attr" and child.pos_ == "NOUN":
                # "X is a port" predicates "port" of X: the noun is the event.
                return "be " + canon_noun(child.lemma_.lower())
            if child.dep_ == "prep" and child.lower_ == "on":
                objects = [g for g in child.children if g.dep_ == "pobj"]
                if objects and objects[0].lemma_.lower() in lx.NOMINALISATIONS:
                    return canon(lx.NOMINALISATIONS[objects[0].lemma_.lower()])
                if objects and objects[0].lemma_.lower() == "board":
                    return canon("board")  # "49 people were on board"
            if child.dep_ in {"advmod", "prep"} and child.lower_ == "aboard":
                return canon("board")
    if tok.pos_ == "ADJ":
        return _participle_canon(tok.lower_)
    if lemma in _FALL_VERBS and _falls_in_space(tok):
        return "fall"  # "the lift dropped three floors" descends; "prices dropped" decrease
    return canon(lemma)


def _act_complement(main: Token) -> str:
    """The event an act is about, named by the infinitive under the main predicate or under
    the act noun that is its subject: "shut" in "the council decided to shut the pool" and
    in "the decision to shut the pool was taken"; "" when there is none."""
    holders = [main, *(c for c in main.children if c.dep_ in {"nsubj", "nsubjpass"})]
    for holder in holders:
        for clause in holder.children:
            infinitive = any(g.dep_ == "aux" and g.lower_ == "to" for g in clause.children)
            if clause.dep_ in {"xcomp", "acl"} and clause.pos_ == "VERB" and infinitive:
                return event_of(clause)
    return ""


_DONE_OR_SAID = wordnet.ACT_FILES | {wordnet.COMMUNICATION_FILE}
"""WordNet noun files of things done or said: acts, events, communications."""


def _carried_event(tok: Token, lemma: str, children: list[Token]) -> str | None:
    """The event a light verb's passive subject names ("the decision was taken", "an order
    was issued" are decide, order), or the subject of "come" ("the order came after dark",
    "the attack came at dawn"): the verb says only that it happened. The noun must name an
    act: a nominalisation, or a noun of WordNet's acts, communications or events that is a
    verb of the same spelling by WordNet's derivations ("order", "call"); "the storm came"
    stays come."""
    if lemma in lx.LIGHT_VERBS:
        wanted = {"nsubjpass"}
    elif lemma == "come" and not any(c.dep_ in {"prt", "dobj"} for c in children):
        wanted = {"nsubj"}
    else:
        return None
    for subject in (c for c in children if c.dep_ in wanted and c.pos_ == "NOUN"):
        noun = subject.lemma_.lower()
        # By its first sense only: "payments had been taken" are sums of money, not paying.
        if not names_an_act(noun, senses=1, files=_DONE_OR_SAID):
            continue
        if noun in lx.NOMINALISATIONS:
            return canon(lx.NOMINALISATIONS[noun])
        if _names_its_own_verb(noun):
            return canon(noun)
    return None


def _names_its_own_verb(noun: str) -> bool:
    """WordNet derives the noun's first sense from a verb of the same spelling: "an order"
    is to order, "a call" to call."""
    first = wordnet.senses(noun, "n", 1)
    return any(
        pos == "v" and noun in wordnet.synset_at(pos, offset).words
        for pos, offset, _ in first[0].related(wordnet.DERIVED, noun)
    )


_FALL_VERBS = frozenset(["fall", "drop"])
_PATH_PREPS = frozenset(
    ["from", "into", "onto", "off", "down", "through", "to", "toward", "towards", "over"]
)
_PHYSICAL_FILES = frozenset([5, 6, 8, 17, 18, 20])
"""WordNet noun files of things that move in space: animals, artifacts, the body, natural
objects, people, plants."""


def _physical(noun: Token) -> bool:
    """A noun whose first sense is a thing in space (a roof, a man, a rock), or a personal
    pronoun."""
    if noun.lower_ in lx.PERSON_PRONOUNS:
        return True
    if noun.pos_ != "NOUN" or not wordnet.available():
        return False
    first = wordnet.senses(noun.lemma_.lower(), "n", 1)
    return bool(first) and first[0].lexfile in _PHYSICAL_FILES


def _distance(noun: Token) -> bool:
    unit = canon_noun(lemma_of(noun))
    return in_base_unit(Quantity(text=noun.text, value=1.0, unit=unit)).unit == "m"


def _falls_in_space(verb: Token) -> bool:
    """ "fell" or "dropped" of a thing moving down, not of a figure going down: said of a
    thing in space ("the roof fell"), or with a path or a distance in space ("dropped three
    floors", "fell from the gantry", "fell 30 metres"); "prices fell", "turnout dropped to 40
    per cent" are decreases."""
    children = list(verb.children)
    subject = next((c for c in children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    if subject is not None and _physical(subject):
        return True
    complements = [c for c in children if c.dep_ in {"dobj", "npadvmod"}]
    for prep in (c for c in children if c.dep_ == "prep" and c.lower_ in _PATH_PREPS):
        complements += [g for g in prep.children if g.dep_ == "pobj"]
    # "fell 30 metres", "dropped three floors"; not "dropped 5 per cent", "fell to 300"
    return any(_physical(c) or _distance(c) for c in complements)


def _phrasal_verb(words: str) -> bool:
    """WordNet has the verb and its particle as one verb ("step down", "set up")."""
    return wordnet.available() and bool(wordnet.offsets_of(words, "v"))


def _participle_canon(word: str) -> str:
    """An adjective's event: its own synonym set, else, for a participle the tagger calls an
    adjective ("the alarm was armed", "the road was blocked"), its verb's ("arm", "block")."""
    if word in _CANON or not word.endswith("ed"):
        return canon(word)
    for verb in (word[:-1], word[:-2]):  # "closed" -> "close", "armed" -> "arm"
        if verb in _CANON:
            return _CANON[verb]
    for verb in (word[:-1], word[:-2]):  # "reopened" -> "reopen", a verb WordNet has
        if wordnet.available() and wordnet.offsets_of(verb, "v"):
            return verb
    return word


@dataclass(frozen=True)
class Referents:
    """What pronouns and definite descriptions stand for while one claim is read."""

    name_of: NameOf | None = None
    """Resolves "he", "she" and titles to a person's name."""
    it: str | None = None
    """The named thing a subject "it" stands for (the latest named subject, else the
    article's topic)."""
    kinds: Mapping[str, str] = field(default_factory=dict)
    """Class noun -> the thing the article defined as one ("X is a town": "the town")."""

    def subject(self, tok: Token) -> str | None:
        """The resolved form of a subject token: pronouns, "it" and "the town" resolved."""
        if tok.lower_ == "it":
            return self.it
        if tok.lower_ in lx.PERSON_PRONOUNS:
            name = self.name_of(tok) if self.name_of else None
            return _forms(name)[0] if name else None
        kind = tok.lemma_.lower()
        if kind in self.kinds and any(c.lower_ in {"the", "this"} for c in tok.children):
            return self.kinds[kind]
        forms = _participant(tok, self.name_of)
        if not forms and tok.pos_ in {"INTJ", "X", "NUM"} and any(c.isalpha() for c in tok.text):
            return fold(tok.text)  # a symbol-like name the tagger could not place ("αVβ5")
        return forms[0] if forms else None


def _speaking_thing(anchor: Token | None) -> Token | None:
    """What "it" stands for in words a body or thing is said to say: "the operator of the
    plant said it had complied" is the operator (the subject's token). None when the
    speaker is a person (or a pronoun, or many): "it" in "the inspector said it had failed"
    is something else."""
    if anchor is None:
        return None
    subject = next((c for c in anchor.children if c.dep_ == "nsubj"), None)
    if subject is None or subject.tag_ not in {"NN", "NNP"} or subject.ent_type_ == "PERSON":
        return None  # "analysts said it would": not the analysts
    person = {subject.lemma_.lower(), *(c.lemma_.lower() for c in subject.children)}
    if person & (lx.TITLE_NOUNS | lx.PERSON_NOUNS | lx.FEMALE_WORDS | lx.MALE_WORDS):
        return None
    return subject


def _expletive(verb: Token) -> bool:
    """ "It is too early to say", "it was announced that": the "it" stands for no thing."""
    return any(c.dep_ in {"ccomp", "xcomp", "csubj", "csubjpass"} for c in verb.children) or any(
        c.dep_ == "acomp" and any(g.dep_ in {"xcomp", "ccomp"} for g in c.children)
        for c in verb.children
    )


def _predicate(
    toks: list[Token],
    heads: list[Token],
    anchor: Token | None,
    claimant: str | None,
    refer: Referents,
    frame: ClaimFrame,
) -> None:
    name_of = refer.name_of
    verbs = [h for h in heads if h.pos_ in {"VERB", "AUX", "ADJ"} and _worded(h)]
    main = verbs[0] if verbs else next((h for h in heads if _worded(h)), None)
    for _ in range(2):  # "records show that the hull was inspected": the complement
        if main is None or main.lemma_.lower() not in lx.EVIDENTIAL_VERBS:
            break
        complements = [c for c in main.children if c.dep_ == "ccomp"]
        if not complements:
            break
        main = complements[0]
        heads = [main, *heads]
    copula = main
    if main is not None:
        main = _one_of_those_who(main)
        if main is not copula:
            heads = [main, *heads]  # the relative clause's objects are what is said of X
    events: list[str] = []
    if anchor is not None and anchor.lemma_.lower() in lx.POSITION_VERBS:
        # "X rejected the plan": the position verb is the event, X its agent.
        events.append(event_of(anchor))
        frame.agent = fold(claimant) if claimant else None
        frame.subject = frame.agent
    elif main is not None:
        events.append(event_of(main))
        frame.act_of = _act_complement(main)
        head = copula or main
        frame.agent = _agent(head, name_of, claimant)
        subject = next((c for c in head.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        it_subject = subject is not None and subject.lower_ == "it" and not _expletive(head)
        if subject is not None and subject.dep_ == "nsubj" and subject.lower_ == "it":
            frame.agent = refer.it if it_subject else None  # "X is a town. It is 40 km from Z."
        if subject is not None and (subject.lower_ != "it" or it_subject):
            if subject.lower_ in {"i", "we"} and claimant:
                frame.subject = fold(claimant)
            else:
                frame.subject = refer.subject(subject)
        frame.agent_named = subject is not None and (
            subject.ent_type_ in _THING_ENTS
            or (subject.pos_ == "PROPN" and subject.ent_type_ != "PERSON")
            or (it_subject and bool(refer.it))
        )
        first_person = any(c.dep_ == "nsubj" and c.lower_ in {"i", "we"} for c in main.children)
        frame.own_past = first_person and main.tag_ == "VBD"
    for tok in filter(_worded, toks):
        if tok.pos_ == "VERB" or (tok.pos_ == "NOUN" and tok.lemma_.lower() in lx.NOMINALISATIONS):
            event = event_of(tok)
            if event not in events and event not in lx.SPEECH_VERBS:
                events.append(event)
    frame.events = events
    frame.event = events[0] if events else ""
    found: list[str] = []
    themes: list[str] = []
    for head in heads:
        for arg in _arguments(head):
            forms = _participant(arg, name_of)
            found.extend(forms)
            if arg.dep_ not in {"nsubj", "csubj", "compound"} or arg is head:
                themes.extend(forms[:1])
    for tok in toks:
        if tok.ent_type_ in _NAME_ENTS and tok.ent_iob_ == "B" and not _dated(tok):
            found.extend(_name_forms(tok))
        elif tok.lower_ in lx.PERSON_PRONOUNS and tok.dep_ in _SUBJECTS and name_of:
            name = name_of(tok)
            if name:
                found.extend(_forms(name))
        elif tok.pos_ == "NOUN" and tok.dep_ in _CORE_DEPS and not tok.is_stop and _worded(tok):
            found.append(canon_noun(word_of(tok)))
    for who in (frame.agent, frame.subject):
        if who:
            found.extend(_forms(who))
    frame.participants = sorted({p for p in found if p and p not in lx.WEAK_TERMS})
    frame.themes = sorted({t for t in themes if t and t not in lx.WEAK_TERMS})


_RECORD_VERBS = frozenset({"have", "find", "see", "keep", "hold"})


def _record_of(heads: list[Token], refer: Referents, frame: ClaimFrame) -> None:
    """ "The force had no record of any request for patrols" speaks of the request: the event
    named after "no record / evidence / trace of" is the claim's event, what it was for its
    theme (the polarity reader has already seen the "no")."""
    for head in heads:
        if head.lemma_.lower() not in _RECORD_VERBS:
            continue
        for obj in (c for c in head.children if c.dep_ == "dobj"):
            if obj.lemma_.lower() not in lx.RECORD_NOUNS:
                continue
            for prep in (c for c in obj.children if c.dep_ == "prep" and c.lower_ == "of"):
                for event in (g for g in prep.children if g.dep_ == "pobj"):
                    lemma = event.lemma_.lower()
                    if lemma not in lx.NOMINALISATIONS:
                        continue
                    frame.event = canon(lx.NOMINALISATIONS[lemma])
                    frame.events = [frame.event, *(e for e in frame.events if e != frame.event)]
                    found = [
                        form
                        for arg in _arguments(event)
                        if arg is not event
                        for form in _participant(arg, refer.name_of)[:1]
                    ]
                    frame.themes = sorted({*frame.themes, *found} - lx.WEAK_TERMS)
                    return


def _is_predicate(tok: Token) -> bool:
    """A verb that says something of its own: not a participle used as an adjective ("the
    stolen works"), not a reporting verb; or "be" with an adjective ("is valid")."""
    if not _worded(tok):
        return False
    if tok.pos_ == "VERB":
        return tok.dep_ not in {"amod", "compound"} and tok.lemma_.lower() not in lx.SPEECH_VERBS
    if tok.pos_ == "AUX" and tok.lemma_.lower() == "be":
        return any(c.dep_ in {"acomp", "attr"} for c in tok.children)
    return False


def predications(
    tokens: Sequence[Token],
    refer: Referents,
    claimant: str | None = None,
    published: date | None = None,
    future: bool = False,
) -> list[Predication]:
    """Every predicate of the content with its own subject, objects, polarity, hedge and
    date (see Predication); a relative pronoun stands for its noun ("the painting, which the
    museum bought in 1991": bought, museum, [painting], 1991), a coordinated verb without a
    subject takes its partner's."""
    toks = list(tokens)
    inside = {t.i for t in toks}
    preds = [t for t in toks if _is_predicate(t)]
    if not preds:
        return []
    owner: dict[int, list[str]] = {}
    for ent in toks[0].doc.ents:
        if _date_label(ent) != "DATE" or ent.start not in inside:
            continue
        if _DURATION.fullmatch(ent.text.lower().strip(" '’")):
            continue
        node = ent.root
        while node.head != node and not _is_predicate(node.head):
            node = node.head
        if _is_predicate(node.head) and node.head.i in inside:
            owner.setdefault(node.head.i, []).append(ent.text)
    subjects: dict[int, str | None] = {}
    out: list[Predication] = []
    main = {h.i for h in content_heads(toks)}
    for tok in sorted(preds, key=lambda t: (t.i not in main, t.i)):
        subject: str | None = None
        objects: list[str] = []
        negated = any(_negator(c) for c in tok.children) and not _not_until(tok)
        for child in tok.children:
            dep = child.dep_
            if dep in {"nsubj", "nsubjpass"}:
                if child.lower_ in _RELATIVE_PRONOUNS and tok.dep_ == "relcl":
                    subject = _antecedent(tok, refer)
                elif child.lower_ in {"i", "we"} and claimant:
                    subject = fold(claimant)
                elif not (child.lower_ == "it" and _expletive(tok)):
                    subject = refer.subject(child)
                negated = negated or _no_determiner(child)
            elif dep in {"dobj", "attr", "oprd", "dative", "acomp"}:
                if child.lower_ in _RELATIVE_PRONOUNS and tok.dep_ == "relcl":
                    for noun in _phrase_nouns(tok.head):
                        objects.extend(_participant(noun, refer.name_of))
                else:
                    objects.extend(_participant(child, refer.name_of))
                negated = negated or _no_determiner(child)
            elif dep in {"prep", "agent"}:
                for g in child.children:
                    if g.dep_ == "pobj":
                        objects.extend(_participant(g, refer.name_of))
        node = tok
        while subject is None and node.dep_ in {"conj", "xcomp", "acomp"} and node.head != node:
            node = node.head  # "is valid and has never been suspended": the licence
            subject = subjects.get(node.i)
        if subject is None and tok.dep_ == "acl" and tok.tag_ == "VBN":
            subject = refer.subject(tok.head)  # "69 tornadoes confirmed": the tornadoes
        subjects[tok.i] = subject
        hedged = any(
            c.lower_ in lx.HEDGE_WORDS or c.lemma_.lower() in lx.HEDGE_WORDS
            for c in tok.children
            if c.dep_ in {"aux", "advmod"}
        )
        dates = owner.get(tok.i, [])
        point = resolve_point(dates[0], published, future=future) if dates else None
        out.append(
            Predication(
                event=event_of(tok),
                subject=subject,
                objects=sorted({o for o in objects if o and o not in lx.WEAK_TERMS}),
                negated=negated,
                passive=any(c.dep_ in {"auxpass", "nsubjpass"} for c in tok.children),
                hedged=hedged,
                generic=tok.tag_ in {"VBZ", "VBP"}
                and not any(c.dep_ in {"aux", "auxpass"} for c in tok.children),
                time=point,
                time_text=dates[0] if dates else "",
            )
        )
    return out


def _antecedent(clause: Token, refer: Referents) -> str | None:
    """What a relative clause is said of: its noun, or, when the noun defines the subject of
    a copula ("X is a protein that binds Y", "X is a type of cell that..."), that subject."""
    noun = clause.head
    node = noun
    if node.dep_ == "pobj" and node.head.dep_ == "prep" and node.head.head.dep_ == "attr":
        node = node.head.head
    if node.dep_ == "attr" and node.head.lemma_ == "be":
        subject = next((c for c in node.head.children if c.dep_ == "nsubj"), None)
        if subject is not None:
            return refer.subject(subject)
    return refer.subject(noun)


def _phrase_nouns(noun: Token) -> list[Token]:
    """The nouns of the noun phrase a relative clause closes, last first: the parser hangs
    "which" on the nearest noun ("a chart of the coast by X, which the city bought" on X),
    but the pronoun may stand for any noun of the phrase, the first ("a chart") most often."""
    out = [noun]
    node = noun
    while (
        node.dep_ == "pobj"
        and node.head.dep_ == "prep"
        and node.head.head.pos_ in {"NOUN", "PROPN"}
        and len(out) < 4
    ):
        node = node.head.head
        out.append(node)
    return out


def _no_determiner(tok: Token) -> bool:
    """ "no warning", "nothing", "nobody", "not one driver", "not a single complaint": an
    argument that denies its predicate ("not all drivers" denies nothing of them all)."""
    if tok.lower_ in {"nothing", "nobody", "none", "no one"}:
        return True
    if any(g.lower_ == "no" and g.dep_ == "det" for g in tok.children):
        return True
    return _not_one(tok)


def _not_one(tok: Token) -> bool:
    """ "not one N", "not a single N": a "not" on the noun, or on its "one", with one or "a
    single" counting it."""
    one = [g for g in tok.children if g.dep_ == "nummod" and g.lower_ == "one"]
    single = any(g.lower_ == "single" for g in tok.children) and any(
        g.lower_ == "a" and g.dep_ == "det" for g in tok.children
    )
    nots = [g for g in (*tok.children, *(c for o in one for c in o.children)) if g.dep_ == "neg"]
    return bool(nots) and (bool(one) or single)


def word_of(tok: Token) -> str:
    """A token's lemma, joined with the words a hyphen ties it to ("lay-off")."""
    doc = tok.doc
    i = tok.i
    hyphen = i >= 2 and doc[i - 1].text == "-"
    if hyphen and not doc[i - 2].whitespace_ and not doc[i - 1].whitespace_:
        return f"{doc[i - 2].lower_}-{lemma_of(tok)}"
    return lemma_of(tok)


def lemma_of(tok: Token) -> str:
    """A token's lemma, lower-case; for a plural in "-ses" that spaCy cut to "-s" ("doses"
    to "dos"), the "-se" singular when both are nouns it knows and the "-s" form is itself
    the plural of a noun it knows ("dos" of "do"): "lenses" stays "lens" ("len" is none)."""
    lemma = tok.lemma_.lower()
    if tok.tag_ != "NNS" or not lemma.endswith("s") or tok.lower_ != lemma + "es":
        return lemma
    nouns = _noun_index()
    single = tok.lower_[:-1]
    return single if single in nouns and lemma[:-1] in nouns else lemma


@lru_cache(maxsize=1)
def _noun_index() -> frozenset[str]:
    """The nouns spaCy's English lemmatizer knows (its own table; the model is loaded)."""
    from agent.backends.offline.nlp import load_nlp

    lemmatizer = load_nlp().get_pipe("lemmatizer")
    return frozenset(lemmatizer.lookups.get_table("lemma_index")["noun"])


def _one_of_those_who(main: Token) -> Token:
    """ "X was one of the six who did not attend" says X did not attend: the relative
    clause's verb is the predicate."""
    if main.lemma_.lower() != "be":
        return main
    for attr in (c for c in main.children if c.dep_ == "attr"):
        members = [attr, *(g for p in attr.children if p.dep_ == "prep" for g in p.children)]
        for member in members:
            for clause in member.children:
                if clause.dep_ == "relcl" and clause.pos_ == "VERB":
                    return clause
    return main


def _arguments(head: Token) -> list[Token]:
    """The subject, objects and prepositional objects of a predicate (one level down)."""
    out: list[Token] = []
    if head.pos_ == "ADP":  # a prepositional phrase heading the content: its object
        return [g for g in head.children if g.dep_ == "pobj"]
    for child in head.children:
        if child.dep_ in _SUBJECTS or child.dep_ in _OBJECTS or child.dep_ == "compound":
            out.append(child)
        elif child.dep_ in {"prep", "agent"}:
            out.extend(g for g in child.children if g.dep_ == "pobj")
    if head.pos_ in {"NOUN", "PROPN"}:
        out.append(head)
    return out


def _dated(tok: Token) -> bool:
    """The token is part of a written date, whatever the tagger called it."""
    if not tok.ent_type_:
        return False
    doc, start, end = tok.doc, tok.i, tok.i + 1
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1  # the entity's own bounds, not a scan of the whole document's entities
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    span = doc[start:end]
    return _date_label(span) is not None


def _participant(tok: Token, name_of: NameOf | None) -> list[str]:
    if not _worded(tok):
        return []
    if tok.ent_type_ and _dated(tok):
        return []  # "renewed on 9 September 2023": a date, not what was renewed
    if tok.lower_ in lx.PERSON_PRONOUNS:
        name = name_of(tok) if name_of else None
        return _forms(name) if name else []
    if tok.ent_type_ in _NAME_ENTS:
        return _name_forms(tok)
    if tok.pos_ not in {"NOUN", "PROPN", "ADJ"} or (tok.is_stop and "-" not in word_of(tok)):
        return []  # a stop word, unless it ends a hyphenated noun ("the break-in")
    if tok.pos_ == "PROPN":
        return _forms(tok.text)
    forms = [canon_noun(fold(word_of(tok)))]
    forms += [canon_noun(fold(c.lemma_)) for c in tok.children if c.dep_ == "compound"]
    return forms


def _name_forms(tok: Token) -> list[str]:
    """The whole entity a token belongs to, lower-case, and its last word."""
    ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
    text = ent.text if ent is not None else tok.text
    return _forms(re.sub(r"^the\s+|['’]s$", "", text, flags=re.IGNORECASE))


def fold(text: str) -> str:
    """Lower-case, with accents and modifier letters dropped: "Muḥammad" and "Muhammad" are
    one name, as are "ʿAlī" and "Ali"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(
        c
        for c in decomposed
        if not unicodedata.combining(c) and unicodedata.category(c) not in {"Lm", "Sk"}
    )


def _forms(name: str) -> list[str]:
    """The forms a name is matched by: the whole (folded), the part before "of" ("X III of
    Y" is "X III"), the last two words of a longer name and the last word."""
    words = fold(name).split()
    while words and words[-1] in {"of", "the", "and"}:
        words.pop()  # a name cut short by the tagger ("X III of")
    lowered = " ".join(words)
    out = [lowered]
    if " of " in lowered:
        out.append(lowered.split(" of ")[0])
    elif len(words) > 2:
        out.append(" ".join(words[-2:]))
    if len(words) > 1:
        out.append(words[-1])
    return out


def _agent(main: Token, name_of: NameOf | None, claimant: str | None = None) -> str | None:
    subjects = [c for c in main.children if c.dep_ == "nsubj"]
    if subjects and subjects[0].lower_ in {"i", "we"} and claimant:
        return fold(claimant)  # "I back it", quoted: the speaker
    if not subjects:
        agents = [g for c in main.children if c.dep_ == "agent" for g in c.children]
        subjects = [g for g in agents if g.dep_ == "pobj"]
    if not subjects:
        return None
    forms = _participant(subjects[0], name_of)
    return forms[0] if forms else None


# --- polarity, modality, positions ---------------------------------------------------------


def _polarity(heads: list[Token], frame: ClaimFrame) -> None:
    """Negation of the main predicate only: "did not talk about X" is negative, a "not" deep
    inside a subordinate clause is not; "no contract was signed" is too."""
    verbs = [h for h in heads if h.pos_ in {"VERB", "AUX", "ADJ"}]
    for head in [_one_of_those_who(h) for h in (verbs or heads)[:1]]:
        # only the main predicate: "discussed, but no deal was reached" is not negated
        negs = [c for c in head.children if _negator(c)]
        negs += [
            c
            for c in head.children
            if c.dep_ in {"dobj", "nsubj", "nsubjpass", "attr"} and _no_determiner(c)
        ]
        if negs and not _not_until(head):
            frame.negated = True
            return


def _not_until(verb: Token) -> bool:
    """ "did not arrive until 3 p.m.": the negation bounds the time, it does not deny the
    event, which happened then ("not" with "until" or "till" on one predicate)."""
    return any(c.dep_ == "neg" and c.lower_ in {"not", "n't"} for c in verb.children) and any(
        c.lower_ in {"until", "till"} and c.dep_ in {"prep", "mark", "advmod"}
        for c in verb.children
    )


def _negator(child: Token) -> bool:
    """ "not", "never", "no longer" on a predicate."""
    if child.dep_ == "neg" or child.lower_ == "never":
        return True
    return child.lower_ == "longer" and any(g.lower_ == "no" for g in child.children)


def _absent(toks: list[Token], frame: ClaimFrame) -> None:
    """ "with no glue", "without refrigeration": a thing said to be missing."""
    found: list[str] = []
    for tok in toks:
        if tok.dep_ != "pobj" or tok.pos_ != "NOUN":
            continue
        prep = tok.head.lower_
        if prep == "without" or (
            prep == "with" and any(c.lower_ == "no" and c.dep_ == "det" for c in tok.children)
        ):
            found.append(canon_noun(tok.lemma_.lower()))
    frame.absent = sorted(set(found))


def _anchor_cues(anchor: Token | None, frame: ClaimFrame) -> None:
    if anchor is None:
        return
    lemma = anchor.lemma_.lower()
    objects = [c for c in anchor.children if c.dep_ in {"dobj", "ccomp", "prep"}]
    about_claim = any(
        c.dep_ == "ccomp" or any(t.lemma_.lower() in lx.CLAIM_NOUNS for t in c.subtree)
        for c in objects
    )
    # "deny" always denies; "reject"/"dismiss" deny only a claim ("rejected the report that"),
    # otherwise they take a position ("rejected the proposal").
    if lemma in lx.ALWAYS_DENIAL_VERBS or (lemma in lx.DENIAL_VERBS and about_claim):
        frame.denies = True
        return
    negated = any(c.dep_ == "neg" for c in anchor.children)
    if lemma in lx.SUPPORT_VERBS:
        frame.position = "oppose" if negated else "support"
    elif lemma in lx.OPPOSE_VERBS:
        frame.position = "support" if negated else "oppose"


def _position(
    heads: list[Token], frame: ClaimFrame, refer: Referents, claimant: str | None
) -> None:
    """ "X said she supports the plan"; a position taken by the anchor itself wins. The
    holder is the position verb's subject ("I" the claimant)."""
    if frame.position is not None or frame.denies:
        return
    for head in heads:
        lemma = head.lemma_.lower()
        negated = any(_negator(c) for c in head.children)
        if head.pos_ == "VERB" and lemma in lx.SUPPORT_VERBS:
            frame.position = "oppose" if negated else "support"
        elif head.pos_ == "VERB" and lemma in lx.OPPOSE_VERBS:
            frame.position = "support" if negated else "oppose"
        else:
            continue
        subject = next((c for c in head.children if c.dep_ == "nsubj"), None)
        if subject is not None and subject.lower_ in {"i", "we"}:
            frame.holder = fold(claimant) if claimant else None
        elif subject is not None:
            frame.holder = refer.subject(subject)
        return


def _dispute(toks: list[Token], lower: str, frame: ClaimFrame) -> None:
    lemmas = {t.lemma_.lower() for t in toks}
    if lemmas & lx.DISPUTE_LEMMAS or _has_phrase(lower, lx.DISPUTE_PHRASES):
        frame.disputes = True
        frame.disputes_previous = any(
            t.lemma_.lower() in lx.CLAIM_NOUNS or t.lower_ in {"that", "this", "it"}
            for t in toks[:6]
        )


def _modality(
    toks: list[Token], lower: str, anchor: Token | None, heads: list[Token], frame: ClaimFrame
) -> None:
    # A modal inside a relative clause qualifies that clause, not the claim: "on Friday, the
    # last day on which a request could be made" states a date without hedging it.
    # "May" the month is no modal: only a token the tagger reads as one hedges with it.
    lemmas = {
        t.lemma_.lower()
        for t in toks
        if not _in_relative_clause(t, heads) and (t.lower_ != "may" or t.tag_ == "MD")
    }
    if anchor is not None:
        lemmas.add(anchor.lemma_.lower())
    frame.hedged = bool(lemmas & lx.HEDGE_WORDS) or _has_phrase(lower, lx.HEDGE_PHRASES) is not None
    frame.conditional = any(
        t.lower_ in lx.CONDITIONAL_MARKERS and t.dep_ in {"mark", "prep", "amod", "advmod", "acomp"}
        for t in toks
    )


def _outlook(toks: list[Token], anchor: Token | None, heads: list[Token]) -> bool:
    """The claim says what its speaker expects, intends or advises (lexicon.OUTLOOK_WORDS),
    outside a relative clause ("the plan that we expected" tells of a plan, not an
    expectation)."""
    if anchor is not None and anchor.lemma_.lower() in lx.OUTLOOK_WORDS:
        return True
    return any(
        t.lemma_.lower() in lx.OUTLOOK_WORDS and not _in_relative_clause(t, heads) for t in toks
    )


def _looks_forward(toks: list[Token], anchor: Token | None) -> bool:
    """The claim tells what its speaker expects or means to happen: a verb of expecting or
    intending in the present tense with a clause after it ("we expect the road to reopen by
    Thursday", "the council hopes to finish by Friday"). Its bare weekday is then the next
    one, as after "will"; "had expected it to reopen by Thursday" tells of the past."""
    candidates = [*toks, *([anchor] if anchor is not None else [])]
    return any(
        t.lemma_.lower() in lx.FORWARD_VERBS
        and t.tag_ in {"VBP", "VBZ"}
        and any(_infinitive(c) for c in t.children)
        for t in candidates
    )


def _infinitive(tok: Token) -> bool:
    """A complement told in the infinitive ("to reopen"): what is to come, unlike "that the
    suspect fled"."""
    return tok.dep_ in {"xcomp", "ccomp"} and tok.tag_ == "VB"


def _in_relative_clause(tok: Token, heads: list[Token]) -> bool:
    """The token sits in a relative clause below the claim's main predicates."""
    main = {h.i for h in heads}
    node = tok
    for _ in range(12):
        if node.i in main or node.head == node:
            return False
        if node.dep_ in {"relcl", "acl"} and node.pos_ in {"VERB", "AUX"}:
            return True
        node = node.head
    return False


# --- scope, compliance, cause ---------------------------------------------------------------


def _scope_word(tok: Token) -> str | None:
    """ "exclusive" for "only"/"just"/"limited", "inclusive" for "also"/"too"/"including"."""
    word = tok.lower_
    if word in {"only", "solely", "exclusively", "merely"}:
        return "exclusive"
    if word == "just" and tok.dep_ == "advmod" and tok.head.pos_ in {"VERB", "NOUN"}:
        return "exclusive"
    if word == "limited" and tok.dep_ == "amod":
        return "exclusive"
    if word in lx.EXCLUSIVE_PLACE_WORDS:
        return "exclusive"  # "endemic to X": found only in X
    if (word in {"too", "also"} and tok.dep_ == "advmod") or word == "including":
        return "inclusive"
    if _universal(tok):
        return "universal"
    return None


_UNIVERSAL_DETS = frozenset({"all", "every", "both"})
_UNIVERSAL_ADJS = frozenset({"entire", "whole"})


def _universal(tok: Token) -> bool:
    """ "every part of X", "all wards", "both spans", "the entire line", "the whole town": a
    quantifier over all of a thing, not over a stretch of time ("all day", "the whole
    night": see THROUGHOUT_PHRASES) and not negated ("not all wards")."""
    word, noun = tok.lower_, tok.head
    if word == "all" and tok.dep_ in _SUBJECTS:
        # "All of the wards were closed": the quantifier heads its "of" phrase.
        noun = next((g for c in tok.children if c.lower_ == "of" for g in c.children), tok)
    elif word in _UNIVERSAL_DETS:
        if tok.dep_ not in {"det", "predet", "preconj"}:
            return False
    elif word not in _UNIVERSAL_ADJS or tok.dep_ != "amod":
        return False
    if noun.pos_ not in {"NOUN", "PROPN"} or noun.like_num or noun.ent_type_ in _TIME_ENTS:
        return False
    if lemma_of(noun) in lx.TIME_UNITS or lemma_of(noun) in lx.PERIOD_NOUNS:
        return False
    before = [c for c in noun.children if c.i < tok.i]  # "not all wards", not "..., not just"
    return not any(c.dep_ == "neg" or c.lower_ == "not" for c in (*tok.children, *before))


def _scope(toks: list[Token], lower: str, frame: ClaimFrame) -> None:
    cues: list[ScopeCue] = []
    for tok in toks:
        kind = _scope_word(tok)
        if kind == "exclusive" and ("not only" in lower or "not just" in lower):
            continue
        if kind is not None:
            head = tok.head
            if head.pos_ == "ADP":  # "applies only to the north": restricts "north", "apply"
                head = next((c for c in head.children if c.dep_ == "pobj"), head)
            heads = [_slot_canon(head, head.lemma_.lower())]
            if head.pos_ in {"NOUN", "PROPN"}:  # "covered only road repairs": "cover" too
                for up in dict.fromkeys([head.head, _clause_verb(head)]):
                    heads.append(_slot_canon(up, up.lemma_.lower()))
            domain = _scope_domain(head)
            cues.append(
                ScopeCue(
                    kind=kind,
                    heads=heads,
                    places=_scope_places(tok),
                    part=_narrowed(head),
                    undergoes=_undergoes(head),
                    domain=domain,
                )
            )
    cues += _excluded(toks)
    if _has_phrase(lower, lx.EXCLUSIVE_PHRASES):
        cues.append(ScopeCue(kind="exclusive"))
    if _has_phrase(lower, lx.INCLUSIVE_PHRASES) or "not just" in lower:
        cues.append(ScopeCue(kind="inclusive"))
    frame.scope = cues


def _narrowed(noun: Token) -> bool:
    """A noun narrowed to part of its kind: an adjective, a number, a noun before it, or a
    phrase or clause after it other than "of" ("the northern span", "two lanes", "properties
    east of X", "houses that face the river")."""
    if noun.pos_ not in {"NOUN", "PROPN"}:
        return False
    return any(
        c.dep_ in {"amod", "nummod", "compound", "relcl", "acl", "advmod", "npadvmod"}
        or (c.dep_ == "prep" and c.lower_ != "of")
        for c in noun.children
    )


def _undergoes(noun: Token) -> bool:
    """The noun is what its verb is done to or happens to: its object, its passive subject,
    or the subject of a verb with no object; not the recipient of a verb with an object of
    its own ("all customers were sent an apology", "every member received a letter")."""
    if noun.pos_ not in {"NOUN", "PROPN"}:
        return True  # a verb or a phrase: the whole clause is restricted
    verb = noun.head
    if verb.pos_ not in {"VERB", "AUX"}:
        return True
    if noun.dep_ in {"dobj", "attr", "pobj", "conj", "appos"}:
        return True
    if noun.dep_ in {"nsubj", "nsubjpass"}:
        return not any(c.dep_ == "dobj" for c in verb.children)
    return False  # a dative: "sent all customers an apology"


def _clause_verb(tok: Token) -> Token:
    """The verb whose clause holds `tok` (the token itself when it hangs on no verb)."""
    node = tok
    for _ in range(8):
        if node.pos_ in {"VERB", "AUX"} or node.head == node:
            break
        node = node.head
    return node if node.pos_ in {"VERB", "AUX"} else tok.head


def _scope_domain(head: Token) -> list[str]:
    """What a scope word speaks of: the things and names in the phrase it restricts and, for
    a restricted object ("this shipment serves only the south"), the subject whose reach it
    is ("shipment")."""
    nodes = list(head.subtree)
    verb = _clause_verb(head)
    if verb is not head and head.dep_ not in _SUBJECTS:
        nodes += [t for c in verb.children if c.dep_ in _SUBJECTS for t in c.subtree]
    if head.pos_ in {"VERB", "AUX"}:  # "the app also went down": the clause's own things
        nodes = list(head.subtree)
    found: list[str] = []
    for tok in nodes:
        if tok.ent_type_ and tok.ent_type_ in _NAME_ENTS:
            found.append(_name_forms(tok)[0])
        elif tok.pos_ in {"NOUN", "PROPN"} and not tok.is_stop:
            found.append(canon_noun(fold(word_of(tok))))
    return sorted(set(found))


def _excluded(toks: list[Token]) -> list[ScopeCue]:
    """ "X was not affected", "the order does not cover Y": a negated verb of reach
    (lexicon.EXTENT_VERBS) puts what it is said of outside the matter's scope, as "only"
    puts everything else outside."""
    out: list[ScopeCue] = []
    for verb in toks:
        lemma = canon(verb.lemma_.lower())
        if verb.pos_ != "VERB" or lemma not in lx.EXTENT_VERBS:
            continue
        if not any(_negator(c) for c in verb.children):
            continue
        deps = {"nsubjpass"} if verb.tag_ == "VBN" else {"dobj", "nsubjpass"}
        for arg in (c for c in verb.children if c.dep_ in deps or c.dep_ == "prep"):
            head = next((g for g in arg.children if g.dep_ == "pobj"), arg)
            if head.pos_ not in {"NOUN", "PROPN"}:
                continue
            heads = [_slot_canon(head, head.lemma_.lower()), lemma]
            out.append(ScopeCue(kind="exclusive", heads=heads, domain=_scope_domain(head)))
    return out


def _scope_places(tok: Token) -> list[str]:
    """The named places a scope word's clause confines or extends to: "only in X", "endemic
    to X", "has also been reported from Y"."""
    clause = tok.head
    while clause.pos_ not in {"VERB", "AUX"} and clause.head != clause:
        clause = clause.head
    found: list[str] = []
    for node in [tok, clause]:
        for prep in (c for c in node.children if c.dep_ == "prep" and c.lower_ in _PLACE_PREPS):
            for obj in (g for g in prep.children if g.dep_ == "pobj"):
                for part in [obj, *(c for c in obj.children if c.dep_ == "conj")]:
                    if part.ent_type_ in _PLACE_ENTS or part.pos_ == "PROPN":
                        found.append(_name_forms(part)[0] if part.ent_type_ else fold(part.text))
    return sorted(set(found))


def _compliance(toks: list[Token], lower: str, frame: ClaimFrame) -> list[Token]:
    """Sets frame.compliance and frame.norms; returns the acts the cues are told of (the
    compliance words' own tokens, or the act done "as the law requires"), for _complier."""
    kept = _has_phrase(lower, lx.COMPLY_PHRASES) is not None
    broken = said_kept = False
    acts: list[Token] = []
    for tok in toks:
        lemma = tok.lemma_.lower()
        if tok.pos_ not in {"VERB", "NOUN"} or _asked_whether(tok):
            continue
        negated = _denied_here(tok) or any(
            a.lemma_.lower() in lx.FAIL_WORDS for a in tok.ancestors if tok.i - 4 <= a.i < tok.i
        )
        if lemma in lx.COMPLY_VERBS and tok.pos_ == "VERB":
            broken, kept = (True, kept) if negated else (broken, True)
            said_kept = said_kept or not negated
            frame.norms += _norms_of(tok)
            acts.append(tok)
        elif (
            lemma in lx.BREACH_VERBS
            and not any(c.dep_ == "prt" for c in tok.children)
            and not _hyphen_compound(tok)
            and (tok.pos_ == "VERB" or (lemma == "breach" and _breach_of(tok)))
        ):  # "a break-in", "a lunch break": no rule broken
            kept, broken = (True, broken) if negated else (kept, True)
            frame.norms += _norms_of(tok)
            acts.append(tok)
    if kept:  # "in line with the maker's schedule": the rule the phrase names
        frame.norms += [
            lemma_of(t)
            for t in toks
            if lemma_of(t) in lx.NORM_NOUNS
            and t.dep_ == "pobj"
            and t.head.lower_ == "with"
            and t.head.head.lemma_.lower() in _COMPLY_PHRASE_NOUNS
        ]
    norm_kept, norm_broken = _norm_cues(toks, frame, acts)
    if norm_broken and not said_kept:
        # "failed to act in line with the rules", "did not give notice as the law requires":
        # what was due is what is said to be left undone.
        broken, kept = True, False
    elif norm_kept or norm_broken:
        kept, broken = kept or norm_kept, broken or norm_broken
    if kept != broken:
        frame.compliance = "kept" if kept else "broken"
    frame.norms = sorted(set(frame.norms))
    return acts


def _complier(acts: list[Token], refer: Referents, claimant: str | None) -> str | None:
    """Who kept or broke the rule: the active subject of the first act a compliance cue is
    told of ("the builders broke the limits"; "I", "we" the claimant); for an act in an
    infinitive, the one told to do it ("ordered the builders to adhere": the builders) or,
    with no object, the subject above ("the union failed to give notice"). None when the
    act is passive or a noun ("the procedure was not followed", "in breach of")."""
    for act in acts:
        if act.pos_ != "VERB":
            continue
        subject = next((c for c in act.children if c.dep_ == "nsubj"), None)
        if subject is None and act.dep_ == "xcomp":
            told = [c for c in act.head.children if c.dep_ in {"dobj", "dative"}]
            subject = (
                told[0] if told else next((c for c in act.head.children if c.dep_ == "nsubj"), None)
            )
        if subject is None:
            continue
        if subject.lower_ in {"i", "we"}:
            return fold(claimant) if claimant else None
        party = refer.subject(subject)
        if party:
            return party
    return None


def _breach_of(noun: Token) -> bool:
    """A breach of something ("in breach of the rules", "a breach of the order"), not a
    breach suffered or found ("found the breach", "a data breach"): a security or
    temperature breach breaks no rule by the words alone."""
    return any(c.dep_ == "prep" and c.lower_ == "of" for c in noun.children) or (
        noun.head.lower_ == "in" and noun.dep_ == "pobj"
    )


_COMPLY_PHRASE_NOUNS = frozenset(["accordance", "line", "compliance", "keeping"])


def _denied_here(tok: Token) -> bool:
    """The word itself is negated: "not", "never", or a "no" argument ("nobody broke it")."""
    return any(
        _negator(c) or (c.dep_ in {"nsubj", "nsubjpass", "dobj"} and _no_determiner(c))
        for c in tok.children
    )


def _asked_whether(tok: Token) -> bool:
    """The word sits in a clause asked about, not asserted: "has not said whether it
    complied"."""
    node = tok
    for _ in range(8):
        if any(c.dep_ == "mark" and c.lower_ in {"whether", "if"} for c in node.children):
            return True
        if node.head == node:
            return False
        node = node.head
    return False


def _norms_of(tok: Token) -> list[str]:
    """The rules of conduct a compliance word governs: its objects, passive subject and
    prepositional objects (one level down), and their compounds, when they name a rule."""
    found: list[str] = []
    for arg in _arguments(tok):
        # "all of its procedures": the rules are the partitive's
        whole = [
            g for c in arg.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children
        ]
        for part in [arg, *whole, *(c for c in arg.children if c.dep_ in {"compound", "conj"})]:
            word = lemma_of(part)
            if word in lx.NORM_NOUNS:
                found.append(word)
    return found


def _norm_cues(toks: list[Token], frame: ClaimFrame, acts: list[Token]) -> tuple[bool, bool]:
    """Compliance told without a compliance verb, as (kept, broken): a rule of conduct
    followed, observed or met ("the protocols were followed", "met every standard"), or an
    act done "as the law requires", keeps it; the same negated ("the procedure was not
    followed"), or an act that was due left undone ("missed its inspection", "the check was
    skipped", "failed to give notice"), breaks it. The rules named go to `frame.norms`."""
    kept = broken = False
    for tok in toks:
        if tok.pos_ != "VERB" or _asked_whether(tok):
            continue
        lemma = tok.lemma_.lower()
        denied = _denied_here(tok)
        if lemma in lx.NORM_KEEP_VERBS and (norms := _norms_of(tok)):
            frame.norms += norms
            kept, broken = (kept, True) if denied else (True, broken)
            acts.append(tok)
        elif lemma in lx.REQUIRE_VERBS and _as_required(tok):
            norms = _norms_of(tok)
            if norms:
                frame.norms += norms
                # "did not give notice, as the law requires": the act required was not done.
                act = tok.head
                kept, broken = (kept, True) if _denied_here(act) else (True, broken)
                acts.append(act)
        elif _left_undone(tok):
            kept, broken = (True, broken) if denied else (kept, True)
            acts.append(tok)
    return kept, broken


def _as_required(tok: Token) -> bool:
    """ "as the law requires", "as required by the code": the requirement hangs on an act."""
    return tok.head != tok and any(
        c.lower_ == "as" and c.dep_ in {"mark", "advmod", "prep"} for c in tok.children
    )


def _left_undone(tok: Token) -> bool:
    """An act that was due said to be left undone: "missed its annual inspection", "the
    check was skipped", "failed to give notice" (the failed act takes an object: "the
    siren failed to sound" tells of a fault, not of a duty left undone)."""
    lemma = tok.lemma_.lower()
    if lemma in lx.FAIL_TO_VERBS:
        for act in (c for c in tok.children if c.dep_ == "xcomp" and c.pos_ == "VERB"):
            if any(g.dep_ in {"dobj", "dative"} for g in act.children):
                return True
    if lemma not in lx.OMIT_VERBS:
        return False
    passive = any(c.dep_ == "auxpass" for c in tok.children)
    done_to = [c for c in tok.children if c.dep_ == ("nsubjpass" if passive else "dobj")]
    return any(_missable(c) or lemma != "miss" for c in done_to)


def _missable(tok: Token) -> bool:
    """The noun names something done (an inspection, a check, a payment) or a rule or a
    deadline: what can be missed as a duty ("missed the bus" names neither)."""
    word = lemma_of(tok)
    return (
        word in lx.NORM_NOUNS
        or word in lx.NOMINALISATIONS
        or word == "deadline"
        or names_an_act(word)
    )


def _hyphen_compound(tok: Token) -> bool:
    """The token opens a hyphenated word ("break" in "break-in")."""
    doc = tok.doc
    return (
        tok.i + 2 < len(doc)
        and not tok.whitespace_
        and doc[tok.i + 1].text == "-"
        and not doc[tok.i + 1].whitespace_
    )


def _cause(toks: list[Token], lower: str, frame: ClaimFrame) -> None:
    words = {t.lower_ for t in toks} | {t.lemma_.lower() for t in toks}
    deliberate = bool(words & lx.DELIBERATE_WORDS) or bool(
        _has_phrase(lower, lx.DELIBERATE_PHRASES)
    )
    accidental = bool(words & lx.ACCIDENTAL_WORDS) or bool(
        _has_phrase(lower, lx.ACCIDENTAL_PHRASES)
    )
    if deliberate != accidental:
        frame.cause = "deliberate" if deliberate else "accidental"


# --- quantities, time, places ---------------------------------------------------------------

_MONTH_PREFIXES = frozenset(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
)
_NUM_RE = re.compile(r"^\d[\d,]*(\.\d+)?$")
_DURATION = re.compile(
    r"((about|around|nearly|almost|some|roughly|more than|less than|over|under|up to|"
    r"at least|within|for)\s+)*"
    r"(\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"a couple of|several|a few)\s*-?\s*"
    r"(second|minute|hour|day|week|month|year|decade)s?(\s+long)?",
)


def _number_value(tok: Token) -> float | None:
    text = tok.lower_.replace(",", "")
    if _NUM_RE.match(tok.lower_):
        return float(text)
    return float(lx.NUMBER_WORDS[text]) if text in lx.NUMBER_WORDS else None


def quantities(tokens: Sequence[Token]) -> list[Quantity]:
    """Numbers with their units: "30-day" -> 30 day, "around an hour" -> ~1 hour."""
    return [q for q, _ in _quantities(tokens)]


def _quantities(tokens: Sequence[Token]) -> list[tuple[Quantity, Token]]:
    """The quantities, each with its number's token."""
    found: list[tuple[Quantity, Token]] = []
    token_set = {t.i for t in tokens}
    for tok in tokens:
        if tok.lower_ in {"a", "an"}:
            # "an hour" is a quantity only as a duration ("for an hour", "under an hour").
            nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
            if nxt is None or nxt.lemma_.lower() not in lx.TIME_UNITS or tok.dep_ != "nummod":
                continue
        elif tok.like_num is False and tok.lower_ not in lx.NUMBER_WORDS:
            continue
        if tok.lower_ in {"half", "quarter"} and tok.dep_ != "nummod":
            continue
        if tok.lower_ in lx.SCALE_WORDS and any(
            c.dep_ == "compound" and c.like_num for c in tok.children
        ):
            continue  # "hundred" in "two hundred pages" was read with its "two"
        value = _number_value(tok)
        if value is None:
            continue
        if tok.ent_type_ == "DATE" and re.fullmatch(r"1\d{3}|20\d{2}", tok.text):
            continue  # "the 1527 expedition" is dated, not 1,527 expeditions
        unit_tok = tok.head if tok.dep_ in {"nummod", "quantmod"} else None
        if tok.dep_ == "compound" and tok.head.lower_ in lx.SCALE_WORDS:
            unit_tok = tok.head  # "4.2 million cubic metres": 4.2 hangs on "million"
        if unit_tok is None and tok.i + 2 < len(tok.doc) and tok.nbor(1).text == "-":
            unit_tok = tok.nbor(2)
        nxt_i = tok.i + 1
        if nxt_i in token_set and tok.doc[nxt_i].lower_ in lx.SCALE_WORDS:
            value *= lx.SCALE_WORDS[tok.doc[nxt_i].lower_]
        if unit_tok is not None and unit_tok.lower_ in lx.SCALE_WORDS:
            unit_tok = unit_tok.head if unit_tok.head != unit_tok else None
        if unit_tok is None and tok.dep_ in {"nsubj", "nsubjpass"} and tok.head.pos_ == "VERB":
            part = _partitive(tok)
            if part is not None:
                unit_tok = part  # "two of the passengers died" counts passengers
            elif tok.head.lemma_.lower() not in lx.SPEECH_VERBS and tok.ent_type_ != "DATE":
                # "Four survived", "three were killed": a count of those who did it
                approx = any(
                    tok.doc[j].lower_ in lx.APPROX_WORDS for j in range(max(tok.i - 2, 0), tok.i)
                )
                bound = bound_of(tok.doc[max(tok.i - 3, 0) : tok.i].text)
                start = max(tok.i - 2, 0) if approx or bound else tok.i
                quantity = Quantity(
                    text=tok.doc[start : tok.i + 1].text,
                    value=value,
                    unit=f"those who {event_of(tok.head)}",
                    approximate=approx,
                    bound=bound,
                )
                found.append((quantity, tok))
                continue
        if unit_tok is None or unit_tok.pos_ not in {"NOUN", "PROPN"}:
            continue
        if unit_tok.lower_[:3] in _MONTH_PREFIXES or tok.ent_type_ == "ORDINAL":
            continue  # "March 11" is a date, not eleven of something
        if unit_tok.ent_type_ == "TIME" and unit_tok.lemma_.lower() not in lx.TIME_UNITS:
            continue  # "9 a.m." is a clock time
        if unit_tok.ent_type_ == "DATE" and unit_tok.lemma_.lower() not in lx.TIME_UNITS:
            continue  # "Friday 5 June": a date, not five Fridays
        approx = any(tok.doc[j].lower_ in lx.APPROX_WORDS for j in range(max(tok.i - 2, 0), tok.i))
        lead = tok.doc[max(tok.i - 3, 0) : tok.i].text
        bound = bound_of(lead)
        start = max(tok.i - 2, 0) if approx or bound else tok.i
        text = tok.doc[start : max(unit_tok.i, tok.i) + 1].text
        quantity = Quantity(
            text=text,
            value=value,
            unit=canon_noun(lemma_of(unit_tok)),
            approximate=approx,
            bound=bound,
        )
        found.append((quantity, tok))
    for tok in tokens:  # "hourlong", "daylong"
        match = re.fullmatch(r"(hour|day|week|month|year)-?long", tok.lower_)
        if match:
            found.append((Quantity(text=tok.text, value=1, unit=match.group(1)), tok))
    return found


def _partitive(number: Token) -> Token | None:
    """The noun after "of" in "two of the passengers", if any."""
    for prep in (c for c in number.children if c.dep_ == "prep" and c.lower_ == "of"):
        for obj in (g for g in prep.children if g.dep_ == "pobj" and g.pos_ == "NOUN"):
            return obj
    return None


def quantities_with_events(tokens: Sequence[Token]) -> tuple[list[Quantity], list[list[str]]]:
    """The quantities, and for each the events it hangs on (see ClaimFrame.quantity_events)."""
    found = _quantities(tokens)
    by_text = {t.i: t for t in tokens}
    events: list[list[str]] = []
    for _, number in found:
        chain: list[str] = []
        node = number if number is not None and number.i in by_text else None
        unit = node.head if node is not None else None
        while unit is not None and unit.lower_ in lx.SCALE_WORDS and unit.head != unit:
            unit = unit.head  # "6.5 million cubic metres": the metres are counted
        if unit is not None and unit.head.dep_ == "prep" and unit.head.lower_ == "by":
            # "rose by two metres" is a change, not a level; "won by 212 votes" a margin
            verb = unit.head.head
            changes = verb.pos_ in {"VERB", "NOUN"} and event_of(verb) in _CHANGE_EVENTS
            chain.append(CHANGE if changes else MARGIN)
        if unit is not None and unit.head.lower_ == "of" and unit.head.head.lemma_ == "margin":
            chain.append(MARGIN)  # "by a margin of 187 votes"
        if node is not None:
            # "350 doses that landed": what the counted things did is their event too.
            for clause in (unit or node.head).children:
                if clause.dep_ in {"relcl", "acl"} and clause.pos_ == "VERB" and _worded(clause):
                    chain.append(event_of(clause))
        verb_seen = False
        while node is not None and node.head != node:
            node = node.head
            if _worded(node) and (
                node.pos_ == "VERB"
                or node.pos_ == "AUX"
                or (node.pos_ == "NOUN" and node.lemma_.lower() in lx.NOMINALISATIONS)
            ):
                event = event_of(node)
                if event not in chain and event not in lx.SPEECH_VERBS:
                    chain.append(event)
                if node.pos_ == "VERB" and not verb_seen:
                    # "nine people were treated for injuries" counts the injured too
                    chain += [e for e in _reason_events(node) if e not in chain]
                verb_seen = verb_seen or node.pos_ == "VERB"
        events.append(chain)
    return [q for q, _ in found], events


def _reason_events(verb: Token) -> list[str]:
    """The events a verb is done for or with, named by a noun: "treated for injuries" is
    injure, "admitted with injuries" too."""
    return [
        canon(lx.NOMINALISATIONS[g.lemma_.lower()])
        for prep in verb.children
        if prep.dep_ == "prep" and prep.lower_ in {"for", "with"}
        for g in prep.children
        if g.dep_ == "pobj" and g.lemma_.lower() in lx.NOMINALISATIONS
    ]


_MONTH_NAMES = (
    r"(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sept?(ember)?"
    r"|oct(ober)?|nov(ember)?|dec(ember)?)\.?"
)
_WRITTEN_DATE = re.compile(
    rf"(\d{{1,2}}(st|nd|rd|th)?\s+{_MONTH_NAMES}(,?\s+\d{{4}})?"
    rf"|{_MONTH_NAMES}\s+\d{{1,2}}(st|nd|rd|th)?(,?\s+\d{{4}})?|{_MONTH_NAMES}\s+\d{{4}})",
    re.IGNORECASE,
)


def _date_label(ent: Span) -> str | None:
    """ "DATE" or "TIME" for a date or time entity, also when the small model gave a written
    date another label ("9 September 2023" tagged as an event); None otherwise."""
    label = ent.label_ or ent.root.ent_type_
    if label in {"DATE", "TIME"}:
        return str(label)
    return "DATE" if _WRITTEN_DATE.fullmatch(ent.text.strip()) else None


def time_point(
    tokens: Sequence[Token], published: date | None, future: bool = False
) -> tuple[str, TimePoint | None]:
    """When the claim says, as written and resolved: its first date expression with the first
    clock time or part of the day, at the granularity the text gives ("", None: no time)."""
    token_set = {t.i for t in tokens}
    dates: list[str] = []
    times: list[str] = []
    for ent in tokens[0].doc.ents if tokens else ():
        label = _date_label(ent) or _clock_label(ent)
        if label is None or ent.start not in token_set:
            continue
        if _DURATION.fullmatch(ent.text.lower().strip(" '’")):
            continue  # a duration ("30-day", "three hours"), not a point in time
        if _names_a_thing(ent):
            continue  # "the 2024 court order" names the order, it does not date the event
        (dates if label == "DATE" else times).append(ent.text)
    if not dates and not times:
        return "", None
    parts = [t for t in times[1:] if t.lower() in _PART_OF_DAY_WORDS]
    if times and times[0].lower() not in _PART_OF_DAY_WORDS and parts:
        times = [times[0], parts[0]]  # "at eleven o'clock on Monday night": the night says pm
    else:
        times = times[:1]
    text = " ".join(dates[:1] + times)
    return text, resolve_point(text, published, future=future)


_PART_OF_DAY_WORDS = frozenset(["morning", "afternoon", "evening", "night"])
_TIME_PREPS = frozenset(["at", "by", "before", "after", "until", "till", "around", "from", "since"])
_CLOCK_TEXT = re.compile(r"(?:[01]?\d|2[0-3]):[0-5]\d|\d{1,2}(?:[.:][0-5]\d)?\s?[ap]\.?m\.?", re.I)


def _clock_label(ent: Span) -> str | None:
    """ "TIME" for a clock time the small model labels a number ("at 21:40", "by 7.45pm"): a
    clock's shape after a preposition of time; None otherwise (a score, a ratio)."""
    if not _CLOCK_TEXT.fullmatch(ent.text.strip()):
        return None
    head = ent.root.head
    return "TIME" if ent.root.dep_ == "pobj" and head.lower_ in _TIME_PREPS else None


def _names_a_thing(ent: Span) -> bool:
    """A date modifying a noun names a thing ("the 2024 court order"), unless the noun is a
    time itself: "Tuesday morning" dates the event to Tuesday."""
    root = ent.root
    if root.dep_ not in {"compound", "nmod", "amod", "nummod"} or root.head.pos_ != "NOUN":
        return False
    head = root.head
    return head.lower_ not in _PART_OF_DAY_WORDS and head.ent_type_ not in {"DATE", "TIME"}


def places(tokens: Sequence[Token]) -> set[str]:
    """Named places: tagged as one, or a proper noun after "in"/"at"/"near"."""
    found: set[str] = set()
    for tok in tokens:
        if tok.ent_type_ in _PLACE_ENTS and tok.ent_iob_ == "B":
            found.add(_name_forms(tok)[0])
        elif (
            tok.pos_ == "PROPN"
            and tok.dep_ == "pobj"
            and tok.head.lower_ in {"in", "at", "near", "outside", "inside"}
            and not _dated(tok)
            and tok.lower_ not in lx.CALENDAR_WORDS
        ):  # "in June", "in September 2026" date the event, they do not place it
            found.add(_name_forms(tok)[0] if tok.ent_type_ else tok.lower_)
    return found


_NAMING_PREPS = frozenset({"of", "in", "at"})


def named_things(tokens: Sequence[Token]) -> set[str]:
    """Common nouns tied to a name ("noun=name", see ClaimFrame.named): a proper noun
    compounded with the noun ("the X grain warehouse") or a named thing after "of", "in" or
    "at" ("shares in Y Industries"). A person named beside a title ("the mayor, Ana Lind")
    is an apposition, not a tie: one mayor however many names the claims give."""
    inside = {t.i for t in tokens}
    found: set[str] = set()
    for tok in tokens:
        if tok.pos_ != "NOUN" or tok.dep_ == "compound":
            continue
        noun = canon_noun(word_of(tok))
        # A name compounded with a common noun names the thing even when it is a person's
        # name ("the Arlen warehouse").
        names = [c for c in tok.children if c.dep_ == "compound" and c.pos_ == "PROPN"]
        for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ in _NAMING_PREPS):
            names += [
                g
                for g in prep.children
                if g.dep_ == "pobj" and g.pos_ == "PROPN" and g.ent_type_ in _THING_ENTS
            ]
        for name in names:
            if name.i in inside and name.ent_type_ not in {"DATE", "TIME"}:
                found.add(f"{noun}={_name_forms(name)[0] if name.ent_type_ else fold(name.text)}")
    return found


def terms(tokens: Sequence[Token]) -> list[str]:
    """Content lemmas and entity names, for pairing claims about the same matter; a word
    with a synonym set also gives the set's word ("vessel" gives "ship" too)."""
    out: list[str] = []
    for tok in tokens:
        if (
            tok.is_stop
            or tok.is_punct
            or tok.like_num
            or tok.pos_ not in {"NOUN", "PROPN", "VERB", "ADJ"}
        ):
            continue
        lemma = lemma_of(tok).strip("-")
        if len(lemma) < 3 or lemma in lx.WEAK_TERMS or lemma in lx.SPEECH_VERBS:
            continue
        out.append(_one_sense_word(lemma) if tok.pos_ == "NOUN" else lemma)
        if _slot_canon(tok, lemma) != lemma:
            out.append(_slot_canon(tok, lemma))
    return out


def _one_sense_word(noun: str) -> str:
    """A noun WordNet knows in one sense only is indexed by that sense (its synset's first
    word), so its synonyms meet in pairing: "attorney" and "lawyer" are both "lawyer". A
    noun of several senses keeps its own spelling: which sense the text means is unknown."""
    if not wordnet.available():
        return noun
    offsets = wordnet.lookup(noun, "n")[1]
    if len(offsets) != 1:
        return noun
    return wordnet.synset_at("n", offsets[0]).words[0].replace("_", " ")
