"""Quantities written as text ("about 500 workers", "30-day", "half a million doses")."""

from __future__ import annotations

import re

from agent.backends.offline.lexicon import APPROX_WORDS, NUMBER_WORDS, SCALE_WORDS
from agent.models import Quantity

_NUMBER = re.compile(r"^\d[\d,]*(\.\d+)?$")


def parse_quantity(text: str) -> Quantity | None:
    """A Quantity from a short phrase, or None when it holds no number."""
    words = re.findall(r"[A-Za-z]+|\d[\d,]*(?:\.\d+)?", text.lower())
    value: float | None = None
    unit: str | None = None
    approximate = False
    for word in words:
        if value is None:
            if word in APPROX_WORDS or word in {"nearly", "fewer", "less", "than"}:
                approximate = True
                continue
            if _NUMBER.match(word):
                value = float(word.replace(",", ""))
            elif word in NUMBER_WORDS and word not in {"a", "an"}:
                value = float(NUMBER_WORDS[word])
            continue
        if word in SCALE_WORDS:
            value *= SCALE_WORDS[word]
        elif word not in {"a", "an", "of", "per"} and unit is None:
            unit = word[:-1] if word.endswith("s") and len(word) > 3 else word
    if value is None:
        return None
    return Quantity(text=text, value=value, unit=unit, approximate=approximate)
