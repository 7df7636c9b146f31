"""Whether two words of two claims name one event or one thing, or opposite ones: the
hand lexicon's synonym sets and antonyms (agent/backends/offline/lexicon.py, for news
usage WordNet lacks), then WordNet 3.0 (agent/backends/offline/wordnet.py).

Two words align when one of the first `SENSES` senses of each is the same synset, or one of
those senses is a direct hypernym of one of the other's ("walkout" is a kind of "strike").
Only the most frequent senses count: a word's rare senses join it to words it almost never
means in the news ("fire" and "can" share the sense "dismiss", far down both lists).
A count is compared only with a count of a synonym (`same_thing_counted`): three of a kind
and nine of its class can both be true.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import lru_cache

from agent.backends.offline import lexicon as lx
from agent.backends.offline import wordnet as wn

SENSES = 2
"""How many of a word's senses (most frequent first) alignment looks at; see the README's
offline section for the eval figures at 1, 2 and 3."""

NARROW_CLASS = 20
"""A hypernym aligns its kinds only when it has at most this many direct kinds (hyponyms):
"strike" (a work stoppage, 4 kinds) joins "walkout"; "person" (402) does not join "worker"
and "leader", nor "travel" (123) "walk" and "come" (bench/wordnet_senses.py lists them)."""

_HAND_ANTONYMS = {a: b for a, b in lx.ANTONYMS} | {b: a for a, b in lx.ANTONYMS}
_EVENT_POS: tuple[wn.Pos, ...] = ("v", "a", "n")
_warned: list[bool] = []
log = logging.getLogger(__name__)


def _usable() -> bool:
    """WordNet can be read; if not, alignment falls back to the hand lexicon alone after one
    warning naming the package to install."""
    if wn.available():
        return True
    if not _warned:
        _warned.append(True)
        try:
            wn.wordnet()
        except wn.WordNetMissing as missing:
            # The CLI prints the core's warnings as one "warning: ..." line each.
            log.warning("%s", missing)
    return False


def _related(a: str, b: str, pos: wn.Pos, *, hypernym: bool) -> bool:
    sa, sb = wn.senses(a, pos, SENSES), wn.senses(b, pos, SENSES)
    if not sa or not sb:
        return False
    ka, kb = {s.key for s in sa}, {s.key for s in sb}
    if ka & kb:
        return True
    if not hypernym:
        return False
    # A word is a kind of the other by its first sense only: "breach" (break a rule) is no
    # kind of "open" though its second sense (make a gap) is. And only of a narrow class:
    # "walk" is a kind of "travel", one of 123, which says nothing of which event it is.
    return any(_narrow(h) for h in wn.hypernyms(sa[0]) & kb) or any(
        _narrow(h) for h in wn.hypernyms(sb[0]) & ka
    )


def _narrow(key: tuple[wn.Pos, int]) -> bool:
    return wn.synset_at(*key).kinds <= NARROW_CLASS


@lru_cache(maxsize=262144)
def events_align(a: str, b: str) -> bool:
    """Two canonical events (frame event strings) are one event: the same word, or WordNet
    relates them in the first part of speech both have ("shut" and "close" as verbs;
    "closed" and "shut" as adjectives). "be X" events (X predicated of something) align
    when their nouns do."""
    if a == b:
        return True
    if not (a and b) or not _usable():
        return False
    if a.startswith("be ") or b.startswith("be "):
        both = a.startswith("be ") and b.startswith("be ")
        return both and things_align(a[3:], b[3:])
    for pos in _EVENT_POS:
        if wn.senses(a, pos, SENSES) and wn.senses(b, pos, SENSES):
            return _related(a, b, pos, hypernym=True)
    return _derived(a, b) or _derived(b, a)


def _derived(noun: str, verb: str) -> bool:
    """A noun with no verb sense names the verb's event: one of its first senses is
    derivationally related to one of the verb's ("evacuation" and "evacuate")."""
    verbs = {s.key for s in wn.senses(verb, "v", SENSES)}
    if not verbs or wn.senses(noun, "v", SENSES):
        return False
    word = wn.lookup(noun, "n")[0]
    return any(
        (pos, offset) in verbs
        for synset in wn.senses(noun, "n", SENSES)
        for pos, offset, _ in synset.related(wn.DERIVED, word)
    )


@lru_cache(maxsize=262144)
def things_align(a: str, b: str) -> bool:
    """Two participant or counted nouns are one thing: the same word, or WordNet relates
    their noun senses (synonyms, or one directly the other's class). Names of several words
    and words with digits are left to exact matching."""
    if a == b:
        return True
    if not (_noun_like(a) and _noun_like(b)):
        return False
    return _usable() and _related(a, b, "n", hypernym=True)


def _noun_like(word: str) -> bool:
    """One word of letters, perhaps hyphenated ("half-hour"): not a name of several words,
    not a figure."""
    return word.replace("-", "").isalpha()


@lru_cache(maxsize=65536)
def same_thing_counted(a: str, b: str) -> bool:
    """Two counted nouns are synonyms (one of the first senses in common): "fractures" and
    "breaks", not "workers" and "people" (three workers among nine people)."""
    if a == b:
        return True
    if not (_noun_like(a) and _noun_like(b)):
        return False
    return _usable() and _related(a, b, "n", hypernym=False)


@lru_cache(maxsize=262144)
def opposed(a: str, b: str) -> bool:
    """Two canonical events are opposites: a hand pair (lexicon.ANTONYMS), or WordNet's
    antonym pointers from the first senses of either, as a verb or an adjective, or for a
    noun through its verb ("arrival" -> "arrive" -> "leave")."""
    if not (a and b) or a == b:
        return False
    if _HAND_ANTONYMS.get(a) == b:
        return True
    if a.startswith("be ") or b.startswith("be ") or not _usable():
        return False
    for x, y in ((a, b), (b, a)):
        for pos in ("v", "a", "n"):
            if y in wn.antonyms(x, pos, SENSES):
                return True
        if _kind_of_opposite(x, y):
            return True
    return False


def _kind_of_opposite(x: str, y: str) -> bool:
    """`x` is, by its first sense, a kind of a narrow class whose antonym is `y`: to reopen
    is to open, which is the opposite of to close."""
    for pos in ("v", "a"):
        first = wn.senses(x, pos, 1)
        if first and any(
            _narrow(h) and y in wn.opposites(wn.synset_at(*h)) for h in wn.hypernyms(first[0])
        ):
            return True
    return False


def common(xs: Sequence[str], ys: Sequence[str]) -> frozenset[str]:
    """The words of `xs` that name a thing also in `ys` (exactly or by things_align)."""
    exact = set(xs) & set(ys)
    rest = set(ys) - exact
    return frozenset(exact | {x for x in set(xs) - exact if any(things_align(x, y) for y in rest)})


def common_events(xs: Sequence[str], ys: Sequence[str]) -> frozenset[str]:
    """The events of `xs` that align with an event of `ys`."""
    exact = set(xs) & set(ys)
    rest = set(ys) - exact
    return frozenset(exact | {x for x in set(xs) - exact if any(events_align(x, y) for y in rest)})


@lru_cache(maxsize=65536)
def names_an_act(noun: str, senses: int = SENSES, files: frozenset[int] = wn.ACT_FILES) -> bool:
    """The noun, by one of its first `senses` senses, names something done or happening
    (WordNet files it in one of `files`, acts and events by default): an "inspection", a
    "check", a "payment" can be missed as a duty; a "bus" cannot."""
    if not _noun_like(noun) or not _usable():
        return False
    return any(s.lexfile in files for s in wn.senses(noun, "n", senses))


ACT_NOUN_SENSES = 4
"""How many senses of a noun `names_act_of` reads: the noun is already the object of a verb
of receiving and the other claim's verb must be its own, so a less frequent sense may count
("complaint": an illness first, a grievance after)."""


@lru_cache(maxsize=65536)
def names_act_of(noun: str, verb: str) -> bool:
    """The noun names the verb's act: the event words align, or one of the noun's first
    senses is derivationally related to one of the verb's ("complaint" and "complain",
    "warning" and "warn")."""
    if events_align(noun, verb):
        return True
    if not (_noun_like(noun) and _noun_like(verb)) or not _usable():
        return False
    verbs = {s.key for s in wn.senses(verb, "v", SENSES)}
    if not verbs:
        return False
    word = wn.lookup(noun, "n")[0]
    return any(
        (pos, offset) in verbs
        for synset in wn.senses(noun, "n", ACT_NOUN_SENSES)
        for pos, offset, _ in synset.related(wn.DERIVED, word)
    )
