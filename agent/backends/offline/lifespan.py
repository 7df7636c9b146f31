"""Births and deaths written the encyclopaedic way: "X (born 3 May 1971)", "X (1611–1670) was
a painter", "X (4 April 1711 – 9 June 1770)", and the infobox line "X Born 3 May 1971".

The bracket after a name at the start of a sentence is a convention of reference prose: a
range of two dates in it is the birth and the death, "born D" the birth, "died D" the death.
Each becomes a claim of its own whose words run from the name to the date, so that "was born
in 1213" elsewhere can be compared with the "1211" of "X (1211–1255)".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # spaCy is slow to import; a run on cached claims never needs it
    from spacy.tokens import Span


def fold_case(word: str) -> str:
    """The word without accents and modifier letters, case kept ("ʿAlī" -> "Ali")."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(
        c
        for c in decomposed
        if not unicodedata.combining(c) and unicodedata.category(c) not in {"Lm", "Sk"}
    )


_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
)
_DATE = (
    rf"(?:c\.\s*)?(?:\d{{1,2}}\s+{_MONTH},?\s+\d{{3,4}}|{_MONTH}\s+\d{{1,2}},?\s+\d{{3,4}}"
    rf"|\d{{3,4}})"
)
_BORN = re.compile(rf"\bborn\b[^;)]*?(?P<date>{_DATE})", re.IGNORECASE)
_DIED = re.compile(rf"\b(?:died|d\.)\s+(?:on\s+|in\s+)?(?P<date>{_DATE})", re.IGNORECASE)
_RANGE = re.compile(rf"(?P<born>{_DATE})\s*[–—-]\s*(?P<died>{_DATE})")
_NAME_MAX_TOKENS = 10
# Lower-case words inside personal names in many languages ("Ludwig van X", "Ibn al-Y").
_NAME_PARTICLES = frozenset(
    ["of", "de", "del", "della", "da", "di", "du", "des", "le", "la", "von", "van", "der", "den",
     "ter", "ibn", "bin", "bint", "al", "ad", "el", "ud", "abu", "y", "e"]
)  # fmt: skip

Kind = Literal["born", "die"]


@dataclass(frozen=True)
class LifeEvent:
    """A birth or death read off a sentence: who, what, when, and where its words are."""

    name: str
    """The person's name as written."""
    kind: Kind
    """ "born" or "die" (the canonical events)."""
    date_text: str
    """The date as written ("21 August 1968", "1211")."""
    start: int
    """Offset of the name in the sentence's document text."""
    end: int
    """Offset just after the date."""


def life_events(sent: Span) -> list[LifeEvent]:
    """The births and deaths a sentence gives in the encyclopaedic way (see the module)."""
    name_end = _name_end(sent)
    if name_end is None:
        return []
    doc = sent.doc
    first = next(t for t in sent if not t.is_space)
    name = doc[first.i : name_end].text.strip()
    if not name:
        return []
    rest = doc[name_end : sent.end]
    text = rest.text
    base = rest.start_char if len(rest) else sent.end_char
    bracket = text.lstrip().startswith("(")
    if bracket:
        inside = text[: text.find(")") + 1] if ")" in text else text
        found = _in_bracket(inside)
    elif not _has_finite_verb(sent) and re.match(r"\s*born\b", text, re.IGNORECASE):
        born = _BORN.search(text)  # an infobox line: "X Born 3 May 1971"
        found = [("born", born.group("date"), born.end("date"))] if born else []
    else:
        return []
    if bracket and not (_names_person(sent, name_end) or _defines(sent, first.i, name_end)):
        return []  # "The Model X (1990–1995)": a product's years, not a life
    return [
        LifeEvent(name=name, kind=kind, date_text=date, start=first.idx, end=base + end)
        for kind, date, end in found
    ]


def _in_bracket(inside: str) -> list[tuple[Kind, str, int]]:
    """(kind, date as written, offset after it) for "born D", "died D" and "D1 – D2"."""
    found: list[tuple[Kind, str, int]] = []
    born = _BORN.search(inside)
    died = _DIED.search(inside)
    span = _RANGE.search(inside)
    if born:
        found.append(("born", born.group("date"), born.end("date")))
    elif span:
        found.append(("born", span.group("born"), span.end("born")))
    if died:
        found.append(("die", died.group("date"), died.end("date")))
    elif span:
        found.append(("die", span.group("died"), span.end("died")))
    return found


def _name_end(sent: Span) -> int | None:
    """Index of the token after the sentence's opening name (capitalised words and name
    particles), or None when the sentence does not open with one."""
    i = sent.start
    doc = sent.doc
    while i < sent.end and doc[i].is_space:
        i += 1
    first = i
    while i < sent.end and i - first < _NAME_MAX_TOKENS:
        tok = doc[i]
        word = tok.text
        if word == "(" or word.lower() == "born" or tok.is_space:
            break
        folded = fold_case(word)
        capital = folded[:1].isupper() or (
            not folded[:1].isalpha() and any(c.isupper() for c in word)
        )
        if not (capital or word.lower() in _NAME_PARTICLES or word in {"-", "'", "’"}):
            return None
        i += 1
    if i == first or i >= sent.end:
        return None
    return i


def _names_person(sent: Span, name_end: int) -> bool:
    return any(e.label_ == "PERSON" and e.start < name_end for e in sent.ents)


def _defines(sent: Span, start: int, end: int) -> bool:
    """The sentence says what the name is ("X (dates), also known as Y, was a Z"): its root is
    "be" and its subject is the name."""
    root = sent.root
    return root.lemma_ == "be" and any(
        c.dep_ == "nsubj" and start <= c.i < end for c in root.children
    )


def _has_finite_verb(sent: Span) -> bool:
    return any(t.tag_ in {"VBD", "VBZ", "VBP", "MD"} for t in sent)
