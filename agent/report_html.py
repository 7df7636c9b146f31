"""report.html: the report as one self-contained page that a person opens from disk.

Disputes come first, most important first, each with its matter, its types, every position
with its claimants and their quotes in context, the sources (copies included) and the review
status, the pair-level flags folded inside; then who says what in each story, the agreed
facts with every source that states them, the articles and their claims.

Everything the page needs is inside it: the stylesheet and the one script are inlined, and a
Content-Security-Policy allows no network at all and runs only that script, by its hash. The
report's content travels as compact JSON in a `<script type="application/json">` block (data
that never runs, so the policy holds) and the script builds the DOM for one page of disputes
at a time, so the page's size and its time to render grow with the disputes, not with every
pair and every quote. Article text only ever reaches the DOM as text (the script never
parses markup), and the JSON cannot end its element early: every `<`, `>` and `&` in it is
escaped. Server-rendered parts (the summary, errors, orphaned decisions) are escaped by
jinja2's autoescape.

The data block (`#report-data`): every string once, in `strings`; every other field refers to
it by index (-1 for none), and to other tables by index. The tables and their columns are
listed in `_PageData` (`listed`: the first articles are the report's, any after them only
named by a side); agent/templates/report.js decodes them in the same order. Offsets in
the block count UTF-16 code units, as JavaScript strings do.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.resources import files
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from agent.context import window
from agent.models import (
    Article,
    Claim,
    Contradiction,
    Dispute,
    DisputeSide,
    Position,
    Report,
    ReviewDecision,
    ReviewStatus,
    Side,
    Story,
)

_ENV = Environment(
    loader=PackageLoader("agent", "templates"),
    undefined=StrictUndefined,
    autoescape=True,  # every value from an article is text, never markup
    trim_blocks=True,
    lstrip_blocks=True,
)

REVIEW_DECISIONS: tuple[ReviewDecision, ...] = ("pending", "confirmed", "rejected")
"""The review statuses, in the order the page lists them."""

ALL_ARTICLES = "st-all"
"""The story every article belongs to when the report has no stories (before grouping)."""

MATRIX_COLUMNS = 12
"""Disputed matters shown in a story's who-says-what table (its most important ones)."""

MATRIX_ROWS = 40
"""Claimants shown in a story's who-says-what table (those in the most matters)."""

PAIRS_SHOWN = 50
"""Pair-level flags the page carries per dispute (its most confident): the page's size grows
with the disputes, not with their pairs; report.json has every one."""

DATA_ID = "report-data"
"""The id of the page's JSON data block."""


# --- who says what ---------------------------------------------------------------------------


@dataclass(frozen=True)
class WhoSaysWhat:
    """A story's claimants (rows) by its disputed matters (columns)."""

    story_id: str
    """The story."""
    disputes: list[str]
    """The columns: dispute ids, most important first."""
    claimants: list[str]
    """The rows: claimants, those in the most disputes first."""
    cells: dict[tuple[str, str], list[str]]
    """(claimant, dispute id) -> the ids of the positions that claimant holds there (more
    than one when they hold incompatible accounts); absent when they say nothing on it."""


def who_says_what(report: Report, story_id: str) -> WhoSaysWhat:
    """The who-says-what matrix of one story, from report.disputes.

    A stand-in for the grouping branch's own `who_says_what(report, story_id)`: when that
    lands, this function is the one place to replace (the page only reads its three fields).
    """
    disputes = [d for d in report.disputes if d.story_id == story_id]
    cells: dict[tuple[str, str], list[str]] = {}
    seen: dict[str, int] = {}
    for d in disputes:
        for p in d.positions:
            for s in p.sides:
                held = cells.setdefault((s.claimant, d.id), [])
                if p.id not in held:
                    held.append(p.id)
                seen.setdefault(s.claimant, len(seen))
    reach = Counter(claimant for claimant, _ in cells)
    claimants = sorted(seen, key=lambda c: (-reach[c], seen[c]))
    return WhoSaysWhat(story_id, [d.id for d in disputes], claimants, cells)


# --- the cards: disputes, and the flags no dispute gathers ----------------------------------


@dataclass(frozen=True)
class Card:
    """One dispute card of the page: a dispute, or a flag that no dispute gathers (every flag,
    in a report from before the grouping), shown as a dispute of its own."""

    story_id: str
    """The story it belongs to."""
    pairs: list[Contradiction]
    """Its pair-level flags, most confident first."""
    dispute: Dispute | None = None
    """The dispute, when it is one."""

    @property
    def confidence(self) -> float:
        """The highest confidence among the dispute and its pairs."""
        own = [self.dispute.confidence] if self.dispute else []
        return max([*own, *(c.confidence for c in self.pairs)])

    def as_dispute(self) -> Dispute:
        """The card as a Dispute (a lone flag: its summary the matter, each side a position)."""
        return self.dispute or pseudo_dispute(self.pairs[0], self.story_id)


def cards(report: Report) -> tuple[list[Card], list[Story]]:
    """The page's dispute cards, most important first (highest confidence, then the most
    sources, then id), and the stories: the report's, or one holding every article."""
    stories = list(report.stories)
    if not stories:
        ids = sorted(a.id for a in report.articles)
        stories = [Story(id=ALL_ARTICLES, title="All articles", article_ids=ids)]
    story_of = {a: s.id for s in stories for a in s.article_ids}
    flags = {c.id: c for c in report.contradictions}
    found: list[Card] = []
    gathered: set[str] = set()
    for d in report.disputes:
        pairs = sorted(
            (flags[c] for c in d.contradiction_ids if c in flags),
            key=lambda c: (-c.confidence, c.id),
        )
        gathered.update(d.contradiction_ids)
        found.append(Card(d.story_id, pairs, d))
    for c in report.contradictions:
        if c.id not in gathered:
            story = c.story_id or story_of.get(c.sides[0].article_id, stories[0].id)
            found.append(Card(story, [c]))

    def importance(card: Card) -> tuple[float, int, str]:
        if card.dispute is not None:
            sources = {a for p in card.dispute.positions for a in p.sources}
            return (-card.confidence, -len(sources), card.dispute.id)
        flag = card.pairs[0]
        sources = {a for side in flag.sides for a in (side.article_id, *side.repeated_in)}
        return (-card.confidence, -len(sources), flag.id)

    found.sort(key=importance)
    return found, stories


def pseudo_dispute(c: Contradiction, story_id: str) -> Dispute:
    """A flag that no dispute gathers, as a dispute of its own: its summary is the matter,
    each side a position labelled by its words."""
    positions = [
        Position(
            id=f"po-{side.claim_id}",
            label=_shorten(side.quote, 90),
            summary="",
            claimants=[side.claimant],
            sides=[DisputeSide(**side.model_dump())],
            sources=sorted({side.article_id, *side.repeated_in}),
        )
        for side in c.sides
    ]
    return Dispute(
        id=c.id,
        fingerprint=c.fingerprint,
        story_id=story_id,
        matter=c.summary,
        types=[c.review.type or c.type],
        confidence=c.confidence,
        positions=positions,
        contradiction_ids=[c.id],
        review=c.review,
    )


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip(" ,;:") + "…"


def dispute_status(dispute: Dispute, pairs: Sequence[Contradiction]) -> ReviewDecision:
    """The status a dispute is filtered by: its own decision when one was taken, else the
    decision every one of its pairs has, else pending (nothing, or not all the same)."""
    if dispute.review.decision != "pending":
        return dispute.review.decision
    decisions = {p.review.decision for p in pairs}
    return decisions.pop() if len(decisions) == 1 else "pending"


def shown_types(dispute: Dispute, pairs: Sequence[Contradiction]) -> list[str]:
    """The types a dispute is shown and filtered with: the reviewer's type for the whole
    dispute, else its pairs' types (a pair's reviewer's type winning), most frequent first,
    else the dispute's own list."""
    if dispute.review.type is not None:
        return [dispute.review.type.value]
    if not pairs:
        return [t.value for t in dispute.types]
    counts = Counter((p.review.type or p.type).value for p in pairs)
    return [t for t, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


# --- the data block --------------------------------------------------------------------------


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
"""A character JavaScript stores as two code units (a surrogate pair)."""


class _Utf16:
    """Python offsets (code points) of one text as JavaScript's (UTF-16 code units)."""

    def __init__(self, text: str) -> None:
        self._astral = [m.start() for m in _ASTRAL.finditer(text)]

    def __call__(self, offset: int) -> int:
        return offset + bisect.bisect_left(self._astral, offset)


class _PageData:
    """Builds the page's JSON tables; each row is a list whose columns are documented on the
    method that appends it (report.js reads them by the same positions)."""

    def __init__(self, report: Report) -> None:
        self.strings: list[str] = []
        self._string_index: dict[str, int] = {}
        self._articles = {a.id: a for a in report.articles}
        self._article_index = {a.id: i for i, a in enumerate(report.articles)}
        self._listed = len(report.articles)
        self._utf16 = {a.id: _Utf16(a.text) for a in report.articles}
        self.articles: list[list[Any]] = []
        self.stories: list[list[Any]] = []
        self.sides: list[list[Any]] = []
        self._side_index: dict[tuple[str, str, int, int, str], int] = {}
        self.reviews: list[list[Any]] = []
        self._review_index: dict[str, int] = {}
        self.pairs: list[list[Any]] = []
        self.disputes: list[list[Any]] = []
        self._dispute_index: dict[str, int] = {}
        self.statuses: list[ReviewDecision] = []
        """Each dispute's status (dispute_status), in the order of the disputes."""
        self._position_index: dict[str, dict[str, int]] = {}
        self.matrices: list[list[Any]] = []
        self.agreements: list[list[Any]] = []
        self.claims: list[list[Any]] = []
        self.review(ReviewStatus())  # row 0: pending, untouched

    def s(self, value: str | None) -> int:
        """The index of `value` in the string table (-1 for None)."""
        if value is None:
            return -1
        index = self._string_index.get(value)
        if index is None:
            index = self._string_index[value] = len(self.strings)
            self.strings.append(value)
        return index

    def article_index(self, article_id: str) -> int:
        """The row of an article, adding a bare one for an id the report does not list."""
        index = self._article_index.get(article_id)
        if index is None:
            index = self._article_index[article_id] = len(self._article_index)
            self._articles[article_id] = Article(id=article_id, path="", sha256="")
            self._utf16[article_id] = _Utf16("")
        return index

    def add_articles(self, report: Report, story_of: dict[str, int]) -> None:
        """articles: [id, title, source, published, story, copy_of (article), text]."""
        copies = {copy: original for s in report.stories for copy, original in s.copies.items()}
        ordered = sorted(self._article_index.items(), key=lambda kv: kv[1])
        for article_id, _ in ordered:
            a = self._articles[article_id]
            original = a.copy_of or copies.get(a.id)
            self.articles.append(
                [
                    self.s(a.id),
                    self.s(a.title),
                    self.s(a.source),
                    self.s(a.published.isoformat() if a.published else None),
                    story_of.get(a.id, -1),
                    -1 if original is None else self.article_index(original),
                    self.s(a.text or None),
                ]
            )

    def add_story(self, story: Story) -> int:
        """stories: [id, title, [article]]."""
        self.stories.append(
            [
                self.s(story.id),
                self.s(story.title),
                [self.article_index(a) for a in story.article_ids],
            ]
        )
        return len(self.stories) - 1

    def side(self, side: Side | DisputeSide) -> int:
        """sides: [article, claimant, start, end, lo, hi, cuts, [repeated_in], quote].

        start/end are the quote's offsets and lo/hi its context's (UTF-16) in the article's
        text; cuts is 1 when the context before was shortened, 2 after (3 both). Without the
        text (or when the text does not hold the quote) start is -1 and quote is the words.
        """
        key = (side.claim_id, side.article_id, side.start, side.end, side.claimant)
        index = self._side_index.get(key)
        if index is not None:
            return index
        article = self.article_index(side.article_id)
        repeated = [self.article_index(a) for a in side.repeated_in]
        text = self._articles[side.article_id].text
        row: list[Any]
        if text and text[side.start : side.end] == side.quote:
            w = window(text, side.start, side.end)
            at = self._utf16[side.article_id]
            cuts = (1 if w.cut_before else 0) | (2 if w.cut_after else 0)
            row = [article, self.s(side.claimant), at(side.start), at(side.end), at(w.lo)]
            row += [at(w.hi), cuts, repeated, -1]
        else:
            row = [article, self.s(side.claimant), -1, -1, -1, -1, 0, repeated, self.s(side.quote)]
        index = self._side_index[key] = len(self.sides)
        self.sides.append(row)
        return index

    def review(self, review: ReviewStatus) -> int:
        """reviews: [decision, type, note, reviewer, at (ISO, UTC)]; row 0 is untouched."""
        key = review.model_dump_json()
        index = self._review_index.get(key)
        if index is None:
            index = self._review_index[key] = len(self.reviews)
            at = review.at.strftime("%Y-%m-%d %H:%M") if review.at else None
            self.reviews.append(
                [
                    self.s(review.decision),
                    self.s(review.type.value if review.type else None),
                    self.s(review.note or None),
                    self.s(review.reviewer),
                    self.s(at),
                ]
            )
        return index

    def add_pair(self, c: Contradiction, dispute: int) -> int:
        """pairs: [id, fingerprint, type, confidence, summary, [side], [cue], review,
        dispute]."""
        self.pairs.append(
            [
                self.s(c.id),
                self.s(c.fingerprint),
                self.s(c.type.value),
                round(c.confidence, 3),
                self.s(c.summary),
                [self.side(s) for s in c.sides],
                [self.s(cue) for cue in c.cues],
                self.review(c.review),
                dispute,
            ]
        )
        return len(self.pairs) - 1

    def add_card(self, card: Card, story: int) -> int:
        """disputes: [id, fingerprint, story, matter, [type], confidence, [position], [pair],
        review, status, [pending, confirmed, rejected]]: a position is [id, label, summary,
        [side], [source]]; the pairs are the PAIRS_SHOWN most confident, the three counts
        are over all of them.

        A lone flag's card is only [pair, story]: report.js (pseudoDispute) makes its matter,
        types, status and positions from the pair, as pseudo_dispute does, so a report of tens
        of thousands of flags does not carry each of them twice.
        """
        index = len(self.disputes)
        d = card.dispute
        if d is None:
            flag = card.pairs[0]
            self.statuses.append(flag.review.decision)
            self._dispute_index[flag.id] = index
            self._position_index[flag.id] = {
                f"po-{s.claim_id}": i for i, s in enumerate(flag.sides)
            }
            self.disputes.append([self.add_pair(flag, index), story])
            return index
        self.statuses.append(dispute_status(d, card.pairs))
        self._dispute_index[d.id] = index
        self._position_index[d.id] = {p.id: i for i, p in enumerate(d.positions)}
        positions = [
            [
                self.s(p.id),
                self.s(p.label),
                self.s(p.summary or None),
                [self.side(s) for s in p.sides],
                [self.article_index(a) for a in p.sources],
            ]
            for p in d.positions
        ]
        self.disputes.append(
            [
                self.s(d.id),
                self.s(d.fingerprint),
                story,
                self.s(d.matter),
                [self.s(t) for t in shown_types(d, card.pairs)],
                round(card.confidence, 3),
                positions,
                [self.add_pair(c, index) for c in card.pairs[:PAIRS_SHOWN]],
                self.review(d.review),
                self.s(self.statuses[-1]),
                [sum(1 for c in card.pairs if c.review.decision == r) for r in REVIEW_DECISIONS],
            ]
        )
        return index

    def add_matrix(self, matrix: WhoSaysWhat, story: int, more: int) -> None:
        """matrices: [story, [dispute], [claimant], [[row, column, [position]]], more
        disputes, more claimants]; a cell's positions index the dispute's positions."""
        columns = [d for d in matrix.disputes if d in self._dispute_index][:MATRIX_COLUMNS]
        rows = [c for c in matrix.claimants if any((c, d) in matrix.cells for d in columns)]
        shown = rows[:MATRIX_ROWS]
        cells: list[list[Any]] = []
        for r, claimant in enumerate(shown):
            for col, dispute_id in enumerate(columns):
                order = self._position_index[dispute_id]
                held = [
                    order[p] for p in matrix.cells.get((claimant, dispute_id), []) if p in order
                ]
                if held:
                    cells.append([r, col, held])
        self.matrices.append(
            [
                story,
                [self._dispute_index[d] for d in columns],
                [self.s(c) for c in shown],
                cells,
                more + len(matrix.disputes) - len(columns),
                len(rows) - len(shown),
            ]
        )

    def add_agreement(
        self, sides: Iterable[Side], summary: str, sources: list[str], story: int
    ) -> None:
        """agreements: [summary, [side], [source], story]."""
        self.agreements.append(
            [
                self.s(summary),
                [self.side(s) for s in sides],
                [self.article_index(a) for a in sources],
                story,
            ]
        )

    def add_claim(self, claim: Claim) -> None:
        """claims: [article, claimant, stance, statement, start, end, quote] (as sides)."""
        text = self._articles[claim.article_id].text if claim.article_id in self._articles else ""
        article = self.article_index(claim.article_id)
        if text and text[claim.start : claim.end] == claim.quote:
            at = self._utf16[claim.article_id]
            where = [at(claim.start), at(claim.end), -1]
        else:
            where = [-1, -1, self.s(claim.quote)]
        self.claims.append(
            [
                article,
                self.s(claim.claimant),
                self.s(claim.stance.value),
                self.s(claim.statement),
                *where,
            ]
        )

    def json(self) -> str:
        """The tables as JSON that is safe inside a script element."""
        tables = {
            "listed": self._listed,
            "strings": self.strings,
            "articles": self.articles,
            "stories": self.stories,
            "sides": self.sides,
            "reviews": self.reviews,
            "pairs": self.pairs,
            "disputes": self.disputes,
            "matrices": self.matrices,
            "agreements": self.agreements,
            "claims": self.claims,
        }
        return _script_safe(json.dumps(tables, ensure_ascii=False, separators=(",", ":")))


def _script_safe(text: str) -> str:
    # Inside <script> only "</script" (any case) or "<!--" could end or bend the element:
    # with no "<" left neither can occur. ">" and "&" go too, and the line separators that
    # some parsers take for line ends; all stay the same characters to JSON.parse.
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def page_data(report: Report) -> str:
    """The page's JSON data block for `report` (see the module's docstring)."""
    return _build(report).json()


def _build(report: Report) -> _PageData:
    found, stories = cards(report)
    data = _PageData(report)
    ranked = _ranked_stories(stories, found)
    story_index = {s.id: data.add_story(s) for s in ranked}
    story_of = {a: story_index[s.id] for s in stories for a in s.article_ids}
    by_story: dict[str, list[Card]] = {}
    for card in found:
        data.add_card(card, story_index.get(card.story_id, 0))
        by_story.setdefault(card.story_id, []).append(card)
    for story in ranked:
        shown = by_story.get(story.id, [])
        if not shown:
            continue
        # The table shows a story's most important matters: only those are made disputes of
        # (a report before the grouping has one card per flag, tens of thousands of them).
        top = [c.as_dispute() for c in shown[:MATRIX_COLUMNS]]
        matrix = who_says_what(report.model_copy(update={"disputes": top}), story.id)
        data.add_matrix(matrix, story_index[story.id], more=len(shown) - len(top))
    for g in report.agreements:
        sources = g.sources or sorted({a for s in g.sides for a in (s.article_id, *s.repeated_in)})
        where = story_index.get(g.story_id or "", story_of.get(g.sides[0].article_id, -1))
        data.add_agreement(g.sides, g.summary, sources, where)
    for claim in report.claims:
        data.add_claim(claim)
    data.add_articles(report, story_of)
    return data


def _ranked_stories(stories: list[Story], found: list[Card]) -> list[Story]:
    """Stories in the order of their most important card (`found` is ranked)."""
    first: dict[str, int] = {}
    for rank, card in enumerate(found):
        first.setdefault(card.story_id, rank)
    return sorted(stories, key=lambda s: (first.get(s.id, len(first)), s.id))


# --- the page --------------------------------------------------------------------------------


def render_html(report: Report, review_api: str | None = None) -> str:
    """The report as a self-contained HTML page (no network, one hash-pinned inline script).

    `review_api`, the URL of a local review server, switches on review mode: each dispute
    and each pair gets action buttons (data-action, data-dispute, data-fp; hidden otherwise),
    review.js is inlined to give them their behaviour, and the policy lets the page talk to
    that server's origin, and to nothing else.
    """
    script = _asset("report.js")
    # The review server's own script (agent/review/web.py) gives the buttons their behaviour.
    review_script = None if review_api is None else _asset("review.js")
    # The scripts are our own files, inlined verbatim: the CSP hash must match these exact
    # bytes, and a closing tag inside one would end the element early.
    for name, code in (("report.js", script), ("review.js", review_script or "")):
        if "</script" in code.lower():
            raise ValueError(f"{name} must not contain a closing script tag")
    connect = None if review_api is None else _review_origin(review_api)
    data = _build(report)
    statuses = Counter(data.statuses)
    return _ENV.get_template("report.html.j2").render(
        report=report,
        disputes=len(data.disputes),
        review_counts={d: statuses.get(d, 0) for d in REVIEW_DECISIONS},
        data=Markup(data.json()),
        data_id=DATA_ID,
        review_api=review_api,
        css=Markup(_asset("report.css")),
        script=Markup(script),
        review_script=Markup(review_script) if review_script else None,
        csp=content_security_policy([script, *([review_script] if review_script else [])], connect),
    )


def content_security_policy(scripts: Sequence[str], connect: str | None = None) -> str:
    """The page's policy: nothing from anywhere, inline styles, only `scripts` may run (each by
    its hash) and, in review mode, requests to the review server's origin `connect`."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'"
        for s in scripts
    )
    policy = f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src {hashes}"
    return policy + (f"; connect-src {connect}" if connect else "")


def _review_origin(url: str) -> str:
    """The origin of a review server's URL, checked: it goes into the policy verbatim."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in {"http", "https"} or not host or any(c in url for c in " ;,'\"\n"):
        raise ValueError(f"review_api must be an http(s) URL, got {url!r}")
    return f"{parts.scheme}://{parts.netloc}"


def _asset(name: str) -> str:
    # Read through importlib.resources so an installed wheel finds its own copy.
    return files("agent").joinpath("templates", name).read_text(encoding="utf-8")
