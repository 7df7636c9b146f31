"""The offline backend: spaCy's small English model plus general English rules, no network."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from agent.backends.base import BackendInfo, Estimate, ExtractOutcome, OutcomeHook, ProgressHook
from agent.backends.offline import foreign
from agent.backends.offline.cache import ClaimCache
from agent.backends.offline.extract import read_article
from agent.backends.offline.frames import ClaimFrame, OfflineClaim
from agent.backends.offline.judge import Context, judge, quotation_speakers
from agent.backends.offline.nlp import load_nlp
from agent.backends.offline.pairing_keys import frame_key
from agent.backends.offline.reading import read_many, worker_count
from agent.models import Article, Claim, InputError, Judgement
from agent.pairing import Candidate, candidate_pairs


class OfflineBackend:
    """Extracts claims with their frames by attribution rules, and judges pairs by comparing
    the frames slot by slot. Frames stay inside the backend (keyed by claim id), never on the
    shared Claim model."""

    name = "offline"

    def __init__(self, cache_dir: Path | None = None, workers: int | None = None) -> None:
        """`cache_dir`: where claims of articles already read are kept (None: no cache).
        `workers`: parsing processes (default: one per core, at most 4)."""
        self.cache = ClaimCache(cache_dir) if cache_dir is not None else None
        self.workers = workers if workers is not None else worker_count()
        self.frames: dict[str, ClaimFrame] = {}
        """Claim id -> frame, for every claim this backend has read or taken from its cache."""
        self._own: dict[str, list[Claim]] = {}
        """Article id -> the claims this backend read in it (to judge others' claims)."""

    def info(self) -> BackendInfo:
        return BackendInfo(name=self.name, deterministic=True)

    def _keep(self, items: list[OfflineClaim]) -> list[Claim]:
        for item in items:
            self.frames[item.claim.id] = item.frame
        return [item.claim for item in items]

    def extract(self, article: Article) -> list[Claim]:
        claims = self._keep(read_article(article))
        self._own[article.id] = claims
        return claims

    def extract_all(
        self,
        articles: Sequence[Article],
        emit: OutcomeHook,
        progress: ProgressHook | None = None,
    ) -> None:
        done = 0

        def finish(outcome: ExtractOutcome) -> None:
            nonlocal done
            self._own[outcome.article.id] = outcome.claims
            emit(outcome)
            done += 1
            if progress:
                progress("extract", done, len(articles))

        todo: list[Article] = []
        for article in articles:
            cached = self.cache.get(article) if self.cache is not None else None
            if cached is None:
                todo.append(article)
            else:
                finish(ExtractOutcome(article, self._keep(cached), from_cache=True))
        if todo:
            load_nlp()  # up front, so its time is not charged to the first article read
        for index, read in read_many(todo, self.workers):
            article = todo[index]
            if isinstance(read, str):
                finish(ExtractOutcome(article, [], [read]))
                continue
            if self.cache is not None:
                self.cache.put(article, read)
            finish(ExtractOutcome(article, self._keep(read)))

    def pair(
        self, claims: Sequence[Claim], copies: Mapping[str, str] | None = None
    ) -> list[Candidate]:
        keys = {c.id: frame_key(self.frames[c.id]) for c in claims if c.id in self.frames}
        return candidate_pairs(claims, keys, copies=copies)

    def judge(
        self,
        candidates: Sequence[Candidate],
        articles: dict[str, Article],
        progress: ProgressHook | None = None,
    ) -> tuple[list[Judgement], list[InputError]]:
        read = self._read_foreign(candidates, articles)
        # Speakers are counted over the claims as the rules read them (foreign ones translated).
        claims = {c.id: c for pair in read for c in (pair.a, pair.b)}
        ctx = Context(
            published={aid: a.published for aid, a in articles.items()},
            frames=self.frames,
            quotation_speakers=quotation_speakers(claims.values(), self.frames),
        )
        judgements: list[Judgement] = []
        step = max(1, len(candidates) // 100)  # about a hundred updates, whatever the size
        for done, (candidate, reading) in enumerate(zip(candidates, read, strict=True), start=1):
            verdict = judge(reading, ctx)
            # A verdict on the offline reading of a foreign claim goes back under its own id.
            if (verdict.a, verdict.b) != (candidate.a.id, candidate.b.id):
                verdict = verdict.model_copy(update={"a": candidate.a.id, "b": candidate.b.id})
            judgements.append(verdict)
            if progress and (done % step == 0 or done == len(candidates)):
                progress("judge", done, len(candidates))
        return judgements, []

    def _read_foreign(
        self, candidates: Sequence[Candidate], articles: dict[str, Article]
    ) -> Sequence[Candidate]:
        """The candidates as the offline rules can judge them: claims another backend made
        (or the eval's labelled quotes) replaced by this backend's reading of the same words,
        reading their articles first when needed (see foreign.py)."""
        known = set(self.frames)
        strangers = {x.article_id for c in candidates for x in (c.a, c.b) if x.id not in known}
        if not strangers:
            return candidates
        unread = [articles[aid] for aid in sorted(strangers - self._own.keys()) if aid in articles]
        self.extract_all(unread, lambda _: None)
        own = [c for aid in sorted(strangers) for c in self._own.get(aid, [])]
        keys = {c.id: frame_key(self.frames[c.id]) for c in own if c.id in self.frames}
        return foreign.translate(candidates, own, known, keys)

    def forecast_claims(self, articles: Sequence[Article]) -> tuple[list[Claim], Estimate]:
        """The real claims (reading costs no call), so the pairs a dry run counts are the
        pairs the run will judge."""
        outcomes: list[ExtractOutcome] = []
        self.extract_all(articles, outcomes.append)
        return [c for o in outcomes for c in o.claims], Estimate(units=len(articles))

    def forecast_judging(
        self, candidates: Sequence[Candidate], articles: dict[str, Article]
    ) -> Estimate:
        return Estimate(units=len(candidates))
