"""A quote shown inside its surrounding sentences, for people reading a flag."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import lru_cache

from agent.sentences import split_sentences

_MAX_CONTEXT = 400
"""Characters of context kept on each side of the quote, at most."""


@dataclass(frozen=True)
class Excerpt:
    """The quote and the text around it, ready to be shown with the quote highlighted."""

    before: str
    """Text before the quote (from the start of the previous sentence)."""
    quote: str
    """The quote itself, exactly as in the article."""
    after: str
    """Text after the quote (to the end of the next sentence)."""
    cut_before: bool
    """True when the context was shortened at its start."""
    cut_after: bool
    """True when the context was shortened at its end."""


@dataclass(frozen=True)
class Window:
    """Where an excerpt's context starts and ends in the text (what `excerpt` shows)."""

    lo: int
    """Offset where the context before the quote starts."""
    hi: int
    """Offset one past the context after the quote."""
    cut_before: bool
    """True when the context was shortened at its start."""
    cut_after: bool
    """True when the context was shortened at its end."""


def excerpt(text: str, start: int, end: int, sentences: int = 1) -> Excerpt:
    """The quote text[start:end] with `sentences` whole sentences before and after it, within
    its paragraph (a line of the text)."""
    w = window(text, start, end, sentences)
    lo, hi = w.lo, w.hi
    return Excerpt(
        before=" ".join(text[lo:start].split()) + (" " if text[lo:start][-1:].isspace() else ""),
        quote=text[start:end],
        after=(" " if text[end:hi][:1].isspace() else "") + " ".join(text[end:hi].split()),
        cut_before=w.cut_before,
        cut_after=w.cut_after,
    )


def window(text: str, start: int, end: int, sentences: int = 1) -> Window:
    """The span of text `excerpt` shows around text[start:end] (for pages that cut the
    context themselves from the article's text)."""
    spans, ends = _sentences(text)
    # The first sentence ending after the quote's start, the first ending at or after its end.
    first = min(bisect.bisect_right(ends, start), len(spans) - 1)
    last = min(bisect.bisect_left(ends, end), len(spans) - 1)
    lo = spans[max(first - sentences, 0)][0] if spans else 0
    hi = spans[min(last + sentences, len(spans) - 1)][1] if spans else len(text)
    # Context stays inside the quote's paragraph: the next line is often a subheading.
    paragraph_start = text.rfind("\n", 0, start) + 1
    paragraph_end = text.find("\n", end)
    lo = min(max(lo, paragraph_start), start)
    hi = max(min(hi, len(text) if paragraph_end < 0 else paragraph_end), end)
    cut_before, cut_after = start - lo > _MAX_CONTEXT, hi - end > _MAX_CONTEXT
    if cut_before:
        lo = _word_boundary(text, start - _MAX_CONTEXT, forward=True)
    if cut_after:
        hi = _word_boundary(text, end + _MAX_CONTEXT, forward=False)
    return Window(lo=lo, hi=hi, cut_before=cut_before, cut_after=cut_after)


@lru_cache(maxsize=4096)
def _sentences(text: str) -> tuple[list[tuple[int, int]], list[int]]:
    # A report shows many quotes of each article: split each article once, not per quote
    # (report.html visits the quotes in the order of the disputes, so many articles at once).
    spans = split_sentences(text)
    return spans, [e for _, e in spans]


def _word_boundary(text: str, at: int, forward: bool) -> int:
    """The nearest space from `at` (forward or back), so a cut never splits a word."""
    if forward:
        found = text.find(" ", at)
        return at if found < 0 else found + 1
    found = text.rfind(" ", 0, at)
    return at if found < 0 else found
