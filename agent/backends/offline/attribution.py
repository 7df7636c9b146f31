"""Who says what inside one sentence: attribution anchors and the text each one owns.

An anchor is a reporting or position verb ("said", "insisting", "rejected"), an "according
to X" phrase, or a possessed claim noun ("X's claims that..."). Each anchor gets a claimant
(its subject, the noun it modifies, or the subject it inherits from the verb it hangs on) and a
segment of the sentence. Segments are cut linearly at the anchors' left edges, which copes with
the parser's mistakes on long news sentences better than trusting subtrees alone: "with A
insisting P but B insisting Q" yields two segments with two claimants.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from agent.backends.offline import attribution_words as aw
from agent.backends.offline import lexicon as lx

if TYPE_CHECKING:  # spaCy is slow to import; a run on cached claims never needs it
    from spacy.tokens import Doc, Span, Token

AnchorKind = Literal["speech", "position", "according", "claim_noun", "colon"]

_QUOTE_CHARS = frozenset("\"“”‘’'«»")
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_COMPLEMENT_DEPS = frozenset({"ccomp", "xcomp", "dobj", "parataxis"})
_INHERIT_DEPS = frozenset({"advcl", "xcomp", "conj", "pcomp", "relcl", "acl", "prep"})
_CLAIMANT_DROP_DEPS = frozenset({"relcl", "acl", "appos", "punct", "cc", "conj"})
_TRIM_POS = frozenset({"ADP", "CCONJ", "SCONJ", "PUNCT", "DET", "PART"})


@dataclass
class Anchor:
    """One attribution inside a sentence."""

    token: Token
    kind: AnchorKind
    claimant: list[Token]
    left: int
    complement_first: bool = False
    nested_in: Anchor | None = None


@dataclass
class Segment:
    """A stretch of a sentence owned by one anchor (or by the outlet when `anchor` is None)."""

    start: int
    end: int
    anchor: Anchor | None
    tokens: list[Token] = field(default_factory=list)


def is_quote(token: Token) -> bool:
    return token.text in _QUOTE_CHARS


def find_anchors(sent: Span, keep: Callable[[Anchor], bool] | None = None) -> list[Anchor]:
    """The attribution anchors of a sentence, with claimants, in sentence order. A verb
    inside a quotation is part of the quoted words, never an attribution of its own
    ("“X backed the plan”, Y posted" is Y's claim). `keep` may refuse an anchor (an "it
    said" whose "it" stands for no one named): the sentence then reads as if it had none."""
    anchors: list[Anchor] = []
    quoted = quoted_tokens(sent.doc)
    for tok in sent:
        if tok.i in quoted:
            continue
        anchor = _anchor_for(tok, sent)
        if anchor is not None and (keep is None or keep(anchor)):
            anchors.append(anchor)
    if not anchors:
        colon = _colon_quotation(sent, quoted)
        if colon is not None and (keep is None or keep(colon)):
            anchors.append(colon)
    _mark_nested(anchors, sent)
    return anchors


def _anchor_for(tok: Token, sent: Span) -> Anchor | None:
    lemma = tok.lemma_.lower()
    if tok.lower_ == "according" and tok.i + 1 < sent.end and tok.nbor(1).lower_ == "to":
        objects = [c for c in tok.nbor(1).children if c.dep_ == "pobj"]
        if not objects:
            return None
        # The claim is the rest of the sentence, before or after the phrase.
        return Anchor(tok, "according", _phrase(objects[0]), tok.i, complement_first=True)
    if tok.pos_ == "NOUN" and lemma in {"claim", "allegation", "assertion", "accusation"}:
        owners = [c for c in tok.children if c.dep_ == "poss"]
        content = [c for c in tok.children if c.dep_ in {"acl", "ccomp", "relcl"}]
        if owners and content and any(t.lower_ == "that" for t in content[0].subtree):
            return Anchor(tok, "claim_noun", _phrase(owners[0]), owners[0].left_edge.i)
        return None
    if tok.pos_ != "VERB" or tok.dep_ in {"amod", "compound"}:
        return None
    if lemma in lx.SPEECH_VERBS or (
        lemma == "point" and any(c.lower_ == "out" for c in tok.children)
    ):
        kind: AnchorKind = "speech"
    elif lemma in lx.POSITION_VERBS:
        kind = "position"
    elif lemma in aw.FINDING_VERBS and _inquiry_subject(tok):
        kind = "speech"  # "the report found that P": the report's claim
    else:
        return None
    claimant = _claimant_of(tok)
    if not claimant or _pronoun_only(claimant):
        return None
    subject_before = claimant[0].i < tok.i and _is_own_subject(tok, claimant)
    complements = [c for c in tok.children if c.dep_ in {"ccomp", "parataxis"} and c.i < tok.i]
    if complements and not subject_before:
        first = min(c.left_edge.i for c in complements)
        return Anchor(tok, kind, claimant, first, complement_first=True)
    if complements and subject_before and complements[0].left_edge.i < claimant[0].i:
        first = min(c.left_edge.i for c in complements)
        return Anchor(tok, kind, claimant, first, complement_first=True)
    return Anchor(tok, kind, claimant, _left_edge(tok, claimant, subject_before))


def _colon_quotation(sent: Span, quoted: frozenset[int]) -> Anchor | None:
    """ "X was blunt: “P.”" / "X put it simply: “P.”": a quotation a colon opens after a
    clause about a named person or body, in a sentence with no reporting verb, is that
    subject's; the anchor is the colon, and the quotation its segment."""
    for tok in sent:
        if tok.text != ":" or tok.i + 1 >= sent.end or tok.i in quoted:
            continue
        if not is_quote(tok.nbor(1)) or tok.nbor(1).text in _CLOSING:
            continue
        # The clause before the colon: the word of it whose head lies past the colon (the
        # parser often makes the quotation the root).
        clauses = [t for t in sent if t.i < tok.i and (t.head.i >= tok.i or t.head == t)]
        subjects = [c for t in clauses for c in t.children if c.dep_ == "nsubj" and c.i < t.i]
        if len(subjects) != 1:
            return None
        subject = subjects[0]
        speaker = subject.pos_ == "PROPN" or subject.lower_ in (
            lx.TITLE_NOUNS | lx.PERSON_NOUNS | aw.BODY_NOUNS
        )
        if not speaker or subject.lower_ in lx.SPEAKER_PRONOUNS:
            return None
        return Anchor(tok, "colon", _phrase(subject), tok.i + 1)
    return None


def _pronoun_only(claimant: list[Token]) -> bool:
    """ "I", "we" (inside a quotation) and "each" cannot be resolved to a speaker here; "it"
    and "they" alone can (the body that spoke before: "It said", "They added"), so they
    stay anchors for the claimant resolver."""
    words = {t.lower_ for t in claimant if not t.is_punct}
    if words and words <= aw.BODY_PRONOUNS:
        return False
    return bool(words) and words <= (lx.SPEAKER_PRONOUNS | lx.GROUP_PRONOUNS)


def body_pronoun(anchor: Anchor) -> str | None:
    """The pronoun ("it", "they") that is an anchor's whole claimant, if it is one."""
    words = [t.lower_ for t in anchor.claimant if not t.is_punct]
    return words[0] if len(words) == 1 and words[0] in aw.BODY_PRONOUNS else None


def _inquiry_subject(verb: Token) -> bool:
    """The verb's own subject is an inquiry or its authors ("the review", "researchers at X")."""
    return any(
        c.dep_ == "nsubj"
        and (
            c.lower_ in aw.INQUIRY_NOUNS | aw.BODY_PRONOUNS or c.lemma_.lower() in aw.INQUIRY_NOUNS
        )
        for c in verb.children
    )  # "it"/"they" found: the claimant resolver checks they stand for an inquiry


def _is_own_subject(verb: Token, claimant: list[Token]) -> bool:
    return any(t.head == verb and t.dep_ in _SUBJECT_DEPS for t in claimant) or (
        verb.dep_ == "acl" and verb.head in claimant
    )


def _left_edge(verb: Token, claimant: list[Token], subject_before: bool) -> int:
    if subject_before:
        left = claimant[0].i
        # Take in a clause opener that belongs to this verb ("While X claimed ...").
        for child in verb.children:
            if child.i < left and child.dep_ in {"mark", "advmod"} and child.i == left - 1:
                left = child.i
        return left
    # Inside a relative clause the clause is the claim's own words ("who joined X in denying").
    node = verb
    for _ in range(4):
        if node.dep_ == "relcl":
            return node.left_edge.i
        if node.head == node:
            break
        node = node.head
    left = verb.i
    for child in verb.children:
        if child.i < verb.i and child.dep_ in {"aux", "auxpass", "neg"}:
            left = min(left, child.i)
    return left


def _claimant_of(verb: Token) -> list[Token]:
    """The phrase that says who asserts what `verb` introduces; [] when there is none."""
    node = verb
    for _ in range(5):
        subjects = [c for c in node.children if c.dep_ in _SUBJECT_DEPS]
        if subjects and subjects[0].dep_ == "nsubj":
            if subjects[0].lower_ in lx.RELATIVE_PRONOUNS and node.dep_ == "relcl":
                return _phrase(node.head)  # "X, who denied ..." -> X
            return _phrase(subjects[0])
        if subjects:  # passive: "it was said by X"
            agents = [c for c in node.children if c.dep_ == "agent"]
            objects = [g for a in agents for g in a.children if g.dep_ == "pobj"]
            return _phrase(objects[0]) if objects else []
        if node.dep_ in {"acl", "relcl"} and node.head.pos_ in {"NOUN", "PROPN", "PRON"}:
            if node.tag_ == "VBN":  # "69 tornadoes confirmed": what was confirmed, not who
                return []
            return _phrase(node.head)
        if node.dep_ not in _INHERIT_DEPS or node.head == node:
            return []
        node = node.head
    return []


def claimant_phrase(head: Token) -> list[Token]:
    """The noun phrase a claimant is named by (see `_phrase`)."""
    return _phrase(head)


def _phrase(head: Token) -> list[Token]:
    """A noun phrase without its relative clauses, appositions or coordinated extras; a
    description followed by the name of a body ("our contractor, X Services, said") is that
    body (a person's name beside a title is the claimant resolver's, see claimants.py)."""
    if head.pos_ == "NOUN":
        for child in head.children:
            if (
                child.dep_ == "appos"
                and child.pos_ == "PROPN"
                and child.ent_type_ not in {"", "PERSON"}
            ):
                return _phrase(child)
    keep: list[Token] = []
    for tok in head.subtree:
        path_ok = True
        node = tok
        while node != head:
            if node.dep_ in _CLAIMANT_DROP_DEPS and node.head == head and node.dep_ != "conj":
                path_ok = False
                break
            if node.dep_ in {"relcl", "acl", "appos"}:
                path_ok = False
                break
            node = node.head
        if path_ok and not tok.is_punct:
            keep.append(tok)
    keep.sort(key=lambda t: t.i)
    # Keep one contiguous run around the head so the claimant reads as a phrase.
    run = [t for t in keep if abs(t.i - head.i) <= 8]
    return run or [head]


def _mark_nested(anchors: list[Anchor], sent: Span) -> None:
    """An anchor inside another anchor's reported content is part of that content
    ("X said Y agreed"), unless it opens its own clause before the other's subject."""
    for inner in anchors:
        for outer in anchors:
            if inner is outer or inner.kind == "according":
                continue
            if not _in_complement(inner.token, outer.token):
                continue
            if inner.kind == "claim_noun":
                inner.nested_in = outer
                break
            if inner.kind == "speech" and inner.token.dep_ == "acl":
                continue  # "... but officials insisting Q": a new speaker, not reported content
            own_subject = any(c.dep_ == "nsubj" for c in inner.token.children)
            before_outer_subject = outer.claimant and inner.token.i < outer.claimant[0].i
            quoted = any(is_quote(t) for t in sent.doc[sent.start : inner.token.i])
            if own_subject and before_outer_subject and not quoted:
                continue
            inner.nested_in = outer
            break


def _in_complement(tok: Token, verb: Token) -> bool:
    node = tok
    while node.head != node:
        if node.head == verb:
            return node.dep_ in _COMPLEMENT_DEPS
        node = node.head
    return False


def segments(sent: Span, anchors: list[Anchor]) -> list[Segment]:
    """Cut the sentence at the top-level anchors' left edges."""
    top = sorted((a for a in anchors if a.nested_in is None), key=lambda a: a.left)
    # A quote-first anchor whose "quote" holds an earlier anchor with its own subject was
    # misparsed ("While A claimed P, B said Q"): it starts at its subject instead.
    for i, anchor in enumerate(top):
        if anchor.complement_first and any(
            o.left <= anchor.left and o is not anchor for o in top[:i] + top[i + 1 :]
        ):
            anchor.complement_first = False
            anchor.left = min(t.i for t in anchor.claimant)
    top.sort(key=lambda a: a.left)
    cuts: list[Segment] = []
    if not top:
        return [_trimmed(sent, sent.start, sent.end, None)]
    first = top[0]
    if first.left > sent.start and not first.complement_first:
        cuts.append(_trimmed(sent, sent.start, first.left, None))
    for i, anchor in enumerate(top):
        start = sent.start if (i == 0 and anchor.complement_first) else anchor.left
        end = top[i + 1].left if i + 1 < len(top) else sent.end
        cuts.append(_trimmed(sent, start, end, anchor))
    return [c for c in cuts if c.tokens]


_NEGATORS = frozenset({"not", "n't", "nor", "neither"})


def leading_word_counts(tok: Token) -> bool:
    """A claim's first word that must not be trimmed as a connective: a negation ("Not one
    midwife was consulted", "Nor was the school told") or the preposition of a fronted
    phrase ("At 3 p.m. the fire started", "Under no circumstances was it left open").
    Dropping either changes what is claimed."""
    if tok.lower_ in _NEGATORS:
        return True
    return tok.pos_ == "ADP" and any(child.dep_ == "pobj" for child in tok.children)


def _trimmed(sent: Span, start: int, end: int, anchor: Anchor | None) -> Segment:
    doc = sent.doc
    toks = list(doc[start:end])
    while (
        toks
        and toks[0].pos_ in _TRIM_POS - {"DET"}
        and not is_quote(toks[0])
        and toks[0] != _tok(anchor)
        and not leading_word_counts(toks[0])
    ):
        toks.pop(0)
    while toks and _trailing_junk(toks[-1], anchor):
        toks.pop()
    toks = _balance_quotes(toks)
    if not toks:
        return Segment(start, start, anchor, [])
    return Segment(toks[0].i, toks[-1].i + 1, anchor, toks)


def _tok(anchor: Anchor | None) -> Token | None:
    return anchor.token if anchor else None


def _trailing_junk(tok: Token, anchor: Anchor | None) -> bool:
    if tok == _tok(anchor) or is_quote(tok):
        return False
    if tok.pos_ == "PUNCT":
        return tok.text not in {")", "]", "?", "!"}
    return tok.pos_ in _TRIM_POS or tok.lower_ in {"who", "which", "while", "whereas"}


def _balance_quotes(toks: list[Token]) -> list[Token]:
    """Drop a lone quote mark at either end, so a quote reads as the words it holds."""
    marks = [t for t in toks if is_quote(t) and t.text not in {"'", "’"}]
    if len(marks) % 2 == 1:
        if toks and toks[0] is marks[0] and toks[0].text in {"“", '"', "«"} and len(marks) == 1:
            toks = toks[1:]
        elif toks and toks[-1] is marks[-1]:
            toks = toks[:-1]
    while toks and toks[-1].pos_ == "PUNCT" and toks[-1].text in {",", ";", ":", "—", "-"}:
        toks = toks[:-1]
    return toks


def content_tokens(segment: Segment) -> list[Token]:
    """The segment without its attribution: what is claimed, not who claims it."""
    anchor = segment.anchor
    if anchor is None:
        return [t for t in segment.tokens if not is_quote(t)]
    drop = {t.i for t in anchor.claimant}
    # "X, which owns the line, said ...": what is said of the claimant is not the claim.
    for tok in anchor.claimant:
        for child in tok.children:
            if child.dep_ in {"relcl", "appos", "acl"} and child.i < anchor.token.i:
                clause = {g.i for g in child.subtree}
                if anchor.token.i not in clause:  # "X, who joined Y in denying P": P stays
                    drop.update(clause)
    drop.add(anchor.token.i)
    if anchor.kind == "according":
        drop.add(anchor.token.i + 1)
    for child in anchor.token.children:
        if child.dep_ in {"aux", "auxpass", "punct"} or (
            child.dep_ == "prep" and child.i < anchor.token.i
        ):
            drop.add(child.i)
        if child.dep_ in {"ccomp", "xcomp"}:
            drop.update(g.i for g in child.children if g.dep_ == "mark" and g.lower_ == "that")
        if child.dep_ == "dobj" and anchor.token.lemma_.lower() == "tell":
            drop.update(g.i for g in _told_whom(child))  # "told reporters"
    kept = [t for t in segment.tokens if t.i not in drop and not is_quote(t)]
    while (
        kept
        and kept[0].pos_ in {"PUNCT", "CCONJ", "SCONJ", "ADP"}
        and not leading_word_counts(kept[0])
    ):
        kept.pop(0)
    while (
        kept
        and kept[-1].pos_ in {"PUNCT", "CCONJ", "SCONJ", "ADP"}
        and kept[-1].text
        not in {
            "?",
            "!",
        }
    ):
        kept.pop()
    return kept


def _told_whom(listener: Token) -> list[Token]:
    """Who was told, without the "that" clause the parser hung on it ("told inspectors
    that new staff had been recruited" read as inspectors who were recruited)."""
    keep: set[int] = set()
    for clause in listener.children:
        if clause.dep_ in {"acl", "relcl", "ccomp"} and any(
            g.dep_ == "mark" and g.lower_ == "that" for g in clause.children
        ):
            keep.update(g.i for g in clause.subtree if not (g.dep_ == "mark" and g.head == clause))
    return [t for t in listener.subtree if t.i not in keep]


_OPENING = frozenset("“«")
_CLOSING = frozenset("”»")


def quoted_tokens(doc: Doc) -> frozenset[int]:
    """Indices of the tokens inside quotation marks in a parsed paragraph ("“...”", "«...»",
    straight double quotes); computed once per paragraph."""
    cached = doc.user_data.get("quoted_tokens")
    if isinstance(cached, frozenset):
        return cached
    inside: set[int] = set()
    depth = False
    for tok in doc:
        text = tok.text
        if text in _OPENING or (text == '"' and not depth):
            depth = True
            continue
        if text in _CLOSING or (text == '"' and depth):
            depth = False
            continue
        if depth:
            inside.add(tok.i)
    result = frozenset(inside)
    doc.user_data["quoted_tokens"] = result
    return result
