"""The offline backend: spaCy's small English model plus general English rules, no network."""

from __future__ import annotations

from collections.abc import Sequence

from agent.backends.offline.extract import extract_claims
from agent.backends.offline.judge import Context, judge
from agent.backends.offline.nlp import load_nlp
from agent.models import Article, Claim, Judgement
from agent.pairing import Candidate


class OfflineBackend:
    """Extracts claims by attribution rules and judges pairs by lexical cues."""

    name = "offline"

    def __init__(self) -> None:
        load_nlp()  # once per run, up front, so its time is not charged to the first article

    def extract(self, article: Article) -> list[Claim]:
        return extract_claims(article)

    def judge(
        self, candidates: Sequence[Candidate], articles: dict[str, Article]
    ) -> list[Judgement]:
        ctx = Context(published={aid: a.published for aid, a in articles.items()})
        return [judge(c, ctx) for c in candidates]
