"""What a claim's words say beyond their topic: polarity, scope, compliance, hedging,
quantities, times and the content terms used for pairing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Token

from agent.backends.offline import lexicon as lx
from agent.models import Quantity, TimeRef
from agent.quantities import bound_of
from agent.timeref import resolve


@dataclass
class Features:
    """Cues read off a claim's content tokens."""

    negated: bool = False
    markers: set[str] = field(default_factory=set)
    terms: list[str] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    time: TimeRef | None = None


def _has_phrase(text: str, phrases: tuple[str, ...]) -> str | None:
    for phrase in phrases:
        if re.search(rf"\b{re.escape(phrase)}\b", text):
            return phrase
    return None


def read_features(tokens: list[Token], anchor: Token | None, published: date | None) -> Features:
    """Features of the content `tokens`; `anchor` is the reporting or position verb, if any."""
    feats = Features()
    if not tokens:
        return feats
    lower = " ".join(t.lower_ for t in tokens)
    lemmas = [t.lemma_.lower() for t in tokens]
    _polarity(tokens, feats)
    if anchor is not None:
        _anchor_markers(anchor, feats)
    positioned = any(m.startswith("position:") for m in feats.markers)
    # "X said she supports the plan"; but "refused to agree" keeps the anchor's position.
    for head in [] if positioned else _content_heads(tokens):
        lemma = head.lemma_.lower()
        negated = any(c.dep_ == "neg" for c in head.children)
        if head.pos_ == "VERB" and lemma in lx.SUPPORT_VERBS:
            feats.markers.add("position:oppose" if negated else "position:support")
        elif head.pos_ == "VERB" and lemma in lx.OPPOSE_VERBS:
            feats.markers.add("position:support" if negated else "position:oppose")
    if any(lem in lx.DISPUTE_LEMMAS for lem in lemmas) or _has_phrase(lower, lx.DISPUTE_PHRASES):
        feats.markers.add("dispute")
        if any(
            t.lemma_.lower() in lx.CLAIM_NOUNS or t.lower_ in {"that", "this", "it"}
            for t in tokens[:6]
        ):
            feats.markers.add("dispute:anaphoric")
    if any(lem in lx.HEDGE_WORDS for lem in lemmas) or _has_phrase(lower, lx.HEDGE_PHRASES):
        feats.markers.add("hedge")
    _scope(tokens, lower, feats)
    _compliance(tokens, feats)
    feats.markers.update(f"place:{t.lemma_.lower()}" for t in tokens if _is_place(t))
    feats.markers.update(f"name:{t.lemma_.lower()}" for t in tokens if t.pos_ == "PROPN")
    feats.quantities = quantities(tokens)
    feats.time = first_time(tokens, published)
    feats.terms = terms(tokens)
    return feats


def _is_place(tok: Token) -> bool:
    """A named place: tagged as one, or a proper noun after "in"/"at"/"near"."""
    if tok.ent_type_ in {"GPE", "LOC", "FAC"}:
        return True
    return (
        tok.pos_ == "PROPN"
        and tok.dep_ == "pobj"
        and tok.head.lower_ in {"in", "at", "near", "outside", "inside"}
    )


def _content_heads(tokens: list[Token]) -> list[Token]:
    """The main predicates of the content: verbs whose head lies outside it, and their
    coordinated verbs."""
    inside = {t.i for t in tokens}
    heads = [t for t in tokens if t.head.i not in inside or t.head == t]
    heads += [c for h in heads for c in h.children if c.dep_ == "conj" and c.i in inside]
    return heads


def _polarity(tokens: list[Token], feats: Features) -> None:
    """Negation of the main predicate only: "did not talk about X" is negative, a "not" deep
    inside a subordinate clause is not. The negated predicate's words are kept as
    `negterm:` markers so a denial can be matched to what it denies."""
    for head in _content_heads(tokens):
        negs = [c for c in head.children if c.dep_ == "neg" or c.lower_ in {"never"}]
        negs += [
            c
            for c in head.children
            if c.dep_ in {"dobj", "nsubj", "attr"}
            and (
                c.lower_ in {"nothing", "nobody", "none"}
                or any(g.lower_ == "no" and g.dep_ == "det" for g in c.children)
            )
        ]
        if negs:
            feats.negated = True
            feats.markers.add(f"negterm:{head.lemma_.lower()}")
            for obj in _objects(head):
                if obj.pos_ == "NOUN":
                    feats.markers.update(
                        {f"negterm:{obj.lemma_.lower()}", f"negobj:{obj.lemma_.lower()}"}
                    )


def _objects(head: Token) -> list[Token]:
    """What a predicate is about: its object, attribute, or the object of its preposition
    ("talk about aid" -> aid), with nouns that "no" negates ("had no response" -> response)."""
    found: list[Token] = []
    for child in head.children:
        if child.dep_ in {"dobj", "attr", "nsubjpass", "oprd"}:
            found.append(child)
        elif child.dep_ == "prep":
            found.extend(g for g in child.children if g.dep_ == "pobj")
        elif child.dep_ in {"nsubj"} and any(g.lower_ == "no" for g in child.children):
            found.append(child)
    return found


def _anchor_markers(anchor: Token, feats: Features) -> None:
    lemma = anchor.lemma_.lower()
    objects = [c for c in anchor.children if c.dep_ in {"dobj", "ccomp", "prep"}]
    about_claim = any(
        c.dep_ == "ccomp" or any(t.lemma_.lower() in lx.CLAIM_NOUNS for t in c.subtree)
        for c in objects
    )
    # "deny" always denies; "reject"/"dismiss" deny only a claim ("rejected the report that"),
    # otherwise they take a position ("rejected the proposal").
    if lemma in lx.ALWAYS_DENIAL_VERBS or (lemma in lx.DENIAL_VERBS and about_claim):
        feats.markers.add("denial_verb")
        return
    negated = any(c.dep_ == "neg" for c in anchor.children)
    if lemma in lx.SUPPORT_VERBS:
        feats.markers.add("position:oppose" if negated else "position:support")
    elif lemma in lx.OPPOSE_VERBS:
        feats.markers.add("position:support" if negated else "position:oppose")


def _scope_word(tok: Token) -> str | None:
    """ "exclusive" for "only"/"just"/"limited", "inclusive" for "also"/"too"/"including"."""
    word = tok.lower_
    if word in {"only", "solely", "exclusively", "merely"}:
        return "exclusive"
    if word == "just" and tok.dep_ == "advmod" and tok.head.pos_ in {"VERB", "NOUN"}:
        return "exclusive"
    if word == "limited" and tok.dep_ == "amod":
        return "exclusive"
    if (word in {"too", "also"} and tok.dep_ == "advmod") or word == "including":
        return "inclusive"
    return None


def _scope(tokens: list[Token], lower: str, feats: Features) -> None:
    """Scope words with the word they restrict: `scope:exclusive:cover` for "only covered"."""
    for tok in tokens:
        kind = _scope_word(tok)
        if kind == "exclusive" and "not only" in lower:
            continue
        if kind:
            feats.markers.update({f"scope:{kind}", f"scope:{kind}:{tok.head.lemma_.lower()}"})
            if tok.head.pos_ == "NOUN":  # "covered only road repairs" restricts "cover" too
                feats.markers.add(f"scope:{kind}:{tok.head.head.lemma_.lower()}")
    if _has_phrase(lower, lx.EXCLUSIVE_PHRASES):
        feats.markers.add("scope:exclusive")
    if _has_phrase(lower, lx.INCLUSIVE_PHRASES):
        feats.markers.add("scope:inclusive")


def _compliance(tokens: list[Token], feats: Features) -> None:
    for tok in tokens:
        lemma = tok.lemma_.lower()
        if tok.pos_ not in {"VERB", "NOUN"}:
            continue
        negated = any(c.dep_ == "neg" for c in tok.children) or any(
            a.lemma_.lower() in lx.FAIL_WORDS
            for a in tok.ancestors
            if a.i in range(tok.i - 4, tok.i)
        )
        if lemma in lx.COMPLY_VERBS and tok.pos_ == "VERB":
            feats.markers.add("comply:-" if negated else "comply:+")
        elif lemma in lx.BREACH_VERBS:
            feats.markers.add("comply:+" if negated else "comply:-")


_MONTH_PREFIXES = frozenset(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
)
_NUM_RE = re.compile(r"^\d[\d,]*(\.\d+)?$")


def _number_value(tok: Token) -> float | None:
    text = tok.lower_.replace(",", "")
    if _NUM_RE.match(tok.lower_):
        return float(text)
    return float(lx.NUMBER_WORDS[text]) if text in lx.NUMBER_WORDS else None


def quantities(tokens: list[Token]) -> list[Quantity]:
    """Numbers with their units: "30-day" -> 30 day, "around an hour" -> ~1 hour."""
    found: list[Quantity] = []
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
        value = _number_value(tok)
        if value is None:
            continue
        unit_tok = tok.head if tok.dep_ in {"nummod", "quantmod"} else None
        if unit_tok is None and tok.i + 2 < len(tok.doc) and tok.nbor(1).text == "-":
            unit_tok = tok.nbor(2)
        nxt_i = tok.i + 1
        if nxt_i in token_set and tok.doc[nxt_i].lower_ in lx.SCALE_WORDS:
            value *= lx.SCALE_WORDS[tok.doc[nxt_i].lower_]
        if unit_tok is not None and unit_tok.lower_ in lx.SCALE_WORDS:
            unit_tok = unit_tok.head if unit_tok.head != unit_tok else None
        if unit_tok is None or unit_tok.pos_ not in {"NOUN", "PROPN"}:
            continue
        if unit_tok.lower_[:3] in _MONTH_PREFIXES or tok.ent_type_ in {"ORDINAL"}:
            continue  # "March 11" is a date, not eleven of something
        approx = any(tok.doc[j].lower_ in lx.APPROX_WORDS for j in range(max(tok.i - 2, 0), tok.i))
        lead = tok.doc[max(tok.i - 3, 0) : tok.i].text
        bound = bound_of(lead)
        start = max(tok.i - 2, 0) if approx or bound else tok.i
        text = tok.doc[start : max(unit_tok.i, tok.i) + 1].text
        found.append(
            Quantity(
                text=text,
                value=value,
                unit=unit_tok.lemma_.lower(),
                approximate=approx,
                bound=bound,
            )
        )
    for tok in tokens:  # "hourlong", "daylong"
        match = re.fullmatch(r"(hour|day|week|month|year)-?long", tok.lower_)
        if match:
            found.append(Quantity(text=tok.text, value=1, unit=match.group(1)))
    return found


def first_time(tokens: list[Token], published: date | None) -> TimeRef | None:
    """The first date or time expression in the tokens, resolved when it names a day."""
    token_set = {t.i for t in tokens}
    for ent in tokens[0].doc.ents if tokens else ():
        if ent.label_ not in {"DATE", "TIME"} or ent.start not in token_set:
            continue
        if re.fullmatch(
            r"\d+\s*-?\s*(day|days|hour|hours|week|weeks|month|months)", ent.text.lower()
        ):
            continue  # a duration ("30-day"), not a point in time
        return TimeRef(text=ent.text, date=resolve(ent.text, published))
    return None


def terms(tokens: list[Token]) -> list[str]:
    """Content lemmas and entity names, for pairing claims about the same matter."""
    out: list[str] = []
    for tok in tokens:
        if (
            tok.is_stop
            or tok.is_punct
            or tok.like_num
            or tok.pos_
            not in {
                "NOUN",
                "PROPN",
                "VERB",
                "ADJ",
            }
        ):
            continue
        lemma = tok.lemma_.lower().strip("-")
        if len(lemma) < 3 or lemma in lx.WEAK_TERMS or lemma in lx.SPEECH_VERBS:
            continue
        out.append(lemma)
    return out
