"""Offline claim extraction: each prose sentence is cut into attributed segments, and each
segment with enough content becomes a grounded claim."""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from agent.backends.offline.attribution import (
    Anchor,
    Segment,
    content_tokens,
    find_anchors,
    is_quote,
    segments,
)
from agent.backends.offline.claimants import ArticleClaimants
from agent.backends.offline.features import Features, read_features
from agent.backends.offline.nlp import Paragraph, parse_paragraphs
from agent.ids import stable_id
from agent.models import Article, Claim, Stance

OUTLET_CLAIMANT = "the outlet"
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
    if paragraphs is None:
        paragraphs = parse_paragraphs(article.text, skip_prefix(article))
    state = ArticleClaimants()
    drafts: list[Claim] = []
    sentence_index = 0
    for para in paragraphs:
        for sent in para.doc.sents:
            state.observe(sent)
            if len(state.people) > 2 * _MENTIONS_KEPT:  # trimmed in batches: linear overall
                del state.people[:-_MENTIONS_KEPT]
            anchors = find_anchors(sent)
            for seg in segments(sent, anchors):
                draft = _from_segment(
                    article, para.offset, sent, seg, anchors, state, sentence_index
                )
                if draft:
                    drafts.append(draft)
            for anchor in anchors:
                if anchor.kind == "claim_noun" and anchor.nested_in is not None:
                    draft = _reported_claim(article, para.offset, anchor, state, sentence_index)
                    if draft:
                        drafts.append(draft)
            sentence_index += 1
    return drafts


def _from_segment(
    article: Article,
    offset: int,
    sent: Span,
    seg: Segment,
    anchors: list[Anchor],
    state: ArticleClaimants,
    sentence_index: int,
) -> Claim | None:
    content = content_tokens(seg)
    if sum(1 for t in content if t.is_alpha) < _MIN_CONTENT_WORDS:
        return None
    anchor = seg.anchor
    if anchor is not None:
        name, kind = state.resolve(anchor.claimant)
        verb = anchor.token.lemma_.lower()
    elif (
        not anchors
        and _opens_with_quote(sent)
        and state.last_person_claimant
        and (sentence_index - state.last_person_position <= 2)
    ):
        # A free-standing quotation right after someone spoke is still theirs.
        name, kind, verb = state.last_person_claimant, "person", "say"
    else:
        if not any(t.tag_ in _FINITE_TAGS for t in content):
            return None  # a fragment ("Later, addressing reporters"), not a statement
        name, kind, verb = article.source or OUTLET_CLAIMANT, "outlet", ""
    if not name:
        return None
    state.note_claimant(name, kind, sentence_index)
    feats = read_features(content, anchor.token if anchor else None, article.published)
    stance = _stance(anchor, feats)
    start = offset + seg.tokens[0].idx
    end = offset + seg.tokens[-1].idx + len(seg.tokens[-1].text)
    statement = _statement(name, kind, anchor, verb, content)
    return _make(article, name, kind, stance, start, end, statement, feats, sentence_index)


def _reported_claim(
    article: Article, offset: int, anchor: Anchor, state: ArticleClaimants, sentence_index: int
) -> Claim | None:
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
        return None
    name, kind = state.resolve(anchor.claimant)
    feats = read_features(content, None, article.published)
    start = offset + toks[0].idx
    end = offset + toks[-1].idx + len(toks[-1].text)
    statement = f"{name} claimed that {_text(content)}."
    return _make(article, name, kind, Stance.REPORTS, start, end, statement, feats, sentence_index)


def _make(
    article: Article,
    name: str,
    kind: str,
    stance: Stance,
    start: int,
    end: int,
    statement: str,
    feats: Features,
    sentence_index: int,
) -> Claim:
    quote = article.text[start:end]
    claim = Claim(
        id=stable_id("cl", article.sha256, start, end, name),
        article_id=article.id,
        statement=statement,
        claimant=name,
        claimant_kind=kind,
        stance=stance,
        quote=quote,
        start=start,
        end=end,
        negated=feats.negated,
        time=feats.time,
        quantities=feats.quantities,
        sentence=sentence_index,
        terms=feats.terms,
        markers=sorted(feats.markers),
    )
    return claim


def _stance(anchor: Anchor | None, feats: Features) -> Stance:
    if "denial_verb" in feats.markers or "dispute" in feats.markers:
        return Stance.DENIES
    if anchor is not None and anchor.kind in {"according", "claim_noun"}:
        return Stance.REPORTS
    if "hedge" in feats.markers:
        return Stance.HEDGES
    return Stance.ASSERTS


def _opens_with_quote(sent: Span) -> bool:
    first = next((t for t in sent if not t.is_space), None)
    return first is not None and is_quote(first)


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
