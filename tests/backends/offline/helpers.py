"""Build articles from invented text and reconcile them in memory."""

from __future__ import annotations

import datetime as dt
import hashlib

from agent import assemble
from agent.backends.offline import OfflineBackend
from agent.backends.offline.frames import ClaimFrame
from agent.claimant_names import normalise_claimants
from agent.models import Article, Claim, Contradiction


def article(article_id: str, text: str, published: dt.date | None = None) -> Article:
    digest = hashlib.sha256(text.encode()).hexdigest()
    return Article(
        id=article_id, path=f"{article_id}.txt", sha256=digest, text=text, published=published
    )


def claims_of(text: str, published: dt.date | None = None) -> list[Claim]:
    return OfflineBackend().extract(article("a", text, published))


def contradictions(*articles: Article) -> list[Contradiction]:
    backend = OfflineBackend()
    claims = normalise_claimants([c for a in articles for c in backend.extract(a)])
    judgements, _ = backend.judge(backend.pair(claims), {a.id: a for a in articles})
    shas = {a.id: a.sha256 for a in articles}
    return assemble.contradictions(judgements, {c.id: c for c in claims}, shas)


def frames_of(text: str, published: dt.date | None = None) -> list[tuple[Claim, ClaimFrame]]:
    """Each claim of an invented text with its frame."""
    backend = OfflineBackend()
    claims = backend.extract(article("a", text, published))
    return [(c, backend.frames[c.id]) for c in claims]


def frame_of(text: str, published: dt.date | None = None) -> ClaimFrame:
    """The frame of the one claim an invented sentence gives."""
    (only,) = frames_of(text, published)
    return only[1]
