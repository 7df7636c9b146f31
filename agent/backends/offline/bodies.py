"""The organisations ("bodies") one article names, and what a later "the company" or "it"
stands for.

A body is a named organisation of any sort: a company, council, ministry, agency, union,
campaign group; an entity the tagger labels ORG, or a name the text itself describes as one
("X, a campaign group", "quarry operator X", "X, which runs the site"), whatever the tagger
said. Bodies are resolved apart from people because a text refers back to them differently:
by a noun for what they are ("the council", "the firm") matched against their names and
descriptions, and by "it" or "its", never by "he", "she" or a title; and a body that spoke
("the agency said") is one too, for a later "the agency" to stand for.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from agent.backends.offline import attribution_words as aw
from agent.backends.offline.spans import span_text

if TYPE_CHECKING:  # spaCy is slow to import; a run on cached claims never needs it
    from spacy.tokens import Span, Token


@dataclass
class BodyMention:
    """A named organisation seen in the article, with the words that describe it."""

    name: str
    words: set[str]
    """Its name's words and its description's ("a campaign group"), lower-case."""
    sentence: int
    position: int
    subject: bool = False
    """It is the subject of its clause, or it spoke (a claimant)."""
    quoted: bool = False
    """It stands inside a quotation."""
    described: bool = False
    """The text itself calls it a body ("X, a campaign group"), so it is no person whatever
    the tagger said."""


_UNCLOSED_BRACKET = re.compile(r"\s*\([^)]*$")
_BODIES_KEPT = 200
"""The organisations named most recently that descriptions are resolved against (as
`_MENTIONS_KEPT` in extract.py for people)."""


@dataclass
class ArticleBodies:
    """The organisations named so far in one article, in text order."""

    mentions: list[BodyMention] = field(default_factory=list)

    def observe(self, sent: Span, sentence: int, quoted: frozenset[int]) -> None:
        """Record the organisations a sentence names: entities tagged as one, and names the
        text itself describes as a body ("Harbour Watch, a campaign group", "quarry operator
        Selwick Stone", "X, which runs the site"), whatever the tagger called them."""
        for ent in sent.ents:
            described = _body_description(ent)
            if ent.label_ != "ORG" and not described:
                continue
            name = _UNCLOSED_BRACKET.sub("", span_text(ent))  # "X Union (XU" -> "X Union"
            if not name:
                continue
            words = {t.lower_ for t in ent} | described
            subject = ent.root.dep_ in {"nsubj", "nsubjpass"}
            self.mentions.append(
                BodyMention(
                    name, words, sentence, ent.start, subject, ent.start in quoted, bool(described)
                )
            )
        if len(self.mentions) > 2 * _BODIES_KEPT:  # trimmed in batches: linear
            del self.mentions[:-_BODIES_KEPT]

    def note_speaker(self, name: str, sentence: int) -> None:
        """A body that spoke in sentence `sentence` ("the regional environment agency said"):
        what a later "the agency" stands for."""
        self.mentions.append(BodyMention(name, set(name.lower().split()), sentence, -1, True))

    def described_in(self, sentence: int) -> set[str]:
        """The names sentence `sentence` describes as bodies (no person's, whatever the
        tagger said)."""
        return {b.name for b in self.mentions if b.sentence == sentence and b.described}

    def is_described(self, name: str) -> bool:
        """The text described `name` as a body somewhere so far."""
        return any(b.name == name and b.described for b in self.mentions)

    def described_by(
        self, head: Token, words: list[Token], sentence: int, definite: bool = True
    ) -> str | None:
        """The named organisation a description ("the company", "the council") headed by
        `head` in sentence `sentence` stands for, if the article named one; a plural, a name
        or a possessor is no such description."""
        noun = head.lower_
        if head.pos_ != "NOUN" or head.tag_ != "NN" or noun not in aw.BODY_NOUNS:
            return None
        if any(t.pos_ == "PROPN" for t in words) or any(c.dep_ == "poss" for c in head.children):
            return None
        if definite and not any(
            c.dep_ == "det" and c.lower_ in {"the", "this"} for c in head.children
        ):
            return None
        # "The regional rescue service" is not "X News Service": the words that qualify
        # the noun must be the body's own.
        qualifiers = {t.lower_ for t in words if t is not head and t.pos_ in {"NOUN", "ADJ"}}
        return self.named_for(noun, sentence, head.i, noun in aw.GENERIC_BODY_NOUNS, qualifiers)

    def named_for(
        self,
        noun: str,
        sentence: int,
        before: int,
        generic: bool,
        qualifiers: AbstractSet[str] = frozenset(),
    ) -> str | None:
        """The organisation a description's noun stands for in sentence `sentence`: the
        latest named before token `before` whose name holds the noun, else whose description
        does, else (a `generic` noun any business is) the latest named at all."""
        best: tuple[int, int, int, int] | None = None
        best_name: str | None = None
        for body in self.mentions:
            here = body.sentence == sentence
            if (here and body.position >= before) or (here and body.quoted):
                continue
            if not qualifiers <= body.words:
                continue
            in_name = noun in {w.lower() for w in body.name.split()}
            fits = 2 if in_name else 1 if noun in body.words else 0
            if fits == 0 and not generic:
                continue
            key = (fits, body.sentence, int(body.subject), body.position)
            if best is None or key > best:
                best, best_name = key, body.name
        return best_name

    def latest(self, sentence: int, before: int) -> BodyMention | None:
        """The organisation named last within three sentences of sentence `sentence`, before
        its token `before` and outside quotations (of one sentence, a subject beats another
        name): what an "it" there may stand for."""
        best: tuple[int, int, int] | None = None
        best_body: BodyMention | None = None
        for body in self.mentions:
            here = body.sentence == sentence
            if (here and body.position >= before) or body.quoted:
                continue
            if sentence - body.sentence > 3:
                continue
            key = (body.sentence, int(body.subject), body.position)
            if best is None or key > best:
                best, best_body = key, body
        return best_body


def _body_description(ent: Span) -> set[str]:
    """The words that describe a name as a body, if the text does: an apposition or a
    title before it headed by a body noun ("X, a campaign group", "quarry operator X"),
    or a "which" clause ("X, which runs the site"); empty otherwise."""
    root = ent.root
    words: set[str] = set()
    for child in root.children:
        if child.dep_ == "appos" and child.lower_ in aw.BODY_NOUNS and child.i >= ent.end:
            words |= {t.lower_ for t in child.subtree if t.i < child.i + 1}
        if child.dep_ == "compound" and child.i < ent.start and child.lower_ in aw.BODY_NOUNS:
            words |= {t.lower_ for t in child.subtree}
        if child.dep_ == "relcl" and any(
            g.dep_ == "nsubj" and g.lower_ == "which" for g in child.children
        ):
            words.add("which")
    return words
