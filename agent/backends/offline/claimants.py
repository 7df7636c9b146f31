"""Turning claimant phrases into names: pronouns and titles resolved inside an article, and
one name per person across a run ("Tove Halvik", later "Halvik", are one claimant)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from agent.backends.offline import lexicon as lx
from agent.backends.offline.attribution import quoted_tokens

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
    genders: dict[str, Gender] = field(default_factory=dict)
    """Person key -> the gender the text gives that person."""
    sentence: int = 0

    def observe(self, sent: Span, sentence: int = 0) -> None:
        """Record the people a sentence names, with titles like "Foreign Minister" before them,
        and the gender the text gives them (an honorific or gendered title, or the pronouns of
        a sentence that names only them)."""
        self.sentence = sentence
        quoted = quoted_tokens(sent.doc)
        named: dict[str, str] = {}
        for ent in (_as_person(e) for e in sent.ents):
            if ent is None:
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
            first = min(e.start for e in sent.ents if person_key(e.text) == key)
            genders = {
                gender_of_word(t.lower_)
                for t in sent
                if t.i > first
                and t.lower_ in lx.PERSON_PRONOUNS | {"himself", "herself"}
                and not _plain_object(t)
            } - {None}
            if len(genders) == 1 and key not in self.genders:
                self.genders[key] = next(iter(g for g in genders if g is not None))

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
        """(name, kind) for a claimant phrase, resolving "he" and "the president"."""
        words = [t for t in phrase if t.pos_ != "DET" and t.dep_ not in {"case"}]
        if not words:
            words = phrase
        head = max(phrase, key=lambda t: _depth_inverse(t, phrase))
        # A document stands for whoever issued it: "the ministry's statement".
        if head.lemma_.lower() in lx.DOCUMENT_NOUNS:
            owners = [c for c in head.children if c.dep_ == "poss"]
            if owners:
                owner = [t for t in owners[0].subtree if t.dep_ != "case" and t.pos_ != "DET"]
                return _name_kind(owner)
        if len(words) == 1 and words[0].lower_ in lx.PERSON_PRONOUNS:
            return (self.pronoun(words[0].lower_, words[0].i) or words[0].text, "person")
        named = _titled_name(head, words)
        if named:
            return named, "person"
        titled = self._by_title(words)
        if titled:
            return titled, "person"
        name, kind = _name_kind(words)
        if kind != "person" and self._is_known_person(name):
            kind = "person"
        return name, kind

    def _is_known_person(self, name: str) -> bool:
        return any(m.name == name or m.name.split()[-1] == name for m in self.people)

    def note_claimant(self, name: str, kind: str, position: int) -> None:
        words = set(name.lower().split())
        person_noun = bool(words & (lx.TITLE_NOUNS | lx.MALE_WORDS | lx.FEMALE_WORDS))
        if kind == "person" or person_noun:  # "a spokesman said ... he added"
            self.last_person_claimant = name
            self.last_person_position = position

    def _by_title(self, words: list[Token]) -> str | None:
        lowered = {t.lower_ for t in words}
        if not (lowered & lx.TITLE_NOUNS) or any(t.ent_type_ == "PERSON" for t in words):
            return None
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
        return _span_text(persons), "person"
    text = _span_text(words)
    ent_types = {t.ent_type_ for t in words if t.ent_type_}
    for ent, kind in _KIND_BY_ENT.items():
        if ent in ent_types:
            return text, kind
    return text, "other"


def _span_text(tokens: Iterable[Token]) -> str:
    toks = sorted(tokens, key=lambda t: t.i)
    if not toks:
        return ""
    doc = toks[0].doc
    text = doc[toks[0].i : toks[-1].i + 1].text
    for prefix in ("the ", "The "):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    if text.endswith("’s") or text.endswith("'s"):
        text = text[:-2]
    return text.strip(" ,")
