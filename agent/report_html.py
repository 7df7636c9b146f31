"""report.html: the report as one self-contained page that a person opens from disk.

Everything the page needs is inside it: the stylesheet and the one script are inlined, and a
Content-Security-Policy allows no network at all and runs only that script, by its hash. So
even an escaping bug could not run script injected through an article's text: article-derived
text is escaped by jinja2's autoescape, and the policy is the second wall behind it.
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from dataclasses import dataclass
from importlib.resources import files

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from agent.context import excerpt
from agent.models import Article, Claim, Contradiction, Report, ReviewDecision, Side

_ENV = Environment(
    loader=PackageLoader("agent", "templates"),
    undefined=StrictUndefined,
    autoescape=True,  # every value from an article is text, never markup
    trim_blocks=True,
    lstrip_blocks=True,
)

REVIEW_DECISIONS: tuple[ReviewDecision, ...] = ("pending", "confirmed", "rejected")
"""The review statuses, in the order the page lists them."""


@dataclass(frozen=True)
class Source:
    """Where a quote comes from, as shown to a reader."""

    article_id: str
    """The article's id."""
    title: str
    """Its headline, else its id."""
    source: str | None
    """The outlet or byline, when known."""
    published: str | None
    """The publication date (ISO), when known."""


@dataclass(frozen=True)
class ShownSide:
    """One side of a flag or agreement, ready for the template."""

    claimant: str
    """Who asserts it."""
    article: Source
    """The article the quote is in."""
    quote: str
    """The exact words."""
    before: str
    """Context before the quote ("" when the article's text is not at hand)."""
    after: str
    """Context after the quote."""
    cut_before: bool
    """The context before was shortened."""
    cut_after: bool
    """The context after was shortened."""


@dataclass(frozen=True)
class ShownFlag:
    """One contradiction, ready for the template."""

    number: int
    """Its rank, 1 for the most confident."""
    flag: Contradiction
    """The contradiction itself (type, summary, confidence, cues, review)."""
    shown_type: str
    """The type it is filtered by: the reviewer's correction when there is one."""
    sides: list[ShownSide]
    """Its sides with their context."""


@dataclass(frozen=True)
class ShownArticle:
    """One article and its claims, for the claims section."""

    article: Source
    """The article."""
    claims: list[Claim]
    """Its claims, in text order."""


def render_html(report: Report) -> str:
    """The report as a self-contained HTML page (no network, one hash-pinned inline script)."""
    script = _asset("report.js")
    # The script is our own file, inlined verbatim: the CSP hash must match these exact bytes,
    # and a closing tag inside it would end the element early.
    if "</script" in script.lower():
        raise ValueError("report.js must not contain a closing script tag")
    sources = {a.id: _source(a) for a in report.articles}
    texts = {a.id: a.text for a in report.articles}
    ranked = sorted(report.contradictions, key=lambda c: -c.confidence)
    flags = [
        ShownFlag(
            number=i,
            flag=c,
            shown_type=(c.review.type or c.type).value,
            sides=[_side(s, sources, texts) for s in c.sides],
        )
        for i, c in enumerate(ranked, start=1)
    ]
    agreements = [(g, [_side(s, sources, texts) for s in g.sides]) for g in report.agreements]
    by_article: dict[str, list[Claim]] = {}
    for claim in report.claims:
        by_article.setdefault(claim.article_id, []).append(claim)
    articles = [ShownArticle(sources[a.id], by_article.get(a.id, [])) for a in report.articles]
    decisions = Counter(c.review.decision for c in report.contradictions)
    types = sorted({f.shown_type for f in flags})
    return _ENV.get_template("report.html.j2").render(
        report=report,
        flags=flags,
        agreements=agreements,
        articles=articles,
        sources=sources,
        review_counts={d: decisions.get(d, 0) for d in REVIEW_DECISIONS},
        types=types,
        type_counts=Counter(f.shown_type for f in flags),
        css=Markup(_asset("report.css")),
        script=Markup(script),
        csp=content_security_policy(script),
    )


def content_security_policy(script: str) -> str:
    """The page's policy: nothing from anywhere, inline styles, and only `script` may run."""
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src 'sha256-{digest}'"
    )


def _asset(name: str) -> str:
    # Read through importlib.resources so an installed wheel finds its own copy.
    return files("agent").joinpath("templates", name).read_text(encoding="utf-8")


def _source(article: Article) -> Source:
    return Source(
        article_id=article.id,
        title=article.title or article.id,
        source=article.source,
        published=article.published.isoformat() if article.published else None,
    )


def _side(side: Side, sources: dict[str, Source], texts: dict[str, str]) -> ShownSide:
    article = sources.get(side.article_id) or Source(side.article_id, side.article_id, None, None)
    text = texts.get(side.article_id, "")
    # Without the article's text (or with a text that no longer holds the quote) the quote
    # is shown alone rather than inside the wrong words.
    if not text or text[side.start : side.end] != side.quote:
        return ShownSide(side.claimant, article, side.quote, "", "", False, False)
    shown = excerpt(text, side.start, side.end)
    return ShownSide(
        claimant=side.claimant,
        article=article,
        quote=shown.quote,
        before=shown.before,
        after=shown.after,
        cut_before=shown.cut_before,
        cut_after=shown.cut_after,
    )
