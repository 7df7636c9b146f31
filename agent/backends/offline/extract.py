"""Offline claim extraction: each prose sentence is cut into attributed segments, and each
segment with enough content becomes a grounded claim with its frame."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from agent.backends.offline.attribution import (
    Anchor,
    Segment,
    content_tokens,
    find_anchors,
    is_quote,
    quoted_tokens,
    segments,
)
from agent.backends.offline.claimants import ArticleClaimants
from agent.backends.offline.features import fold, read_frame, terms
from agent.backends.offline.frames import ClaimFrame, OfflineClaim, Predication
from agent.backends.offline.lifespan import life_events
from agent.backends.offline.nlp import Paragraph, parse_paragraphs
from agent.claims import ClaimFactory
from agent.models import Article, Claim, ClaimantKind, Stance, TimeRef
from agent.timeref import resolve_point

if TYPE_CHECKING:  # spaCy is slow to import; a run on cached claims never needs it
    from spacy.tokens import Doc, Span, Token

_MIN_CONTENT_WORDS = 3
_MENTIONS_KEPT = 200
"""The people named most recently that claimants are resolved against. claimants.py scans
every mention kept for each claim, so keeping all of an article's mentions made a long
article quadratic; a news article names far fewer than this, so only a very long text (a
feed pasted as one file) loses its oldest mentions."""

_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
_DATE_MARKER = re.compile(r"^\s*date\s+\d{4}-\d{2}-\d{2}\s*", re.IGNORECASE)
_IRREGULAR_PAST = {
    "say": "said",
    "write": "wrote",
    "think": "thought",
    "hold": "held",
    "keep": "kept",
    "break": "broke",
    "back": "backed",
    "tell": "said",
}


def skip_prefix(article: Article) -> int:
    """Characters at the start of the text that are not prose (a `date YYYY-MM-DD` line)."""
    marker = _DATE_MARKER.match(article.text)
    return marker.end() if marker else 0


def extract_claims(article: Article, paragraphs: list[Paragraph] | None = None) -> list[Claim]:
    """All claims of one article, in text order (its `paragraphs` when already parsed)."""
    return [item.claim for item in read_article(article, paragraphs)]


@dataclass
class _Reader:
    """What reading one article in order keeps track of."""

    article: Article
    factory: ClaimFactory
    state: ArticleClaimants = field(default_factory=ArticleClaimants)
    out: list[OfflineClaim] = field(default_factory=list)
    last_named: str | None = None
    """The named agent of the latest claim, which a following "it" may stand for."""
    title_words: frozenset[str] = frozenset()
    """Words of the article's first line (its title or headline), folded."""
    topic: str | None = None
    """What the article is about, when its first statement's subject is named in its title
    (reference prose: "X is a town in Y. It lies ..."): what "it" stands for when no named
    thing came since."""
    kinds: dict[str, str] = field(default_factory=dict)
    """Class noun -> the named thing the article defined as one ("X is a town")."""
    statements: int = 0
    """Claims made so far."""


def read_article(article: Article, paragraphs: list[Paragraph] | None = None) -> list[OfflineClaim]:
    """All claims of one article with their frames, in text order."""
    if paragraphs is None:
        paragraphs = parse_paragraphs(article.text, skip_prefix(article))
    reader = _Reader(article, ClaimFactory(article))
    first_line = article.text.lstrip("\ufeff").split("\n", 1)[0]
    reader.title_words = frozenset(fold(first_line).replace(":", " ").split())
    sentence_index = 0
    for p, para in enumerate(paragraphs):
        sents = list(para.doc.sents)
        onward = _quotation_goes_on(paragraphs, p)
        for k, sent in enumerate(sents):
            reader.state.observe(sent, sentence_index)
            if len(reader.state.people) > 2 * _MENTIONS_KEPT:  # trimmed in batches: linear
                del reader.state.people[:-_MENTIONS_KEPT]
            anchors = find_anchors(sent, reader.state.resolves)
            following = sents[k + 1 : k + 5] + onward[: max(0, 8 - (len(sents) - k - 1))]
            speaker = _quotation_speaker(sent, anchors, following, reader.state)
            for seg in segments(sent, anchors):
                if seg.anchor is None and any(a.kind == "colon" for a in anchors):
                    continue  # "X was blunt:" before X's quotation says nothing itself
                _from_segment(reader, para.offset, sent, seg, anchors, sentence_index, speaker)
            for anchor in anchors:
                if anchor.kind == "claim_noun" and anchor.nested_in is not None:
                    _reported_claim(reader, para.offset, anchor, sentence_index)
            if not anchors:
                _life_claims(reader, para.offset, sent)
            sentence_index += 1
    return reader.out


def _quotation_goes_on(paragraphs: list[Paragraph], p: int) -> list[Span]:
    """The sentences a quotation left open at the end of paragraph `p` goes on into: news
    style leaves a quotation running over paragraphs unclosed and opens the next paragraph
    with a quotation mark, and the attribution often comes only there ("... insult.¶
    “Our members will not accept it,” she said.")."""
    onward: list[Span] = []
    while p + 1 < len(paragraphs) and _ends_inside_quote(paragraphs[p].doc):
        nxt = list(paragraphs[p + 1].doc.sents)
        if not nxt or not _opens_with_quote(nxt[0]):
            break
        onward.extend(nxt)
        p += 1
    return onward


def _ends_inside_quote(doc: Doc) -> bool:
    last = next((t for t in reversed(doc) if not t.is_space), None)
    return last is not None and last.i in quoted_tokens(doc)


def _quotation_speaker(
    sent: Span, anchors: list[Anchor], following: list[Span], state: ArticleClaimants
) -> tuple[str, ClaimantKind] | None:
    """Who speaks a sentence that is a quotation with no attribution of its own: the speech
    attribution after the quotation closes, later in the paragraph ("“A. B?” he asked."),
    else None."""
    if anchors or not _opens_with_quote(sent):
        return None
    for nxt in following:
        found = find_anchors(nxt, state.resolves)
        if not found:
            continue  # the quotation goes on
        closing = [t.i for t in nxt if is_quote(t)]
        for anchor in found:
            if anchor.kind == "speech" and closing and closing[0] < anchor.token.i:
                name, kind = state.resolve(anchor.claimant)
                return name, _kind(kind)
        return None
    return None


def _kind(kind: str) -> ClaimantKind:
    return kind if kind in {"person", "organization", "government", "outlet"} else "other"  # type: ignore[return-value]


def _from_segment(
    reader: _Reader,
    offset: int,
    sent: Span,
    seg: Segment,
    anchors: list[Anchor],
    sentence_index: int,
    speaker: tuple[str, ClaimantKind] | None,
) -> None:
    state = reader.state
    content = content_tokens(seg)
    if sum(1 for t in content if t.is_alpha) < _MIN_CONTENT_WORDS:
        return
    anchor = seg.anchor
    if anchor is not None:
        name, kind = state.resolve(anchor.claimant)
        verb = "say" if anchor.kind == "colon" else anchor.token.lemma_.lower()
    elif speaker is not None:
        (name, kind), verb = speaker, "say"
    elif (
        not anchors
        and _opens_with_quote(sent)
        and state.last_person_claimant
        and (sentence_index - state.last_person_position <= 2)
    ):
        # A free-standing quotation right after someone spoke is still theirs.
        name, kind, verb = state.last_person_claimant, "person", "say"
    else:
        if not any(_finite(t) for t in content):
            return  # a fragment ("Later, addressing reporters"), not a statement
        name, kind, verb = reader.factory.outlet, "outlet", ""
    if not name:
        return
    state.note_claimant(name, kind, sentence_index)
    frame = read_frame(
        content,
        anchor.token if anchor and anchor.kind != "colon" else None,  # a colon reports nothing
        reader.article.published,
        claimant=name,
        name_of=state.pronoun_for,
        quoted=quoted_tokens(sent.doc),
        context=seg.tokens,
        it_refers=reader.last_named or reader.topic,
        kinds=reader.kinds,
    )
    _follow_subject(reader, frame, kind)
    start = offset + seg.tokens[0].idx
    end = offset + seg.tokens[-1].idx + len(seg.tokens[-1].text)
    statement = _statement(name, kind, anchor, verb, content)
    _make(reader, name, _kind(kind), _stance(anchor, frame), start, end, statement, frame)


def _follow_subject(reader: _Reader, frame: ClaimFrame, kind: str) -> None:
    """Keep what later pronouns and descriptions stand for: the latest named subject, the
    topic of reference prose, and the classes things were defined as."""
    named = frame.agent or frame.subject
    if frame.agent_named and named:
        reader.last_named = named
    first = reader.statements == 0 and kind == "outlet"
    if first and frame.subject and set(frame.subject.split()) & reader.title_words:
        reader.topic = frame.subject
    if frame.event.startswith("be ") and frame.agent_named and frame.subject:
        reader.kinds.setdefault(frame.event[3:], frame.subject)  # "X is a town": the town
    reader.statements += 1


def _life_claims(reader: _Reader, offset: int, sent: Span) -> None:
    """Births and deaths in the encyclopaedic brackets and infobox lines (lifespan.py)."""
    for life in life_events(sent):
        name = fold(life.name)
        point = resolve_point(life.date_text, reader.article.published)
        names = [name, *name.split()[-1:]]
        frame = ClaimFrame(
            event=life.kind,
            events=[life.kind],
            subject=name,
            participants=sorted(set(names)),
            time=point,
            time_text=life.date_text,
            predications=[
                Predication(event=life.kind, subject=name, time=point, time_text=life.date_text)
            ],
            terms=[*terms(list(sent)[:12]), life.kind, f"event:{life.kind}"],
        )
        verb = "was born" if life.kind == "born" else "died"
        statement = f"{life.name} {verb} in {life.date_text}."
        start, end = offset + life.start, offset + life.end
        outlet = reader.factory.outlet
        _make(reader, outlet, "outlet", Stance.ASSERTS, start, end, statement, frame)
        if reader.topic is None and reader.statements == 0:
            reader.topic = name
        reader.statements += 1


def _reported_claim(reader: _Reader, offset: int, anchor: Anchor, sentence_index: int) -> None:
    """ "X's claims that P" inside a denial: X's claim P, relayed to be refuted."""
    noun = anchor.token
    toks = sorted(set(anchor.claimant) | set(noun.subtree), key=lambda t: t.i)
    toks = [t for t in toks if not t.is_punct or is_quote(t)]
    while toks and toks[-1].is_punct:
        toks.pop()
    content = [t for t in noun.subtree if t.i > noun.i]
    if content and content[0].lower_ == "that":
        content = content[1:]
    if sum(1 for t in content if t.is_alpha) < _MIN_CONTENT_WORDS or not toks:
        return
    name, kind = reader.state.resolve(anchor.claimant)
    frame = read_frame(content, None, reader.article.published, claimant=name)
    start = offset + toks[0].idx
    end = offset + toks[-1].idx + len(toks[-1].text)
    statement = f"{name} claimed that {_text(content)}."
    _make(reader, name, _kind(kind), Stance.REPORTS, start, end, statement, frame)


def _make(
    reader: _Reader,
    name: str,
    kind: ClaimantKind,
    stance: Stance,
    start: int,
    end: int,
    statement: str,
    frame: ClaimFrame,
) -> None:
    time = None
    if frame.time_text:
        point, day = frame.time, None
        if point is not None and point.day is not None and point.month is not None:
            day = dt.date(point.year, point.month, point.day)
        time = TimeRef(text=frame.time_text, date=day)
    claim = reader.factory.make(
        claimant=name,
        kind=kind,
        start=start,
        end=end,
        statement=statement,
        stance=stance,
        negated=frame.negated,
        time=time,
        quantities=frame.quantities,
    )
    reader.out.append(OfflineClaim(claim=claim, frame=frame))


def _stance(anchor: Anchor | None, frame: ClaimFrame) -> Stance:
    if frame.denies or frame.disputes:
        return Stance.DENIES
    if anchor is not None and anchor.kind in {"according", "claim_noun"}:
        return Stance.REPORTS
    if frame.hedged:
        return Stance.HEDGES
    return Stance.ASSERTS


def _finite(tok: Token) -> bool:
    """A finite verb, by its tag or by its clause (the tagger calls "FC play" base form)."""
    if tok.tag_ in _FINITE_TAGS:
        return True
    return tok.tag_ == "VB" and tok.dep_ == "ROOT" and any(c.dep_ == "nsubj" for c in tok.children)


def _opens_with_quote(sent: Span) -> bool:
    """The sentence opens a quotation, or goes on with one opened before it."""
    first = next((t for t in sent if not t.is_space), None)
    return first is not None and (is_quote(first) or first.i in quoted_tokens(sent.doc))


def _past(lemma: str) -> str:
    if lemma in _IRREGULAR_PAST:
        return _IRREGULAR_PAST[lemma]
    if lemma.endswith("e"):
        return lemma + "d"
    if len(lemma) > 2 and lemma.endswith("y") and lemma[-2] not in "aeiou":
        return lemma[:-1] + "ied"
    return lemma + "ed"


def _statement(name: str, kind: str, anchor: Anchor | None, verb: str, content: list[Token]) -> str:
    body = _text(content)
    if kind == "outlet":
        return _sentence(body)
    body = _lower_first(content, body)
    if anchor is not None and anchor.kind == "according":
        return _sentence(f"According to {name}, {body}")
    if anchor is not None and anchor.kind == "position":
        return _sentence(f"{name} {_past(verb)} {body}")
    return _sentence(f"{name} {_past(verb or 'say')} that {body}")


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".?!" else text + "."


def _lower_first(tokens: list[Token], text: str) -> str:
    """Lower-case a quotation's capital when it is embedded after "said that"."""
    if tokens and text and tokens[0].pos_ not in {"PROPN"} and tokens[0].text != "I":
        return text[0].lower() + text[1:]
    return text


def _text(tokens: list[Token]) -> str:
    """Tokens joined with the text's own spacing, squeezing the gaps left by dropped words."""
    out: list[str] = []
    prev: Token | None = None
    for tok in tokens:
        if prev is not None:
            out.append(prev.whitespace_ if tok.i == prev.i + 1 else " ")
        out.append(tok.text)
        prev = tok
    return re.sub(r"\s+", " ", "".join(out)).strip()
