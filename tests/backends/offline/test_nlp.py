"""Parsing many articles: the worker pool gives the same claims as one process, in order,
and a text the parser cannot take fails alone."""

from __future__ import annotations

from agent.backends.base import ExtractOutcome
from agent.backends.offline import OfflineBackend
from agent.backends.offline.nlp import load_nlp, parse_many
from tests.backends.offline.helpers import article
from tests.support.corpus import generate


def _claims(workers: int, texts: dict[str, str]) -> tuple[list[ExtractOutcome], OfflineBackend]:
    outcomes: list[ExtractOutcome] = []
    backend = OfflineBackend(workers=workers)
    backend.extract_all([article(k, v) for k, v in texts.items()], outcomes.append)
    return outcomes, backend


def test_worker_pool_gives_the_same_claims_as_one_process() -> None:
    texts = generate(60).articles  # enough text for the pool to be used
    assert sum(map(len, texts.values())) > 50_000
    (alone, one), (pooled, two) = _claims(1, texts), _claims(2, texts)
    assert [o.article.id for o in pooled] == list(texts)  # input order
    assert [o.claims for o in pooled] == [o.claims for o in alone]
    assert [[two.frames[c.id] for c in o.claims] for o in pooled] == [
        [one.frames[c.id] for c in o.claims] for o in alone
    ]


def test_a_text_the_parser_cannot_take_fails_alone() -> None:
    ok = "The council said the bridge would open on Monday.\n" * 600
    too_long = "word " * (load_nlp().max_length // 5 + 10)
    texts = [(ok, 0), (too_long, 0), (ok, 0)]
    for workers in (1, 2):
        results = list(parse_many(texts, workers))
        assert [index for index, _ in results] == [0, 1, 2]
        assert isinstance(results[0][1], list) and isinstance(results[2][1], list)
        assert isinstance(results[1][1], str) and "more than the parser takes" in results[1][1]
