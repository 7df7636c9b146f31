"""A deliberately simple sentence splitter for scoring, independent of any backend.

The scorers accept a predicted span that falls in the same sentence as a labelled quote, so
"the same sentence" must not depend on the backend under test (spaCy's parser or a model).
A boundary falls right after `.`, `!` or `?` (plus any closing quotes or brackets) when
whitespace follows, and right after every newline. It splits after abbreviations such as
"Mr." too; that only makes the sentence rule stricter, never looser.
"""

from __future__ import annotations

import re
from bisect import bisect_right

_BOUNDARY = re.compile(r"[.!?][\"'”’»)\]]*(?=\s)|\n")


def sentence_starts(text: str) -> list[int]:
    """Offsets where a new sentence begins (after each boundary), ascending; 0 not included."""
    return [m.end() for m in _BOUNDARY.finditer(text)]


def sentence_index(starts: list[int], offset: int) -> int:
    """The 0-based sentence that the character at `offset` belongs to."""
    return bisect_right(starts, offset)


def sentences_of(starts: list[int], start: int, end: int) -> range:
    """The sentences a span [start, end) touches (an empty span touches the one at `start`)."""
    first = sentence_index(starts, start)
    last = sentence_index(starts, max(start, end - 1))
    return range(first, last + 1)
