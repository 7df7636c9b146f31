"""Reading many articles: parsed in batches, in worker processes when there is enough text,
and read by the rules where they were parsed.

spaCy's pipeline is most of the offline backend's time, and it is much faster on one stream
of many short texts than on each article's few paragraphs apart (its batches fill up), so
articles are grouped into tasks of about `_TASK_CHARS` and each task's paragraphs go through
the parser as one stream. With workers, the worker that parsed an article also reads its
claims and sends back only those: a Doc is sent between processes only for the parts of an
article too long for one task (the parts are shared by the workers, and the parent reads the
article once all its parts are back, since the rules resolve names across the whole text).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from agent.backends.offline.extract import read_article, skip_prefix
from agent.backends.offline.frames import OfflineClaim
from agent.backends.offline.nlp import Paragraph, Piece, guarded, load_nlp, parse_pieces, pieces
from agent.models import Article

if TYPE_CHECKING:
    from spacy.vocab import Vocab

Outcome = list[OfflineClaim] | str
"""An article's claims with their frames, or a one-line reason it could not be read."""

_TASK_CHARS = 20_000
"""About this much text per task (a few news articles, or a part of a long one)."""
_PARALLEL_MIN_CHARS = 50_000
"""Below this much text, starting worker processes costs more than it saves."""


@dataclass(frozen=True)
class _Whole:
    """Whole articles for one task, each with its prose pieces."""

    items: list[tuple[int, Article, list[Piece]]]


@dataclass(frozen=True)
class _Part:
    """One part of an article too long for a task: its index, whether this part is its last,
    the part's pieces."""

    index: int
    last: bool
    pieces: list[Piece]


@dataclass(frozen=True)
class _PartDone:
    """A worker's parse of a part: Docs as bytes (without the model's internal tensor, which
    the rules never read and which is most of a Doc's size), or why it failed."""

    index: int
    last: bool
    parsed: list[tuple[int, bytes]] | str


def read_many(articles: Sequence[Article], workers: int = 1) -> Iterator[tuple[int, Outcome]]:
    """Read `articles`, yielding (index, outcome) per article in input order as each is
    read. One article that cannot be parsed or read never stops the others.

    With `workers` > 1 and enough text, the work runs in a pool of that many processes. Ctrl-C
    stops the pool at once: the workers ignore it and are terminated by the parent, which
    gets the KeyboardInterrupt.
    """
    total = sum(len(a.text) for a in articles)
    if workers <= 1 or total < _PARALLEL_MIN_CHARS:
        for task in _tasks(articles, split=False):
            assert isinstance(task, _Whole)  # nothing is split when one process reads all
            yield from _read_whole(task)
        return
    vocab = load_nlp().vocab  # loaded before the fork: the workers share it, not reload it
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_ignore_sigint) as pool:
        yield from _collect(articles, pool.imap(_in_worker, _tasks(articles, split=True)), vocab)


def worker_count() -> int:
    """Processes for parsing: the machine's cores, at most 4 (each holds a model copy)."""
    return max(1, min(os.cpu_count() or 1, 4))


def _tasks(articles: Sequence[Article], split: bool) -> Iterator[_Whole | _Part]:
    """Consecutive articles grouped into tasks of about `_TASK_CHARS`, in order. With
    `split`, an article longer than that is cut into parts of about that size instead."""
    batch: list[tuple[int, Article, list[Piece]]] = []
    size = 0
    for index, article in enumerate(articles):
        own = pieces(article.text, skip_prefix(article))
        length = sum(len(text) for _, text in own)
        if split and length > _TASK_CHARS:
            if batch:
                yield _Whole(batch)
                batch, size = [], 0
            yield from _parts(index, own)
            continue
        if batch and size + length > _TASK_CHARS:
            yield _Whole(batch)
            batch, size = [], 0
        batch.append((index, article, own))
        size += length
    if batch:
        yield _Whole(batch)


def _parts(index: int, own: list[Piece]) -> Iterator[_Part]:
    part: list[Piece] = []
    size = 0
    for piece in own:
        if part and size + len(piece[1]) > _TASK_CHARS:
            yield _Part(index, False, part)
            part, size = [], 0
        part.append(piece)
        size += len(piece[1])
    yield _Part(index, True, part)


def _read_whole(task: _Whole) -> list[tuple[int, Outcome]]:
    """Parse the task's articles as one stream, then read each. When the stream fails (a
    text the parser refuses), each article is parsed alone so that only it fails."""
    stream = guarded(lambda: parse_pieces([p for _, _, own in task.items for p in own]))
    if isinstance(stream, str):
        return [(index, _parse_and_read(article, own)) for index, article, own in task.items]
    done: list[tuple[int, Outcome]] = []
    at = 0
    for index, article, own in task.items:
        done.append((index, _read(article, stream[at : at + len(own)])))
        at += len(own)
    return done


def _parse_and_read(article: Article, own: list[Piece]) -> Outcome:
    parsed = guarded(lambda: parse_pieces(own))
    return f"extraction failed: {parsed}" if isinstance(parsed, str) else _read(article, parsed)


def _read(article: Article, paragraphs: list[Paragraph]) -> Outcome:
    try:
        return read_article(article, paragraphs)
    except Exception as exc:  # one broken article must not sink the run
        return f"extraction failed: {exc}"


def _in_worker(task: _Whole | _Part) -> list[tuple[int, Outcome]] | _PartDone:
    if isinstance(task, _Whole):
        return _read_whole(task)
    parsed = guarded(lambda: parse_pieces(task.pieces))
    if isinstance(parsed, str):
        return _PartDone(task.index, task.last, parsed)
    docs = [(p.offset, p.doc.to_bytes(exclude=["tensor"])) for p in parsed]
    return _PartDone(task.index, task.last, docs)


def _collect(
    articles: Sequence[Article],
    results: Iterable[list[tuple[int, Outcome]] | _PartDone],
    vocab: Vocab,
) -> Iterator[tuple[int, Outcome]]:
    """The outcomes in order: whole articles as the workers read them, a long article read
    here once its last part is parsed."""
    from spacy.tokens import Doc

    paragraphs: list[Paragraph] = []
    error: str | None = None
    for result in results:
        if not isinstance(result, _PartDone):
            yield from result
            continue
        if isinstance(result.parsed, str):
            error = error or result.parsed
        elif error is None:
            paragraphs += [Paragraph(at, Doc(vocab).from_bytes(b)) for at, b in result.parsed]
        if result.last:
            article = articles[result.index]
            failed = f"extraction failed: {error}" if error is not None else None
            yield result.index, failed or _read(article, paragraphs)
            paragraphs, error = [], None


def _ignore_sigint() -> None:
    # Only the parent handles Ctrl-C; it terminates the pool, so workers print no tracebacks.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
