"""Grounding: find a quoted span in the article text, mechanically, never trusting the quoter.

First an exact match; then a match with whitespace collapsed and quote marks and dashes made
plain on both sides, mapped back to the article's own characters. The returned offsets always
satisfy `text[start:end]` being the article's words, which then replace the quote.
"""

from __future__ import annotations

import re

_PLAIN = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "«": '"',
        "»": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "–": "-",
        "—": "-",
        "\u00a0": " ",
    }
)


def _normalised(text: str) -> tuple[str, list[int]]:
    """Text with plain quotes/dashes and single spaces, and each character's original index."""
    out: list[str] = []
    index: list[int] = []
    previous_space = False
    for i, ch in enumerate(text.translate(_PLAIN)):
        if ch.isspace():
            if previous_space:
                continue
            ch, previous_space = " ", True
        else:
            previous_space = False
        out.append(ch)
        index.append(i)
    return "".join(out), index


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
    norm_text, index = _normalised(text)
    norm_quote, _ = _normalised(quote)
    norm_quote = norm_quote.strip(" \"'")
    if len(norm_quote) < 8:
        return None  # too short to place reliably once normalised
    found = [m.start() for m in re.finditer(re.escape(norm_quote), norm_text)]
    if not found:
        return None
    start = _nearest(found, None if near is None else _position(index, near))
    end = start + len(norm_quote) - 1
    return index[start], index[end] + 1


def _nearest(starts: list[int], near: int | None) -> int:
    if near is None:
        return starts[0]
    return min(starts, key=lambda s: abs(s - near))


def _position(index: list[int], offset: int) -> int:
    """The normalised position of an original offset."""
    for pos, original in enumerate(index):
        if original >= offset:
            return pos
    return len(index)
