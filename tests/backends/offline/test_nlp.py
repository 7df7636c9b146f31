"""Parsing: the worker pool gives the same claims as one process, in order; a text the
parser cannot take fails alone; an over-long line reaches the parser in sentence-bounded
chunks whose offsets stay exact."""

from __future__ import annotations

from typing import Any

import pytest

from agent.backends.base import ExtractOutcome
from agent.backends.offline import OfflineBackend, reading
from agent.backends.offline.extract import extract_claims
from agent.backends.offline.nlp import (
    MAX_CHUNK_CHARS,
    MODEL_PACKAGE,
    Paragraph,
    Piece,
    chunks,
    load_nlp,
    parse_paragraphs,
    parse_pieces,
    parse_texts,
    pieces,
)
from agent.backends.offline.reading import read_many
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
    ok = "The council said the bridge would open on Monday.\n" * 20
    too_long = "word " * MAX_CHUNK_CHARS
    big = "The council said the bridge would open on Monday.\n" * 600  # the pool's share
    # The refused text shares its task with the two short ones, so the task's stream fails
    # and its articles are parsed again one by one.
    texts = [ok, too_long, ok, big, big, big]
    articles = [article(f"a{i}", text) for i, text in enumerate(texts)]
    for workers in (1, 2):
        results = list(read_many(articles, workers))
        assert [index for index, _ in results] == list(range(len(texts)))
        assert all(isinstance(r, list) and r for i, (_, r) in enumerate(results) if i != 1)
        refused = results[1][1]
        assert isinstance(refused, str)
        assert refused.startswith("extraction failed: ")
        assert "more than the parser takes" in refused


def test_short_articles_reach_the_parser_as_one_stream(monkeypatch: pytest.MonkeyPatch) -> None:
    # spaCy fills its batches only on a stream of many texts: parsing each article's few
    # paragraphs apart took 1.4 times as long (200 synthetic articles).
    streams: list[int] = []
    real = parse_pieces

    def counted(items: list[Piece]) -> list[Paragraph]:
        streams.append(len(items))
        return real(items)

    monkeypatch.setattr(reading, "parse_pieces", counted)
    texts = generate(8).articles
    assert sum(map(len, texts.values())) < 20_000  # one task's worth
    outcomes, _ = _claims(1, texts)
    assert len(streams) == 1
    assert streams[0] == sum(len(pieces(t)) for t in texts.values())
    assert [o.article.id for o in outcomes] == list(texts)
    # Each article's claims are those it gets when read alone.
    for o in outcomes:
        assert o.claims == extract_claims(o.article)


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


def test_the_parser_multiplies_with_numpy_and_parses_as_with_blis() -> None:
    """Every network of the pipeline is built on thinc's numpy ops without blis (blis's matrix
    products were 2.5 to 4 times slower on this project's machines), and the parses are
    those of thinc's default ops, token for token."""
    import importlib

    nlp = load_nlp()
    models = [pipe.model for _, pipe in nlp.pipeline if getattr(pipe, "model", None) is not None]
    # spaCy builds a transition parser's small output layer on its own choice of CPU ops.
    pinned = {id(m.get_ref("upper")) for m in models if m.has_ref("upper")}
    layers = [layer for m in models for layer in m.walk() if id(layer) not in pinned]
    assert len(layers) > 100
    assert all(type(layer.ops).__name__ == "NumpyOps" for layer in layers)
    assert not any(layer.ops.use_blis for layer in layers)
    default = importlib.import_module(MODEL_PACKAGE).load()  # thinc's default: blis
    assert default.get_pipe("ner").model.ops.use_blis
    texts = [p for text in generate(12).articles.values() for _, p in pieces(text)]

    def annotations(docs: list[Any]) -> list[list[tuple[str, str, str, int, str, str]]]:
        return [
            [(t.tag_, t.pos_, t.dep_, t.head.i, t.lemma_, t.ent_type_) for t in d] for d in docs
        ]

    assert annotations(parse_texts(texts)) == annotations(list(default.pipe(texts)))
