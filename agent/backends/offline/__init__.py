"""The offline backend: spaCy's small English model plus general English rules, no network."""

from __future__ import annotations

from collections.abc import Sequence

from agent.backends.base import ExtractOutcome, ProgressHook
from agent.backends.offline.extract import extract_claims
from agent.backends.offline.judge import Context, judge
from agent.backends.offline.nlp import load_nlp
from agent.models import Article, Claim, InputError, Judgement, LLMRunInfo
from agent.pairing import Candidate, candidate_pairs


class OfflineBackend:
    """Extracts claims by attribution rules and judges pairs by lexical cues."""

    name = "offline"

    def __init__(self) -> None:
        load_nlp()  # once per run, up front, so its time is not charged to the first article

    def extract(self, article: Article) -> list[Claim]:
        return extract_claims(article)

    def extract_all(
        self, articles: Sequence[Article], progress: ProgressHook | None = None
    ) -> list[ExtractOutcome]:
        outcomes: list[ExtractOutcome] = []
        for done, article in enumerate(articles, start=1):
            try:
                outcomes.append(ExtractOutcome(article, extract_claims(article)))
            except Exception as exc:  # one broken article must not sink the run
                outcomes.append(ExtractOutcome(article, [], [f"extraction failed: {exc}"]))
            if progress:
                progress("extract", done, len(articles))
        return outcomes

    def pair(self, claims: Sequence[Claim]) -> list[Candidate]:
        return candidate_pairs(claims)

    def judge(
        self,
        candidates: Sequence[Candidate],
        articles: dict[str, Article],
        progress: ProgressHook | None = None,
    ) -> tuple[list[Judgement], list[InputError]]:
        ctx = Context(published={aid: a.published for aid, a in articles.items()})
        return [judge(c, ctx) for c in candidates], []

    def run_info(self) -> LLMRunInfo | None:
        return None
