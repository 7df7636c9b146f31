"""A plain sentence splitter with offsets, for numbering sentences in prompts.

Boundaries: a line break, or [.!?] (with any closing quotes or brackets) followed by space and
a capital letter, digit or opening quote. Simple and predictable; it needs no model.
"""

from __future__ import annotations

import re

_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[A-Z0-9\"'“‘(])")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, stripped of surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\r\n]+", text):
        start = line.start()
        for boundary in _BOUNDARY.finditer(line.group()):
            spans.append((start, line.start() + boundary.start()))
            start = line.start() + boundary.end()
        spans.append((start, line.end()))
    out: list[tuple[int, int]] = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out
