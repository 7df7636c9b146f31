"""Parsing: the worker pool gives the same claims as one process, in order; a text the
parser cannot take fails alone; an over-long line reaches the parser in sentence-bounded
chunks whose offsets stay exact."""

from __future__ import annotations

import pytest

from agent.backends.base import ExtractOutcome
from agent.backends.offline import OfflineBackend
from agent.backends.offline.extract import extract_claims
from agent.backends.offline.nlp import (
    MAX_CHUNK_CHARS,
    chunks,
    load_nlp,
    parse_many,
    parse_paragraphs,
)
from tests.backends.offline.helpers import article
from tests.support.corpus import generate
from tests.support.long_text import one_line


def _claims(workers: int, texts: dict[str, str]) -> tuple[list[ExtractOutcome], OfflineBackend]:
    outcomes: list[ExtractOutcome] = []
    backend = OfflineBackend(workers=workers)
    backend.extract_all([article(k, v) for k, v in texts.items()], outcomes.append)
    return outcomes, backend


def test_worker_pool_gives_the_same_claims_as_one_process() -> None:
    texts = generate(60).articles  # enough text for the pool to be used
    assert sum(map(len, texts.values())) > 50_000
    # A line long enough to be parsed in several tasks, shared by the workers.
    texts = {**dict(list(texts.items())[:30]), "long": one_line(70_000), **texts}
    (alone, one), (pooled, two) = _claims(1, texts), _claims(2, texts)
    assert [o.article.id for o in pooled] == list(texts)  # input order
    assert [o.claims for o in pooled] == [o.claims for o in alone]
    assert [[two.frames[c.id] for c in o.claims] for o in pooled] == [
        [one.frames[c.id] for c in o.claims] for o in alone
    ]


def test_a_text_the_parser_cannot_take_fails_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    # Chunking keeps every piece under spaCy's limit, so lower the limit below a chunk's size
    # to get a text it refuses (the forked workers inherit the lowered limit).
    monkeypatch.setattr(load_nlp(), "max_length", MAX_CHUNK_CHARS // 2)
    ok = "The council said the bridge would open on Monday.\n" * 600
    too_long = "word " * MAX_CHUNK_CHARS
    texts = [(ok, 0), (too_long, 0), (ok, 0)]
    for workers in (1, 2):
        results = list(parse_many(texts, workers))
        assert [index for index, _ in results] == [0, 1, 2]
        assert isinstance(results[0][1], list) and isinstance(results[2][1], list)
        assert isinstance(results[1][1], str) and "more than the parser takes" in results[1][1]


def test_chunks_end_at_sentences_and_put_together_give_the_line() -> None:
    line = "The mayor said the road was shut. " * 10 + "Then it opened. e.g. this. Fine."
    pieces = list(chunks(line, 100))
    assert "".join(p for _, p in pieces) == line
    assert all(line[at : at + len(p)] == p for at, p in pieces)
    assert all(len(p) <= 100 for _, p in pieces)
    # Every cut but the last falls after a sentence's final punctuation and its space.
    assert all(p.endswith(". ") for _, p in pieces[:-1])


def test_chunks_cut_a_long_sentence_at_a_space_and_a_long_word_at_the_limit() -> None:
    sentence = "word " * 100  # 500 characters, no sentence end
    pieces = [p for _, p in chunks(sentence, 64)]
    assert "".join(pieces) == sentence and all(len(p) <= 64 for p in pieces)
    assert all(p.endswith(" ") for p in pieces[:-1])  # never inside a word
    blob = "x" * 250
    assert [len(p) for _, p in chunks(blob, 100)] == [100, 100, 50]
    assert list(chunks("short line", 100)) == [(0, "short line")]


def test_a_long_line_reaches_the_parser_in_bounded_chunks_with_exact_offsets() -> None:
    text = "date 2031-05-02\n" + one_line(300_000)
    assert max(map(len, text.splitlines())) > 290_000
    paragraphs = parse_paragraphs(text, len("date 2031-05-02\n"))
    # What the parser was handed: every Doc is one chunk, and the chunks tile the line.
    assert max(len(p.doc.text) for p in paragraphs) <= MAX_CHUNK_CHARS
    assert all(text[p.offset : p.offset + len(p.doc.text)] == p.doc.text for p in paragraphs)
    assert "".join(p.doc.text for p in paragraphs) == text[len("date 2031-05-02\n") : -1]
    claims = extract_claims(article("long", text), paragraphs)
    assert len(claims) > 1000
    assert all(text[c.start : c.end] == c.quote for c in claims)
    assert max(c.end for c in claims) > 290_000  # claims from the end of the line as well


def test_a_line_under_the_chunk_size_is_parsed_whole() -> None:
    text = one_line(MAX_CHUNK_CHARS - 200)
    assert [(p.offset, p.doc.text) for p in parse_paragraphs(text)] == [(0, text.rstrip())]
