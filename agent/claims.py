"""The one claim factory both backends use: it settles who "the outlet" is and which sentence
a claim is in, so the same words get the same claimant and sentence index whichever backend
read them.

The outlet's own voice (no attribution) is credited to the outlet's name: the masthead (the
all-capitals name lines at the top of a paper or a press release: "THE HARBOUR GAZETTE",
"MINISTRY OF WORKS"), else the byline or the dateline's agency (`Article.source`), else the
words "the outlet". Sentences are numbered as agent/sentences.py splits the article.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

from agent.ids import stable_id
from agent.models import Article, Claim, ClaimantKind, Quantity, Stance, TimeRef
from agent.sentences import split_sentences

OUTLET = "the outlet"
"""The claimant of an article's own voice when the article names no outlet."""

_MASTHEAD_MAX_WORDS = 8
_MASTHEAD_LINES = 3
_HEADER_LINES = 6
_HEADER_LINE_WORDS = 14
_SMALL_WORDS = frozenset({"of", "the", "and", "for", "on", "in", "at", "to", "a", "an"})
_NOT_MASTHEADS = frozenset({"PRESS RELEASE", "STATEMENT", "OFFICIAL STATEMENT", "NEWS RELEASE"})
_RELEASE_HEADING = re.compile(
    r"^(?:an?\s+)?(?:official\s+)?(?:statement|press\s+release|news\s+release|media\s+release)"
    r"\s+(?:from|by|of)\s+(?:the\s+)?",
    re.IGNORECASE,
)
"""A release's heading before its issuer ("STATEMENT FROM THE X TRUST" is the X Trust's)."""


def outlet_name(article: Article) -> str:
    """Who speaks in the article's own voice (see the module docstring)."""
    return masthead(article.text) or article.source or header_byline(article.text) or OUTLET


_HEADER_BYLINE = re.compile(r"\bby\s+(?P<name>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3})\s*$")


def header_byline(text: str) -> str | None:
    """A byline closing a short header line ("Posted 12 May 2031 by Tove Halvik")."""
    for line in text.lstrip("\ufeff").splitlines()[:_HEADER_LINES]:
        if len(line.split()) > _HEADER_LINE_WORDS:
            break
        match = _HEADER_BYLINE.search(line.strip())
        if match:
            return match.group("name")
    return None


def masthead(text: str) -> str | None:
    """The masthead: the first lines of the text that are names in capitals (most specific,
    i.e. last, first: "MINISTRY OF HEALTH" under "REPUBLIC OF X" gives "Ministry of Health,
    Republic of X"), title-cased; None when the text opens otherwise."""
    names: list[str] = []
    for line in text.lstrip("\ufeff").splitlines():
        words = line.split()
        if not words:
            if names:
                break
            continue
        if len(names) == _MASTHEAD_LINES or not _is_capital_name(line):
            break
        if line.strip().upper() not in _NOT_MASTHEADS:
            issuer = _RELEASE_HEADING.sub("", line.strip()).split()
            names.append(_title_case(issuer or words))
    return ", ".join(reversed(names)) or None


def _is_capital_name(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    words = line.split()
    return (
        len(letters) >= 3
        and all(c.isupper() for c in letters)
        and len(words) <= _MASTHEAD_MAX_WORDS
        and not re.search(r"\d|[.!?:;]\s*$", line.strip())
    )


def _title_case(words: Sequence[str]) -> str:
    out: list[str] = []
    for i, word in enumerate(words):
        lower = word.lower()
        if i > 0 and lower in _SMALL_WORDS:
            out.append(lower)
        elif len(word.strip("'’.")) <= 3 and lower not in _SMALL_WORDS:
            out.append(word)  # an acronym ("BBC", "LTD") stays as written
        else:
            out.append(word[:1] + word[1:].lower())
    return " ".join(out)


def outlet_names(article: Article) -> frozenset[str]:
    """Every name a backend may give the article's own voice, lower-case."""
    names = {OUTLET, "outlet", "the article", outlet_name(article).lower()}
    others = (article.source, masthead(article.text), header_byline(article.text))
    names.update(n.lower() for n in others if n)
    return frozenset(names)


def is_outlet(name: str, article: Article) -> bool:
    """Whether a claimant named by a backend is the article's own voice."""
    return name.strip().lower() in outlet_names(article)


@dataclass
class ClaimFactory:
    """Makes the claims of one article."""

    article: Article
    outlet: str = field(init=False)
    """The name the article's own voice is credited to."""
    _starts: list[int] = field(init=False, repr=False)

    _outlet_names: frozenset[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.outlet = outlet_name(self.article)
        self._starts = [s for s, _ in split_sentences(self.article.text)]
        self._outlet_names = outlet_names(self.article)

    def sentence_of(self, offset: int) -> int:
        """Index of the sentence holding the character at `offset` (0 before the first)."""
        return max(bisect_right(self._starts, offset) - 1, 0)

    def make(
        self,
        *,
        claimant: str,
        kind: ClaimantKind,
        start: int,
        end: int,
        statement: str,
        stance: Stance = Stance.ASSERTS,
        negated: bool = False,
        time: TimeRef | None = None,
        quantities: Sequence[Quantity] = (),
    ) -> Claim:
        """A grounded claim of this article; the outlet's own voice (`kind` "outlet", or a
        claimant naming the outlet) is credited to `self.outlet`."""
        if kind == "outlet" or claimant.strip().lower() in self._outlet_names:
            claimant, kind = self.outlet, "outlet"
        return Claim(
            id=stable_id("cl", self.article.sha256, start, end, claimant),
            article_id=self.article.id,
            statement=statement,
            claimant=claimant,
            claimant_kind=kind,
            stance=stance,
            quote=self.article.text[start:end],
            start=start,
            end=end,
            negated=negated,
            time=time,
            quantities=list(quantities),
            sentence=self.sentence_of(start),
        )
