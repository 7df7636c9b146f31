"""Grounding: find a quoted span in the article text, mechanically, never trusting the quoter.

Quoters (models of every size, people typing labels) retype quotes in small ways: double
marks for single ones, straight for curly, a hyphen for a dash, three dots for an ellipsis,
one space for two or a line break, a final full stop dropped or added. So a quote is looked
for first exactly, then under a normalisation that folds all of those on both sides, mapped
back to the article's own characters. The returned offsets always select the article's own
words (`text[start:end]`), which then replace the quote: the report never carries the
quoter's typography, and `text[start:end] == quote` holds byte for byte.

Letters, digits and other punctuation are never folded: a quote with a changed word is not
found.
"""

from __future__ import annotations

import bisect
import re

_QUOTE_MARKS = "\"'`´“”„‟«»‹›‘’‚‛′″"
_DASHES = "-‐‑‒–—―−"
_FOLD = str.maketrans(
    {
        **{ch: "'" for ch in _QUOTE_MARKS},  # every quote mark and apostrophe is one mark
        **{ch: "-" for ch in _DASHES},
    }
)
_FINAL_PUNCTUATION = ".,;:!?"
_MIN_NORMALISED = 8
"""A normalised quote shorter than this is too short to place reliably."""


def _normalised(text: str) -> tuple[str, list[int], list[int]]:
    """The folded text, and for each of its characters the original [start, end) offsets.

    Whitespace runs become one space; an ellipsis character becomes three dots (each
    pointing at the one original character).
    """
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    previous_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if previous_space:
                continue
            previous_space = True
            out.append(" ")
            starts.append(i)
            ends.append(i + 1)
            continue
        previous_space = False
        folded = "..." if ch == "…" else ch.translate(_FOLD)
        for piece in folded:
            out.append(piece)
            starts.append(i)
            ends.append(i + 1)
    return "".join(out), starts, ends


def _trim(norm: str) -> str:
    """A normalised quote without surrounding spaces and quote marks."""
    return norm.strip(" '")


def locate(quote: str, text: str, near: int | None = None) -> tuple[int, int] | None:
    """(start, end) of `quote` in `text`, or None. With several matches, the one nearest to
    `near` (a character offset hint) wins, else the first."""
    quote = quote.strip()
    if not quote:
        return None
    exact = [m.start() for m in re.finditer(re.escape(quote), text)]
    if exact:
        start = _nearest(exact, near)
        return start, start + len(quote)
    norm_text, starts, ends = _normalised(text)
    typed = _normalised(quote)[0].strip()
    # The quote as typed; then without the quote marks a quoter wraps around it; each also
    # without a final punctuation mark the article may not have there (a model that ends
    # every quote with a full stop). A dropped final mark needs nothing: the quote is then
    # a prefix of the article's words, and the span stops where the quote's words stop.
    candidates = []
    for form in (typed, _trim(typed)):
        candidates += [form, form.rstrip(_FINAL_PUNCTUATION).rstrip()]
    for candidate in dict.fromkeys(candidates):
        if len(candidate) < _MIN_NORMALISED:
            continue
        found = [m.start() for m in re.finditer(re.escape(candidate), norm_text)]
        if not found:
            continue
        hint = None if near is None else bisect.bisect_left(starts, near)
        start = _nearest(found, hint)
        end = start + len(candidate) - 1
        return starts[start], ends[end]
    return None


def _nearest(starts: list[int], near: int | None) -> int:
    if near is None:
        return starts[0]
    return min(starts, key=lambda s: abs(s - near))
