"""Quantities written as text ("about 500 workers", "30-day", "half a million doses")."""

from __future__ import annotations

import re
from typing import Literal

from agent.models import Quantity

APPROX_WORDS = frozenset(
    [
        "about",
        "around",
        "approximately",
        "roughly",
        "nearly",
        "almost",
        "some",
        "circa",
        "estimated",
        "over",
        "under",
        "more",
        "less",
        "up",
    ]
)

NUMBER_WORDS = {
    "zero": 0,
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "dozen": 12,
    "half": 0.5,
    "quarter": 0.25,
    "fortnight": 14,
}
SCALE_WORDS = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}

# Words that make a number a bound rather than a value ("more than 300", "up to 40").
LOWER_BOUND_PHRASES = ("more than", "over", "at least", "upwards of", "in excess of", "above")
UPPER_BOUND_PHRASES = ("fewer than", "less than", "under", "up to", "at most", "below")


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
    bound = bound_of(text)
    return Quantity(text=text, value=value, unit=unit, approximate=approximate, bound=bound)


def bound_of(before_number: str) -> Literal["min", "max"] | None:
    """ "min" after "more than"/"over"/"at least", "max" after "fewer than"/"up to"/"under"."""
    lowered = " " + " ".join(before_number.lower().split()) + " "
    if any(f" {p} " in lowered for p in LOWER_BOUND_PHRASES):
        return "min"
    if any(f" {p} " in lowered for p in UPPER_BOUND_PHRASES):
        return "max"
    return None


# Units of measure in one base unit each ("43 miles" and "69 km" are one distance): general
# conversion factors, by the canonical (singular, lower-case) unit word.
_IN_BASE: dict[str, tuple[str, float]] = {
    "metre": ("m", 1.0),
    "meter": ("m", 1.0),
    "m": ("m", 1.0),
    "kilometre": ("m", 1000.0),
    "km": ("m", 1000.0),
    "centimetre": ("m", 0.01),
    "cm": ("m", 0.01),
    "millimetre": ("m", 0.001),
    "mm": ("m", 0.001),
    "mile": ("m", 1609.344),
    "yard": ("m", 0.9144),
    "foot": ("m", 0.3048),
    "feet": ("m", 0.3048),
    "ft": ("m", 0.3048),
    "inch": ("m", 0.0254),
    "hectare": ("m2", 10_000.0),
    "ha": ("m2", 10_000.0),
    "acre": ("m2", 4046.856),
    "kilogram": ("kg", 1.0),
    "kg": ("kg", 1.0),
    "gram": ("kg", 0.001),
    "tonne": ("kg", 1000.0),
    "pound": ("kg", 0.4536),
    "lb": ("kg", 0.4536),
    "litre": ("l", 1.0),
    "liter": ("l", 1.0),
    "gallon": ("l", 3.785),
}


def in_base_unit(q: Quantity) -> Quantity:
    """The quantity in its dimension's base unit ("43 miles" as 69,202 m), or itself when its
    unit is no unit of measure."""
    base = _IN_BASE.get((q.unit or "").lower())
    if base is None:
        return q
    unit, factor = base
    return q.model_copy(update={"value": q.value * factor, "unit": unit})


def same_dimension(x: Quantity, y: Quantity) -> bool:
    """Both measure the same thing in units that convert ("km" and "mile"), or count the
    same unit."""
    if x.unit and x.unit == y.unit:
        return True
    bx, by = _IN_BASE.get((x.unit or "").lower()), _IN_BASE.get((y.unit or "").lower())
    return bx is not None and by is not None and bx[0] == by[0]


def compatible(x: Quantity, y: Quantity) -> bool:
    """Whether two figures for the same thing can both be right: equal, within rounding when
    either is hedged, or one satisfying the other's bound ("more than a dozen" and 14).
    Figures in convertible units are compared in one unit; a converted figure is rounded,
    so the comparison allows for it."""
    if x.unit != y.unit and same_dimension(x, y):
        x, y = in_base_unit(x), in_base_unit(y)
        x = x.model_copy(update={"approximate": True})
    if x.value == y.value:
        return True
    for a, b in ((x, y), (y, x)):
        if a.bound == "min" and b.value >= a.value and b.bound != "max":
            return True
        if a.bound == "max" and b.value <= a.value and b.bound != "min":
            return True
    tolerance = 0.1 if (x.approximate or y.approximate) else 0.005
    return abs(x.value - y.value) <= tolerance * max(abs(x.value), abs(y.value))
