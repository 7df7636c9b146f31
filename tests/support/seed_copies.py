"""A feed of real-size articles: copies of the seed articles with light, seeded edits, as a
newsroom's feed holds many near-copies of a few stories (wire copy re-run with a figure, a
day or the order of two sentences changed).

The edits are general (any number, any weekday name, any two adjacent sentences, a few
common words); no edit names anything in the seeds. Each copy differs from every other, so
none is skipped as a duplicate.
"""

from __future__ import annotations

import itertools
import random
import re
from pathlib import Path

SEED = 20261201
"""The default seed: the same seed, seeds and count give the same copies, byte for byte."""

_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_WEEKDAY = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")\b")
_NUMBER = re.compile(r"(?<![\d\-:/.])\d{1,3}(?![\d\-:/])")
"""A figure of up to three digits that is not part of a date, a time or a year."""
_SENTENCE_END = re.compile(r"[.!?][\"'”’]? (?=[A-Z\"“])")
_DROPPABLE = re.compile(r" (also|still|already|just|very|now|again)\b")
"""Common words a copy editor adds or cuts; dropping one changes no name or figure."""


def _edit_line(line: str, rng: random.Random) -> str:
    if rng.random() < 0.3:
        line = _NUMBER.sub(lambda m: str(rng.randint(2, 99)) if rng.random() < 0.5 else m[0], line)
    if rng.random() < 0.3:
        line = _WEEKDAY.sub(lambda m: rng.choice(_WEEKDAYS), line)
    cuts = [0, *(m.end() for m in _SENTENCE_END.finditer(line)), len(line) + 1]
    sentences = [line[a : b - 1] for a, b in itertools.pairwise(cuts)]
    if len(sentences) > 1 and rng.random() < 0.3:
        i = rng.randrange(len(sentences) - 1)
        sentences[i], sentences[i + 1] = sentences[i + 1], sentences[i]
        line = " ".join(sentences)
    drops = list(_DROPPABLE.finditer(line))
    if drops and rng.random() < 0.3:
        m = rng.choice(drops)
        line = line[: m.start()] + line[m.end() :]
    return line


def _edit(text: str, rng: random.Random) -> str:
    return "\n".join(_edit_line(line, rng) for line in text.split("\n"))


def write_copies(seeds: Path, folder: Path, count: int, seed: int = SEED) -> list[Path]:
    """Write `count` edited copies of the `.txt` articles in `seeds` into `folder`, in turn
    (each named after its original, which keeps a date prefix), and return their paths."""
    originals = sorted(seeds.glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in originals]
    rng = random.Random(seed)
    seen = set(texts)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for i in range(count):
        k = i % len(originals)
        copy = _edit(texts[k], rng)
        while copy in seen:  # too light an edit: edit again until it is a copy of its own
            copy = _edit(copy, rng)
        seen.add(copy)
        path = folder / f"{originals[k].stem}-copy{i:05d}.txt"
        path.write_text(copy, encoding="utf-8")
        written.append(path)
    return written
