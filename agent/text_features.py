"""Words of an article or a claim, read the same way whatever backend made the claims: what the
story grouping, the near-duplicate finder and the dispute grouping compare.

General English only: words are lowercased, common function words (spaCy's English stop
words) dropped, a plural "s" cut; a name is a capitalised word that is not the first word of
its sentence (or that the text also capitalises elsewhere), and weekday and month names are
dates, not names.
"""

from __future__ import annotations

import re
from functools import cache

_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’\-]*[A-Za-z]|[A-Za-z]|\d+(?:[.,]\d+)?")
_SENTENCE_BREAK = re.compile(r"[.!?][\"'”’)]*\s+|\n+|[—:;]\s")
_POSSESSIVE = re.compile(r"['’]s?$")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august")
_MONTHS_2 = ("september", "october", "november", "december")
_CALENDAR = frozenset((*_WEEKDAYS, *_MONTHS, *_MONTHS_2, "mr", "mrs", "ms", "dr"))
"""Capitalised but not names: weekdays, months and the usual titles before a name."""
MIN_TERM = 3
"""Shorter lowercase words carry little of what a text is about."""


@cache
def stop_words() -> frozenset[str]:
    """spaCy's English stop words, plus the commonest reporting words."""
    return _spacy_english_stop_words() | {"said", "says", "told", "according"}


def _spacy_english_stop_words() -> frozenset[str]:
    """The list in spaCy's `spacy/lang/en/stop_words.py`, read from that file alone.

    `import spacy.lang.en.stop_words` first imports the whole spacy package (about a second),
    which a run on cached claims otherwise never needs; the file is a plain module without
    imports, so it is run on its own (the test compares the result with spaCy's)."""
    import importlib.util
    from pathlib import Path

    try:
        package = importlib.util.find_spec("spacy")  # locates the package, imports nothing
        assert package is not None and package.origin is not None
        path = Path(package.origin).parent / "lang" / "en" / "stop_words.py"
        spec = importlib.util.spec_from_file_location("_reconcile_spacy_stop_words", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return frozenset(module.STOP_WORDS)
    except Exception:  # another layout in a later spaCy: the slow, sure way
        from spacy.lang.en.stop_words import STOP_WORDS

        return frozenset(STOP_WORDS)


@cache
def normalise(word: str) -> str:
    """Lowercase, without a possessive or a plural "s" ("Russia's" -> "russia", "plants" ->
    "plant"); numbers are kept as written."""
    word = _POSSESSIVE.sub("", word.lower())
    if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    return word


@cache
def name_form(word: str) -> str:
    """A name word as compared: lowercase, without a possessive ("Agnes" stays "agnes")."""
    return _POSSESSIVE.sub("", word.lower())


def words(text: str) -> list[str]:
    """Every word and number of `text`, lowercased (nothing dropped)."""
    return _TOKEN.findall(text.lower())


def content_terms(text: str) -> list[str]:
    """The content words of `text`, normalised, in order (stop words, short words and names
    out; numbers of two digits or more kept: a figure says which event it is)."""
    return features(text)[0]


def names(text: str) -> list[str]:
    """Name words of `text`, normalised, in order: capitalised words that are not a sentence's
    first word, plus first words that the text capitalises elsewhere too."""
    return features(text)[1]


def features(text: str) -> tuple[list[str], list[str]]:
    """(content_terms, names) of `text`, in one reading."""
    stops = stop_words()
    breaks = [m.end() for m in _SENTENCE_BREAK.finditer(text)]
    next_break = 0
    terms: list[tuple[str, str | None]] = []
    """(content word, its name form when capitalised)."""
    capitalised: list[tuple[str, bool]] = []
    initial = True
    for m in _TOKEN.finditer(text):
        while next_break < len(breaks) and breaks[next_break] <= m.start():
            initial = True
            next_break += 1
        raw = m.group()
        first = raw[0]
        if first.isdigit():
            if len(raw) >= 2:
                terms.append((raw, None))
        else:
            word = normalise(raw)
            if word not in stops:
                name = name_form(raw) if first.isupper() else None
                if len(word) >= MIN_TERM:
                    terms.append((word, name))
                if name is not None and name not in _CALENDAR and len(name) >= 2:
                    capitalised.append((name, initial))
        initial = False
    inside = {name for name, at_start in capitalised if not at_start}
    # A name is not also a content word: content words say what happened, names to whom.
    content = [word for word, name in terms if name is None or name not in inside]
    return content, [name for name, at_start in capitalised if not at_start or name in inside]
