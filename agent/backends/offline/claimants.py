"""Turning claimant phrases into names: pronouns and titles resolved inside an article, and
one name per person across a run ("Tove Halvik", later "Halvik", are one claimant). The
organisations an article names, and what "the company" or "it" stands for, are bodies.py's."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from agent.backends.offline import attribution_words as aw
from agent.backends.offline import lexicon as lx
from agent.backends.offline.attribution import (
    Anchor,
    body_pronoun,
    claimant_phrase,
    quoted_tokens,
)
from agent.backends.offline.bodies import ArticleBodies
from agent.backends.offline.spans import span_text

if TYPE_CHECKING:  # spaCy is slow to import; a run on cached claims never needs it
    from spacy.tokens import Span, Token

_KIND_BY_ENT = {
    "PERSON": "person",
    "GPE": "government",
    "NORP": "government",
    "ORG": "organization",
}


Gender = Literal["female", "male"]


@dataclass
class Mention:
    """A named person seen in the article, with the title words around it."""

    name: str
    title_words: set[str]
    position: int
    nationality: set[str] = field(default_factory=set)
    sentence: int = 0
    """Index of the sentence it is in."""
    subject: bool = False
    """It is the subject of its clause (the likeliest antecedent of a later "he"/"she")."""
    quoted: bool = False
    """It stands inside a quotation (someone else's words: a weak antecedent)."""
    roles: set[str] = field(default_factory=set)
    """Role nouns the text puts right beside the name: a title before it ("Headteacher X")
    or an apposition ("X, the headteacher," / "the headteacher, X,")."""


def person_key(name: str) -> str:
    """One key per person across forms of the name: its last word, lower-case."""
    words = name.lower().split()
    return words[-1] if words else ""


def gender_of_word(word: str) -> Gender | None:
    """The gender a pronoun, honorific or gendered title gives ("she", "Mrs", "spokesman")."""
    lowered = word.lower().strip(".")
    if lowered in lx.FEMALE_WORDS:
        return "female"
    if lowered in lx.MALE_WORDS:
        return "male"
    return None


@dataclass
class ArticleClaimants:
    """Claimant resolution state while reading one article in order."""

    people: list[Mention] = field(default_factory=list)
    last_person_claimant: str | None = None
    last_person_position: int = -1
    last_claimant: tuple[str, str, int, bool] | None = None
    """The latest claimant other than the outlet: its name, kind, sentence and whether its
    phrase was plural ("Officials said", "three workers said")."""
    plural_names: set[str] = field(default_factory=set)
    """Claimant names whose phrase was plural ("residents", "officials")."""
    claimant_kinds: dict[str, str] = field(default_factory=dict)
    """Kind of each non-person claimant so far, for a pronoun that stands for it."""
    issuers: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Document noun -> (name, kind) of who issued, published or sent the latest one."""
    groups: list[tuple[str, int, int]] = field(default_factory=list)
    """Plural subjects seen (name, sentence, position): what a later "they" may stand for
    ("Inspectors visited the home. They said...")."""
    genders: dict[str, Gender] = field(default_factory=dict)
    """Person key -> the gender the text gives that person."""
    sentence: int = 0
    bodies: ArticleBodies = field(default_factory=ArticleBodies)
    """Organisations named so far: what "the company" and "it" stand for."""

    def observe(self, sent: Span, sentence: int = 0) -> None:
        """Record the people a sentence names, with titles like "Foreign Minister" before them,
        and the gender the text gives them (an honorific or gendered title, or the pronouns of
        a sentence that names only them)."""
        self.sentence = sentence
        quoted = quoted_tokens(sent.doc)
        named: dict[str, str] = {}
        self.bodies.observe(sent, sentence, quoted)
        for tok in sent:
            if tok.dep_ == "nsubj" and tok.tag_ == "NNS" and tok.i not in quoted:
                self.groups.append((span_text(claimant_phrase(tok)), sentence, tok.i))
            if tok.dep_ == "dobj" and tok.lemma_.lower() in aw.ISSUED_DOCUMENTS:
                self._note_issuer(tok, quoted)
        del self.groups[:-8]  # only the latest few can be a "they"
        body_names = self.bodies.described_in(sentence)
        found = [_as_person(e) for e in sent.ents] + _titled_untagged(sent)
        for ent in found:
            if ent is None or span_text(ent) in body_names:
                continue
            words, nationality = _title_words(ent)
            subject = any(t.dep_ in {"nsubj", "nsubjpass"} for t in ent) or (
                ent.root.dep_ in {"appos", "compound"} and ent.root.head.dep_ == "nsubj"
            )
            self.people.append(
                Mention(
                    ent.text,
                    words,
                    ent.start,
                    nationality,
                    sentence,
                    subject,
                    ent.start in quoted,
                    _roles(ent),
                )
            )
            key = person_key(ent.text)
            named[key] = ent.text
            for word in words:
                gender = gender_of_word(word)
                if gender and key not in self.genders:
                    self.genders[key] = gender
        if len(named) == 1:
            (key,) = named
            starts = [e.start for e in sent.ents if person_key(e.text) == key] or [
                e.start for e in found if e is not None and person_key(e.text) == key
            ]
            first = min(starts)
            genders = {
                gender_of_word(t.lower_)
                for t in sent
                if t.i > first
                and t.lower_ in lx.PERSON_PRONOUNS | {"himself", "herself"}
                and not _plain_object(t)
            } - {None}
            if len(genders) == 1 and key not in self.genders:
                self.genders[key] = next(iter(g for g in genders if g is not None))

    def body_referent(self, word: str, before: int) -> str | None:
        """Whom "it" or "they" stands for as the subject of a reporting verb. "They": the
        latest claimant, if plural or a body, within two sentences ("three workers said...
        They said"). "It": the latest singular body that spoke within three sentences, or
        the organisation named last within three, whichever came later."""
        if word == "they":
            return self._they(before)
        last = self.last_claimant
        if last is not None:
            _, kind, said_in, plural = last
            if kind == "person" or plural or self.sentence - said_in > 3:
                last = None
        body = self.bodies.latest(self.sentence, before)
        if last is not None and (body is None or last[2] >= body.sentence):
            return last[0]
        return body.name if body is not None else None

    def _note_issuer(self, document: Token, quoted: frozenset[int]) -> None:
        """ "X issued a statement" / "X published its report": X speaks through it later
        ("The statement said ...")."""
        subjects = [c for c in document.head.children if c.dep_ == "nsubj"]
        if not subjects or document.i in quoted or document.head.pos_ != "VERB":
            return
        phrase = claimant_phrase(subjects[0])
        if phrase and not any(t.lower_ in lx.SPEAKER_PRONOUNS for t in phrase):
            name, kind = self.resolve(phrase)
            if name and kind != "outlet":
                self.issuers[document.lemma_.lower()] = (name, kind)

    def _they(self, before: int) -> str | None:
        """ "They": the latest claimant, if plural or a body, within two sentences, or the
        plural subject of this sentence or the one before, whichever came later."""
        best: tuple[int, int] | None = None
        best_name: str | None = None
        last = self.last_claimant
        fits = last is not None and (last[3] or last[1] != "person")
        if last is not None and fits and self.sentence - last[2] <= 2:
            best, best_name = (last[2], 1 << 30), last[0]
        for name, sentence, position in self.groups:
            if sentence == self.sentence and position >= before:
                continue
            if self.sentence - sentence > 1 or not name:
                continue
            # a claimant of the same sentence spoke after its subject was named
            key = (sentence, position)
            if best is None or key > best:
                best, best_name = key, name
                self.claimant_kinds.setdefault(name, "other")  # a group, not a body
        return best_name

    def resolves(self, anchor: Anchor) -> bool:
        """Whether an anchor's claimant can be named: an "it" or "they" that stands for no
        body or group spoken of just before is no attribution ("It says, in bold, that..."
        of a document, "they now backed" of the countries just named); one that "found"
        must stand for an inquiry or its authors ("Inspectors visited. They found...")."""
        word = body_pronoun(anchor)
        if word is None:
            return True
        referent = self.body_referent(word, anchor.token.i)
        if referent is None:
            return False
        if anchor.token.lemma_.lower() in lx.SPEECH_VERBS | lx.POSITION_VERBS:
            return True
        return bool(set(referent.lower().split()) & aw.INQUIRY_NOUNS)

    def pronoun_for(self, token: Token) -> str | None:
        """The person a pronoun token stands for (see `pronoun`); a plain object pronoun
        never stands for the subject of its own clause ("X spoke after him" is not X)."""
        own = _own_subject(token) if _plain_object(token) else None
        return self.pronoun(token.lower_, token.i, not_in=own)

    def pronoun(
        self, word: str, before: int | None = None, not_in: range | None = None
    ) -> str | None:
        """The person a third-person pronoun most likely refers to: the nearest earlier
        mention of a person of a compatible gender, preferring the last sentence that names
        one, its subject, and words outside quotations; the person who spoke last when no
        mention fits."""
        gender = gender_of_word(word)
        best: tuple[int, int, int, int, int] | None = None
        best_name: str | None = None
        for mention in self.people:
            here = mention.sentence == self.sentence
            if before is not None and here and mention.position >= before:
                continue
            if here and mention.quoted:
                continue  # '"... X ...," he said': he is not someone his own words name
            if here and not_in is not None and mention.position in not_in:
                continue
            known = self.genders.get(person_key(mention.name))
            if gender and known and known != gender:
                continue
            key = (
                self.sentence - mention.sentence,
                int(gender is not None and known is None),  # a known match beats a guess
                int(mention.quoted),
                int(not mention.subject),
                -mention.position,
            )
            if best is None or key < best:
                best, best_name = key, mention.name
        claimant = self.last_person_claimant
        if claimant and not_in is not None:
            subjects = {
                person_key(m.name)
                for m in self.people
                if m.sentence == self.sentence and m.position in not_in
            }
            if person_key(claimant) in subjects:
                claimant = None  # the clause's own subject: "him" is someone else
        if claimant and (best is None or best[0] > self.sentence - self.last_person_position):
            known = self.genders.get(person_key(claimant))
            if not (gender and known and known != gender):
                best_name = claimant
        if best_name is not None and before is not None:
            self._chain(best_name, before, gender)
        return best_name

    def _chain(self, name: str, position: int, gender: Gender | None) -> None:
        """A resolved pronoun is a mention too: "X fled. He returned. He died." keeps X as the
        antecedent even when other people are named in between."""
        if any(m.sentence == self.sentence and m.position == position for m in self.people):
            return
        self.people.append(Mention(name, set(), position, set(), self.sentence, True, False))
        if gender and person_key(name) not in self.genders:
            self.genders[person_key(name)] = gender

    def resolve(self, phrase: list[Token]) -> tuple[str, str]:
        """(name, kind) for a claimant phrase, resolving "he", "the president", "the
        company", "it" and "a spokesman for the firm"; kind "outlet" for a pronoun that
        stands for no one the article named (its words stay the article's own)."""
        words = [t for t in phrase if t.pos_ != "DET" and t.dep_ not in {"case"}]
        if not words:
            words = phrase
        head = max(phrase, key=lambda t: _depth_inverse(t, phrase))
        if head.tag_ == "NNS":
            self.plural_names.add(span_text(words))
        lone = words[0].lower_ if len(words) == 1 else ""
        if lone in aw.BODY_PRONOUNS:
            body = self.body_referent(lone, words[0].i)
            return (body, self._body_kind(body)) if body else (words[0].text, "outlet")
        appositive = _appositive_person(head)
        if appositive:  # "her lawyer, Tobias Renn, said": the one named
            return appositive, "organization" if head.lower_ in aw.BODY_NOUNS else "person"
        # A document or a spokesperson stands for whoever issued it or is spoken for.
        if head.lemma_.lower() in lx.DOCUMENT_NOUNS | aw.VOICE_NOUNS:
            owned = self._owner(head)
            if owned:
                return owned
        issuer = self._issuer(head)
        if issuer:
            return issuer
        if len(words) == 1 and words[0].lower_ in lx.PERSON_PRONOUNS:
            return (self.pronoun(words[0].lower_, words[0].i) or words[0].text, "person")
        described = self.bodies.described_by(head, words, self.sentence)
        if described:
            return described, "organization"
        agent = self._persons_agent(head, words)
        if agent:
            return agent, "person"
        named = _titled_name(head, words)
        if named:
            return named, "person"
        titled = self._by_title(words, head)
        if titled:
            return titled, "person"
        name, kind = _name_kind(words)
        if self.bodies.is_described(name):
            kind = "organization"  # the text described it as a body, whatever the tagger said
        elif kind != "person" and self._is_known_person(name):
            kind = "person"
        return name, _kind_by_relative(head, kind)

    def _body_kind(self, name: str) -> str:
        return self.claimant_kinds.get(name, "organization")

    def _issuer(self, head: Token) -> tuple[str, str] | None:
        """ "The statement said" after "X issued a statement": X. Only a definite document
        with no owner or author of its own."""
        issued = self.issuers.get(head.lemma_.lower())
        if issued is None or head.pos_ != "NOUN" or head.tag_ != "NN":
            return None
        own = {"poss", "prep", "compound", "amod", "appos"}
        if any(c.dep_ in own for c in head.children):
            return None
        definite = any(c.dep_ == "det" and c.lower_ in {"the", "this"} for c in head.children)
        return issued if definite else None

    def _owner(self, head: Token) -> tuple[str, str] | None:
        """Whom a document or spokesperson speaks for: its possessor ("the ministry's
        statement", "his spokesman"), or for a spokesperson the body it is "for" or named
        beside it ("a spokesman for the firm", "a company spokesperson")."""
        owners = [c for c in head.children if c.dep_ == "poss"]
        if owners:
            owner = owners[0]
            if owner.lower_ in {"his", "her"}:
                person = self.pronoun(owner.lower_, owner.i)
                return (person, "person") if person else None
            if owner.lower_ in {"its", "their"}:
                body = self.body_referent("it" if owner.lower_ == "its" else "they", owner.i)
                return (body, self._body_kind(body)) if body else None
            tokens = [t for t in owner.subtree if t.dep_ != "case" and t.pos_ != "DET"]
            described = self.bodies.described_by(owner, tokens, self.sentence)
            return (described, "organization") if described else _name_kind(tokens)
        if head.lemma_.lower() not in aw.VOICE_NOUNS:
            return None
        for child in head.children:
            target: Token | None = None
            if child.dep_ == "compound" and child.pos_ == "NOUN":
                target = child
            elif child.dep_ == "prep" and child.lower_ == "for":
                target = next((g for g in child.children if g.dep_ == "pobj"), None)
            if target is None:
                continue
            tokens = [t for t in target.subtree if t.pos_ != "DET"]
            body = self.bodies.described_by(
                target, tokens, self.sentence, definite=child.dep_ != "compound"
            )
            if body:
                return f"{head.text} for {body}", "other"
        return None

    def _persons_agent(self, head: Token, words: list[Token]) -> str | None:
        """ "X's lawyer", "his lawyer": the one who acts for a named person, named by them."""
        if head.pos_ != "NOUN" or head.lemma_.lower() in lx.DOCUMENT_NOUNS | aw.VOICE_NOUNS:
            return None
        owner = next((c for c in head.children if c.dep_ == "poss"), None)
        if owner is None:
            return None
        rest = [t for t in words if t.i > owner.right_edge.i and t.i <= head.i]
        if not rest:
            return None
        if owner.lower_ in {"his", "her"}:
            person = self.pronoun(owner.lower_, owner.i)
        elif any(t.ent_type_ == "PERSON" for t in owner.subtree):
            person = span_text(t for t in owner.subtree if t.ent_type_ == "PERSON")
        else:
            return None
        return f"{person}'s {span_text(rest)}" if person else None

    def _is_known_person(self, name: str) -> bool:
        return any(m.name == name or m.name.split()[-1] == name for m in self.people)

    def note_claimant(self, name: str, kind: str, position: int) -> None:
        words = set(name.lower().split())
        person_noun = bool(words & (lx.TITLE_NOUNS | lx.MALE_WORDS | lx.FEMALE_WORDS))
        if kind == "person" or person_noun:  # "a spokesman said ... he added"
            self.last_person_claimant = name
            self.last_person_position = position
        if kind != "outlet":  # "the airline said ... It added"
            self.last_claimant = (name, kind, position, name in self.plural_names)
            self.claimant_kinds[name] = kind
        if kind not in {"outlet", "person"} and not person_noun:
            # "the regional environment agency said ... The agency did not respond"
            self.bodies.note_speaker(name, position)

    def _by_title(self, words: list[Token], head: Token) -> str | None:
        """The person a title stands for ("the minister added"); also a role the text itself
        gave a person ("Headteacher X ... the headteacher said")."""
        lowered = {t.lower_ for t in words}
        if any(t.ent_type_ == "PERSON" for t in words):
            return None
        if not (lowered & lx.TITLE_NOUNS):
            return self._by_role(head)
        modifiers = {t.lower_ for t in words if t.lower_ not in lx.TITLE_NOUNS}
        best: tuple[int, int, int, int] | None = None
        best_name: str | None = None
        for mention in self.people:
            if mention.quoted:
                continue  # "with President X" inside someone's quotation names no speaker
            titles = mention.title_words & lx.TITLE_NOUNS
            # "his Quenlandish counterpart, X" gives X whatever title the descriptor names.
            if not (titles & lowered or "counterpart" in titles):
                continue
            extra = mention.nationality
            score = len(extra & modifiers) * 2 - len(extra - modifiers)
            # The person just quoted is the likeliest "the minister added".
            recent = int(mention.name == self.last_person_claimant)
            key = (score, recent, mention.sentence, mention.position)
            if best is None or key > best:
                best, best_name = key, mention.name
        return best_name

    def _by_role(self, head: Token) -> str | None:
        """ "The headteacher said" after "Headteacher Simone Vardy" or "Simone Vardy, the
        headteacher,": the latest person the text gave that role (a definite singular noun
        the text put beside the name), outside quotations."""
        role = head.lower_
        definite = any(c.dep_ == "det" and c.lower_ == "the" for c in head.children)
        if head.pos_ != "NOUN" or head.tag_ != "NN" or not definite or role in aw.BODY_NOUNS:
            return None
        best: tuple[int, int] | None = None
        best_name: str | None = None
        for mention in self.people:
            if mention.quoted or role not in mention.roles:
                continue
            key = (mention.sentence, mention.position)
            if best is None or key > best:
                best, best_name = key, mention.name
        return best_name


def _titled_untagged(sent: Span) -> list[Span | None]:
    """Names the tagger missed that the text gives a person's title in apposition ("Fenna
    Ruiz, the chief executive of X, said"): a run of two or more capitalised proper nouns
    that is a subject, with an apposition holding a title or a person's role."""
    found: list[Span | None] = []
    roles = lx.TITLE_NOUNS | lx.PERSON_NOUNS
    for tok in sent:
        if tok.pos_ != "PROPN" or tok.dep_ != "nsubj" or tok.ent_type_ == "PERSON":
            continue
        appos = [c for c in tok.children if c.dep_ == "appos" and c.i > tok.i]
        if not any(g.lower_ in roles for a in appos for g in a.subtree):
            continue
        run = [c for c in tok.children if c.dep_ == "compound" and c.pos_ == "PROPN"]
        start = min([tok.i, *(c.i for c in run)])
        span = sent.doc[start : tok.i + 1]
        if len(span) >= 2 and all(t.is_title for t in span):
            found.append(span)
    return found


def _roles(ent: Span) -> set[str]:
    """Role nouns right beside a name (see `Mention.roles`), lower-case."""
    doc = ent.doc
    roles: set[str] = set()
    i = ent.start - 1
    while i >= ent.sent.start and doc[i].pos_ in {"NOUN", "PROPN"} and doc[i].ent_type_ == "":
        roles.add(doc[i].lower_)  # "Headteacher Simone Vardy"
        i -= 1
    if len(ent) >= 3:
        roles.add(ent[0].lower_)  # the tagger took the title in: "Sergeant Hal Brody"
    root = ent.root
    roles.update(c.lower_ for c in root.children if c.dep_ == "appos" and c.pos_ == "NOUN")
    if root.dep_ == "appos" and root.head.pos_ == "NOUN":
        roles.add(root.head.lower_)  # "the headteacher, Simone Vardy,"
    return roles


def _appositive_person(head: Token) -> str | None:
    """The person named beside a description ("her lawyer, Tobias Renn,")."""
    if head.pos_ not in {"NOUN", "PROPN"} or head.ent_type_ == "PERSON":
        return None  # "the Minister for X, Orla Dunne," too
    for child in head.children:
        if child.dep_ == "appos" and child.ent_type_ == "PERSON":
            names = [t for t in child.subtree if t.ent_type_ == "PERSON"]
            run = [t for t in names if abs(t.i - child.i) <= 3]
            return span_text(run) or None
    return None


def _kind_by_relative(head: Token, kind: str) -> str:
    """ "X, who chairs the committee" is a person; "X, which runs the site" is not."""
    for child in head.children:
        if child.dep_ != "relcl":
            continue
        pronoun = next((g.lower_ for g in child.children if g.dep_ in {"nsubj", "nsubjpass"}), "")
        if pronoun == "who":
            return "person"
        if pronoun == "which" and kind == "person":
            return "organization"
    return kind


_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lady", "lord"})
_OBJECT_DEPS = frozenset({"dobj", "pobj", "dative", "iobj", "obj"})


def _own_subject(token: Token) -> range | None:
    """The token positions of the subject of the clause a pronoun is the object of ("X" in
    "X spoke after him", "X thanked him"), if it has one."""
    head = token.head
    while head.dep_ == "prep" and head.head is not head:
        head = head.head
    for child in head.children:
        if child.dep_ in {"nsubj", "nsubjpass"}:
            return range(child.left_edge.i, child.right_edge.i + 1)
    return None


def _plain_object(token: Token) -> bool:
    """A plain (not reflexive, not possessive) object pronoun: "X spoke after him" and "X
    thanked her" speak of someone other than X, the subject of the clause, so they tell
    nothing of X's gender ("X said she...", "X raised her hand", "X herself" do)."""
    return token.dep_ in _OBJECT_DEPS and token.lower_ in {"him", "her"}


def _as_person(ent: Span) -> Span | None:
    """A person's name: a PERSON entity, or an honorific and a name the tagger took for
    something else ("Mrs Tove Halvik" tagged ORG), without the honorific."""
    if ent.label_ == "PERSON" and len(ent) > 0:
        if ent[0].lower_.strip(".") in _HONORIFICS and len(ent) > 1:
            return ent.doc[ent.start + 1 : ent.end]
        return ent
    if len(ent) >= 2 and ent[0].lower_.strip(".") in _HONORIFICS:
        name = ent.doc[ent.start + 1 : ent.end]
        if all(t.is_title for t in name):
            return name
    return None


def _titled_name(head: Token, words: list[Token]) -> str | None:
    """ "Deputy Minister Tove Halvik" -> "Tove Halvik" when the parser did not tag the person."""
    if head.pos_ != "PROPN" or not any(t.lower_ in lx.TITLE_NOUNS for t in words):
        return None
    run = [head]
    i = head.i - 1
    while i >= 0 and head.doc[i].pos_ == "PROPN" and head.doc[i] in words:
        if head.doc[i].lower_ in lx.TITLE_NOUNS or head.doc[i].text.lower() in {
            "parliament",
            "state",
        }:
            break
        run.insert(0, head.doc[i])
        i -= 1
    return " ".join(t.text for t in run) if len(run) >= 2 else None


def _depth_inverse(tok: Token, phrase: list[Token]) -> int:
    """Higher for the phrase's syntactic head (the token whose head lies outside it)."""
    return 1 if tok.head not in phrase or tok.head == tok else 0


def _title_words(ent: Span) -> tuple[set[str], set[str]]:
    """Words of the title around a name, and the nationality words among them."""
    words: set[str] = set()
    nationality: set[str] = set()
    doc = ent.doc
    i = ent.start - 1
    while i >= max(ent.sent.start, ent.start - 5):
        tok = doc[i]
        if tok.is_punct or tok.pos_ in {"PROPN", "NOUN", "ADJ"} or tok.lower_ in {"of", "'s"}:
            if tok.lower_ not in {"of", "'s"}:
                words.add(tok.lower_)
                if tok.ent_type_ in {"NORP", "GPE"}:
                    nationality.add(tok.lower_)
            i -= 1
            continue
        break
    # "Tove Halvik, the Norvish minister" style apposition after the name.
    after = ent.end
    if after + 1 < len(doc) and doc[after].text == ",":
        for tok in doc[after + 1 : min(after + 5, ent.sent.end)]:
            if tok.is_punct:
                break
            words.add(tok.lower_)
            if tok.ent_type_ in {"NORP", "GPE"}:
                nationality.add(tok.lower_)
    return words, nationality


def _name_kind(words: list[Token]) -> tuple[str, str]:
    persons = [t for t in words if t.ent_type_ == "PERSON"]
    if persons:
        return span_text(persons), "person"
    text = span_text(words)
    ent_types = {t.ent_type_ for t in words if t.ent_type_}
    for ent, kind in _KIND_BY_ENT.items():
        if ent in ent_types:
            return text, kind
    return text, "other"
