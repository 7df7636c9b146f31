"""report.html: escaping, the data block, the Content-Security-Policy, no external assets,
review statuses, dispute cards and who says what; and the page itself in Debian's headless
chromium (console, the dispute-first screen, the matrix, each filter, the URL fragment,
search, pages of disputes, review mode, hostile text).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
import uuid
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from agent.context import excerpt
from agent.matrix import who_says_what
from agent.models import (
    Agreement,
    AgreementSide,
    Article,
    Claim,
    Contradiction,
    ContradictionType,
    Dispute,
    DisputeSide,
    InputError,
    OrphanedCorrection,
    OrphanedDisputeReview,
    OrphanedReview,
    Position,
    Report,
    ReviewStatus,
    RunStats,
    Side,
    Stance,
    Story,
)
from agent.report_files import publish, read_report, write_report
from agent.report_html import (
    DATA_ID,
    PAIRS_SHOWN,
    cards,
    content_security_policy,
    dispute_status,
    render_html,
    shown_types,
)
from agent.review.log import LOG_NAME, ReviewEvent, ReviewLog
from tests.conftest import SEEDS
from tests.support.browser import browser_or_skip, headless_chromium

HOSTILE_SCRIPT = "<script>window.__pwned = 1</script>"
HOSTILE_IMG = '<img src=x onerror="window.__pwned = 2">'
REPORT_JS = Path(__file__).resolve().parent.parent / "agent" / "templates" / "report.js"
PAGE_SIZE = 20  # report.js's PAGE_SIZE


# --- parsing helpers -------------------------------------------------------------------------


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the raw text of each script element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = True
            self.scripts.append((dict(attrs), ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def code(self) -> list[str]:
        """The scripts a browser runs (not the JSON data block)."""
        return [text for attrs, text in self.scripts if attrs.get("type") is None]

    def data(self) -> dict[str, Any]:
        """The page's JSON data block, parsed."""
        blocks = [t for a, t in self.scripts if a.get("type") == "application/json"]
        assert len(blocks) == 1
        parsed: dict[str, Any] = json.loads(blocks[0])
        return parsed


def _parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser


def _csp(parsed: _Tags) -> str:
    metas = [
        a
        for t, a in parsed.tags
        if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    ]
    assert len(metas) == 1
    content = metas[0]["content"]
    assert content is not None
    return content


def _strings(html: str) -> set[str]:
    return set(_parse(html).data()["strings"])


# --- a small invented report -----------------------------------------------------------------

TEXT_A = (
    "Officials met on Friday. The mayor said the ferry <script>alert(1)</script> would sail "
    'at noon. Nobody else <img src=x onerror="alert(2)"> commented.'
)
TEXT_B = "The port authority said the ferry would not sail at noon. It gave no reason."


def _side(article: Article, quote: str, claimant: str, cls: type[Side] = Side) -> Side:
    start = article.text.index(quote)
    return cls(
        claim_id=f"c-{article.id}-{start}",
        article_id=article.id,
        article_sha256=article.sha256,
        claimant=claimant,
        quote=quote,
        start=start,
        end=start + len(quote),
    )


def _invented_report() -> Report:
    a = Article(
        id="ferry-a",
        path="ferry-a.txt",
        title="Ferry <b>times</b>",
        source="The Invented Tribune",
        sha256="a" * 64,
        text=TEXT_A,
    )
    b = Article(id="ferry-b", path="ferry-b.txt", sha256="b" * 64, text=TEXT_B)
    quote_a = "The mayor said the ferry <script>alert(1)</script> would sail at noon"
    quote_b = "The port authority said the ferry would not sail at noon"
    hostile_claimant = '<script>alert("claimant")</script>'
    side_a = _side(a, quote_a, "mayor")
    side_b = _side(b, quote_b, hostile_claimant)
    flag = Contradiction(
        id="flag-1",
        fingerprint="fp-1",
        type=ContradictionType.DENIAL,
        summary='Summary with <img src=x onerror="alert(3)"> inside',
        confidence=0.9,
        sides=[side_a, side_b],
        cues=["cue <script>alert(4)</script>"],
        review=ReviewStatus(
            decision="confirmed",
            note="Checked <b>both</b> sources",
            reviewer="ana",
            type=ContradictionType.DATE_TIME,
        ),
    )
    rejected = flag.model_copy(
        update={
            "id": "flag-2",
            "fingerprint": "fp-2",
            "type": ContradictionType.SCOPE,
            "summary": "A second flag",
            "confidence": 0.4,
            "review": ReviewStatus(decision="rejected", note="Not the same ferry"),
        }
    )
    pending = flag.model_copy(
        update={
            "id": "flag-3",
            "fingerprint": "fp-3",
            "summary": "A third flag",
            "confidence": 0.6,
            "review": ReviewStatus(),
        }
    )
    orphan_flag = flag.model_copy(
        update={"id": "gone", "fingerprint": "fp-gone", "type": ContradictionType.NUMBER}
    )
    agreement = Agreement(
        id="agree-1",
        summary="Both say <i>noon</i>",
        sides=[
            _side(a, quote_a, "mayor", AgreementSide),
            _side(b, quote_b, "port authority", AgreementSide),
        ],
    )
    claims = [
        Claim(
            id="c-a",
            article_id=a.id,
            statement="The ferry <script>alert(5)</script> sails at noon.",
            claimant=hostile_claimant,
            stance=Stance.ASSERTS,
            quote=quote_a,
            start=side_a.start,
            end=side_a.end,
        )
    ]
    return Report(
        backend="offline",
        articles=[a, b],
        claims=claims,
        contradictions=[rejected, flag, pending],  # the page ranks them itself
        agreements=[agreement],
        errors=[InputError(path="bad<script>.txt", error="not UTF-8 <img src=x onerror=alert(6)>")],
        orphaned_reviews=[
            OrphanedReview(
                fingerprint="fp-gone",
                review=ReviewStatus(decision="rejected", note="Orphan <note>", reviewer="ana"),
                flag=orphan_flag,
            )
        ],
        stats=RunStats(articles=2, claims=1, single_source_claims=0),
    )


# --- an invented report with stories and disputes (the contract of issue 12) -----------------

FERRY_C = (
    "Ferry to sail at noon\n"
    "The harbour master said the ferry would sail at noon on Saturday. Tickets sold out fast."
)
BRIDGE_A = "The council said the closure only covered the north span. Work starts in May."
BRIDGE_B = "Residents said the closure covered the south span too. Many were angry."


def _dside(side: Side, repeated: list[str] | None = None) -> DisputeSide:
    return DisputeSide(**{**side.model_dump(), "repeated_in": repeated or []})


def _grouped_report() -> Report:
    """Two stories: a ferry's sailing time (one dispute, a copy, and one flag no dispute
    gathers) and a bridge closure (one dispute)."""
    flat = _invented_report()
    a, b = flat.articles
    c = Article(
        id="ferry-c",
        path="ferry-c.txt",
        title="Ferry to sail at noon",
        source="The Harbour Post",
        sha256="c" * 64,
        text=FERRY_C,
    )
    c2 = Article(
        id="ferry-c-copy",
        path="ferry-c-copy.txt",
        title="Ferry to sail at noon",
        source="Coastal Wire",
        sha256="d" * 64,
        copy_of="ferry-c",
        text=FERRY_C.replace("fast", "quickly"),
    )
    ba = Article(
        id="bridge-a", path="bridge-a.txt", title="Bridge closure", sha256="e" * 64, text=BRIDGE_A
    )
    bb = Article(
        id="bridge-b",
        path="bridge-b.txt",
        title="Residents angry",
        source="Valley Post",
        sha256="f" * 64,
        text=BRIDGE_B,
    )
    mayor, port = flat.contradictions[1].sides
    harbour = _side(c, "The harbour master said the ferry would sail at noon", "harbour master")
    council = _side(ba, "The council said the closure only covered the north span", "council")
    residents = _side(bb, "Residents said the closure covered the south span too", "residents")
    time_1 = flat.contradictions[1].model_copy(update={"dispute_id": "dp-time"})  # confirmed
    time_2 = Contradiction(
        id="flag-4",
        fingerprint="fp-4",
        type=ContradictionType.DATE_TIME,
        summary="The harbour master and the port authority disagree on the time",
        confidence=0.7,
        sides=[harbour, port],
        dispute_id="dp-time",
    )
    span = Contradiction(
        id="flag-5",
        fingerprint="fp-5",
        type=ContradictionType.SCOPE,
        summary="The council and residents disagree on what the closure covers",
        confidence=0.8,
        sides=[council, residents],
        dispute_id="dp-span",
    )
    lone = flat.contradictions[0]  # flag-2, rejected: no dispute gathers it
    ferry_ids = sorted(["ferry-a", "ferry-b", "ferry-c", "ferry-c-copy"])
    stories = [
        Story(
            id="st-ferry",
            title="Ferry sailing time",
            article_ids=ferry_ids,
            copies={"ferry-c-copy": "ferry-c"},
        ),
        Story(id="st-bridge", title="Bridge closure", article_ids=["bridge-a", "bridge-b"]),
    ]
    time_dispute = Dispute(
        id="dp-time",
        fingerprint="dfp-time",
        story_id="st-ferry",
        matter="when the ferry sails",
        types=[ContradictionType.DATE_TIME],
        confidence=0.9,
        positions=[
            Position(
                id="po-noon",
                label="it sails at noon",
                summary="The mayor and the harbour master say noon.",
                claimants=["mayor", "harbour master"],
                sides=[_dside(mayor), _dside(harbour, ["ferry-c-copy"])],
                sources=["ferry-a", "ferry-c", "ferry-c-copy"],
            ),
            Position(
                id="po-not-noon",
                label="it does not sail at noon",
                summary="",
                claimants=[port.claimant],
                sides=[_dside(port)],
                sources=["ferry-b"],
            ),
        ],
        contradiction_ids=["flag-1", "flag-4"],
    )
    span_dispute = Dispute(
        id="dp-span",
        fingerprint="dfp-span",
        story_id="st-bridge",
        matter="what the bridge closure covers",
        types=[ContradictionType.SCOPE],
        confidence=0.8,
        positions=[
            Position(
                id="po-north",
                label="only the north span",
                summary="",
                claimants=["council"],
                sides=[_dside(council)],
                sources=["bridge-a"],
            ),
            Position(
                id="po-south",
                label="the south span too",
                summary="",
                claimants=["residents"],
                sides=[_dside(residents)],
                sources=["bridge-b"],
            ),
        ],
        contradiction_ids=["flag-5"],
    )
    agreement = flat.agreements[0].model_copy(
        update={"story_id": "st-ferry", "sources": ["ferry-a", "ferry-b"]}
    )
    return flat.model_copy(
        update={
            "articles": sorted([a, b, c, c2, ba, bb], key=lambda x: x.id),
            "contradictions": [time_1, span, time_2, lone],
            "stories": stories,
            "disputes": [time_dispute, span_dispute],
            "agreements": [agreement],
            "orphaned_reviews": [],
            "errors": [],
            "stats": RunStats(articles=6, claims=1),
        }
    )


def _many_flags(n: int) -> Report:
    """A report of `n` flags between two invented articles, none gathered into a dispute."""
    lines = [f"Witness {i} said the gate opened at {i % 12 + 1} o'clock." for i in range(n)]
    a = Article(id="gate-a", path="gate-a.txt", sha256="1" * 64, text=" ".join(lines))
    b = Article(
        id="gate-b",
        path="gate-b.txt",
        sha256="2" * 64,
        text="The guard said the gate stayed shut all day.",
    )
    guard = _side(b, "The guard said the gate stayed shut all day", "guard")
    flags = [
        Contradiction(
            id=f"ct-{i:04d}",
            fingerprint=f"fp-{i:04d}",
            type=ContradictionType.DATE_TIME,
            summary=f"Witness {i} and the guard disagree",
            confidence=round(0.99 - i / (2 * n), 4),
            sides=[_side(a, lines[i].rstrip("."), f"witness {i}"), guard],
        )
        for i in range(n)
    ]
    return Report(backend="offline", articles=[a, b], contradictions=flags)


# --- unit tests ------------------------------------------------------------------------------


def test_article_derived_text_is_escaped() -> None:
    html = render_html(_invented_report())
    parsed = _parse(html)
    # Exactly one script that runs (ours), the data block, and no element an attacker added.
    assert [t for t, _ in parsed.tags].count("script") == 2
    assert len(parsed.code()) == 1
    assert not [t for t, _ in parsed.tags if t in {"img", "b", "i", "note", "iframe", "object"}]
    for tag, attrs in parsed.tags:
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
    assert "<script>alert" not in html
    # No real tag carries an event handler (the escaped text has no "<" left to open one).
    assert not re.search(r"<[a-zA-Z][^<>]*\son\w+\s*=", html)
    # Server-rendered text is escaped by the template.
    assert "bad&lt;script&gt;.txt" in html  # error path
    assert "not UTF-8 &lt;img src=x onerror=alert(6)&gt;" in html  # error
    assert "Orphan &lt;note&gt;" in html  # an orphaned decision's note
    assert "Summary with &lt;img src=x onerror=&#34;alert(3)&#34;&gt; inside" in html
    # The rest travels in the data block, every character intact.
    strings = _strings(html)
    assert TEXT_A in strings  # article text
    assert '<script>alert("claimant")</script>' in strings  # claimant
    assert "cue <script>alert(4)</script>" in strings  # cues
    assert "The ferry <script>alert(5)</script> sails at noon." in strings  # statement
    assert "Ferry <b>times</b>" in strings  # title
    assert "Checked <b>both</b> sources" in strings  # reviewer's note


def test_the_data_block_cannot_end_its_element() -> None:
    report = _invented_report()
    nasty = "</script><script>alert(7)</script> <!-- </SCRIPT > \u2028 & done"
    report = report.model_copy(
        update={"contradictions": [report.contradictions[0].model_copy(update={"summary": nasty})]}
    )
    html = render_html(report)
    start = html.index(f'<script type="application/json" id="{DATA_ID}">')
    block = html[start : html.index("</script>", start)]
    # Inside the element nothing is markup: no "<" at all, so no "</script" and no "<!--".
    assert "<" not in block[block.index(">") + 1 :]
    assert html.lower().count("</script") == 2  # the data block's end and the code's end
    assert nasty in _strings(html)


def test_csp_hash_matches_the_inline_script() -> None:
    html = render_html(_invented_report())
    parsed = _parse(html)
    assert len(parsed.code()) == 1
    script = parsed.code()[0]
    assert script == REPORT_JS.read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    policy = [p.strip() for p in _csp(parsed).split(";")]
    assert policy == [
        "default-src 'none'",
        "style-src 'unsafe-inline'",
        "img-src data:",
        f"script-src 'sha256-{digest}'",
    ]
    # The policy comes before anything it governs.
    assert html.index("Content-Security-Policy") < html.index("<style>") < html.index("<script")


def test_the_script_never_parses_markup() -> None:
    # Text reaches the DOM as text nodes only; these are the ways a string becomes markup or
    # code, and none may appear in the page's script.
    script = REPORT_JS.read_text(encoding="utf-8")
    sinks = ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("]
    sinks += ["new Function", 'setTimeout("', "DOMParser", "createContextualFragment"]
    for sink in sinks:
        assert sink not in script, sink
    # Nor is a URL or an event handler ever set from the data (attribute names are literals).
    assert not re.search(r"""\b(href|src|srcdoc|action|formaction|style)\s*:""", script)
    assert not re.search(r"""\bon(?!e\b)[a-z]+\s*:""", script)  # "one" is a word
    assert script.count("setAttribute(") == 1  # in h(), for the literal names of its callers


def test_no_external_assets() -> None:
    for html in (render_html(_invented_report()), render_html(_grouped_report())):
        for tag, attrs in _parse(html).tags:
            for name in ("src", "href", "action", "srcset", "poster", "data"):
                value = (attrs.get(name) or "").strip().lower()
                assert not value.startswith(("http:", "https:", "//")), (tag, name, value)
            assert tag not in {"img", "iframe", "object", "embed", "base"}
        assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.IGNORECASE)
        assert "@import" not in html and "url(" not in html
        assert '<link rel="icon" href="data:,">' in html


def test_review_statuses_and_orphaned_decisions() -> None:
    html = render_html(_invented_report())
    # One card per flag (no dispute gathers them), most confident first, each with its own
    # status; the reviewer's type wins.
    found, _ = cards(_invented_report())
    assert [(c.pairs[0].id, c.pairs[0].review.decision) for c in found] == [
        ("flag-1", "confirmed"),
        ("flag-3", "pending"),
        ("flag-2", "rejected"),
    ]
    assert found[0].as_dispute().types == [ContradictionType.DATE_TIME]
    for decision in ("pending", "confirmed", "rejected"):
        assert f'<span class="badge status-{decision}">1 {decision}</span>' in html
    orphans = html[html.index('id="orphaned"') : html.index('id="claims"')]
    assert "Orphan &lt;note&gt;" in orphans
    assert '<span class="badge status-rejected">rejected</span>' in orphans
    assert '<span class="type">number</span>' in orphans
    assert "The port authority said the ferry would not sail at noon" in orphans
    assert "not UTF-8" in html
    assert "Not the same ferry" in _strings(html)


def test_every_kind_of_orphaned_decision_is_counted_and_listed() -> None:
    # A dispute decision and a claimant correction whose dispute or claim this run did not
    # find again are kept like a flag's decision: the page counts and lists all three.
    grouped = _grouped_report()
    report = grouped.model_copy(
        update={
            "orphaned_reviews": _invented_report().orphaned_reviews,
            "orphaned_dispute_reviews": [
                OrphanedDisputeReview(
                    fingerprint="dfp-gone",
                    review=ReviewStatus(decision="confirmed", note="Seen <twice>", reviewer="ana"),
                    dispute=grouped.disputes[0].model_copy(
                        update={"matter": "the <b>gone</b> matter"}
                    ),
                )
            ],
            "orphaned_corrections": [
                OrphanedCorrection(
                    key="ck-gone",
                    claimant="the harbour <master>",
                    was="the mayor",
                    article_id="ferry-old",
                    quote="the ferry sails at noon",
                    reviewer="ana",
                    at=dt.datetime(2031, 3, 2, 9, 30, tzinfo=dt.UTC),
                )
            ],
        }
    )
    html = render_html(report)
    assert "3 review decisions on flags, disputes or claims not found in this run" in html
    orphans = html[html.index('id="orphaned"') : html.index('id="claims"')]
    assert "not found in this run (3)</h3>" in orphans
    assert "Orphan &lt;note&gt;" in orphans  # the flag's decision
    assert "the &lt;b&gt;gone&lt;/b&gt; matter" in orphans and "Seen &lt;twice&gt;" in orphans
    assert "the harbour &lt;master&gt;" in orphans and "ferry-old" in orphans


def test_quote_in_context_from_the_text_or_alone_without_it() -> None:
    data = _parse(render_html(_invented_report())).data()
    quote = "The mayor said the ferry <script>alert(1)</script> would sail at noon"
    start = TEXT_A.index(quote)
    # With the text: the side points into it (quote and context), the words are not repeated.
    assert [start, start + len(quote), 0, len(TEXT_A)] in [row[2:6] for row in data["sides"]]
    report = _invented_report()
    report = report.model_copy(
        update={"articles": [a.model_copy(update={"text": ""}) for a in report.articles]}
    )
    data = _parse(render_html(report)).data()
    assert TEXT_A not in data["strings"]
    assert all(row[2] == -1 for row in data["sides"])
    assert quote in {data["strings"][row[8]] for row in data["sides"]}


def test_offsets_count_utf16_code_units() -> None:
    text = "🚢🚢 The skipper said it left at dawn. 🌅 Then it rained."
    article = Article(id="boat", path="boat.txt", sha256="9" * 64, text=text)
    other = Article(id="boat-2", path="b.txt", sha256="8" * 64, text="It left at noon, they said.")
    side = _side(article, "The skipper said it left at dawn", "skipper")
    flag = Contradiction(
        id="ct-boat",
        fingerprint="fp-boat",
        type=ContradictionType.DATE_TIME,
        summary="dawn or noon",
        confidence=0.5,
        sides=[side, _side(other, "It left at noon", "they")],
    )
    report = Report(backend="offline", articles=[article, other], contradictions=[flag])
    data = _parse(render_html(report)).data()
    js = text.encode("utf-16-le")
    row = next(r for r in data["sides"] if r[0] == 0)
    # Two astral characters before the quote: two code units each in JavaScript.
    assert row[2] == side.start + 2
    assert js[2 * row[2] : 2 * row[3]].decode("utf-16-le") == side.quote


def test_empty_report_renders() -> None:
    html = render_html(Report(backend="offline"))
    data = _parse(html).data()
    assert data["disputes"] == [] and data["agreements"] == []
    assert 'id="no-disputes"' in html and 'id="no-agreements"' in html


def test_write_report_writes_html_and_read_back_renders_the_same(tmp_path: Path) -> None:
    report = _invented_report()
    write_report(report, tmp_path)
    written = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert written == render_html(report)
    assert not list(tmp_path.glob("*.tmp"))
    # Read back from the folder (texts from the article copies): the same page.
    again = read_report(tmp_path)
    assert render_html(again) == written


def test_disputes_and_lone_flags_become_cards_ranked() -> None:
    found, stories = cards(_grouped_report())
    assert [(c.dispute.id if c.dispute else c.pairs[0].id) for c in found] == [
        "dp-time",  # 0.9
        "dp-span",  # 0.8
        "flag-2",  # 0.4, gathered by no dispute: a card of its own
    ]
    assert [p.id for p in found[0].pairs] == ["flag-1", "flag-4"]
    assert [s.id for s in stories] == ["st-ferry", "st-bridge"]
    lone = found[2].as_dispute()
    assert lone.matter == "A second flag"
    assert [p.claimants for p in lone.positions] == [
        ["mayor"],
        ['<script>alert("claimant")</script>'],
    ]
    # The reviewer's type for a whole dispute is its type.
    retyped = found[1].dispute
    assert retyped is not None
    retyped = retyped.model_copy(update={"review": ReviewStatus(type=ContradictionType.NUMBER)})
    assert shown_types(retyped, found[1].pairs) == ["number"]
    assert shown_types(retyped.model_copy(update={"review": ReviewStatus()}), found[1].pairs) == [
        "scope"
    ]
    # A report from before the grouping: one story of every article, one card per flag.
    found, stories = cards(_invented_report())
    assert len(found) == 3 and [s.article_ids for s in stories] == [["ferry-a", "ferry-b"]]


def test_who_says_what_matrix() -> None:
    report = _grouped_report()
    ferry = who_says_what(report, "st-ferry")
    assert ferry.dispute_ids == ["dp-time"]
    assert ferry.claimants == ["mayor", "harbour master", '<script>alert("claimant")</script>']
    assert [r.positions for r in ferry.rows] == [
        (("po-noon",),),
        (("po-noon",),),
        (("po-not-noon",),),
    ]
    assert ferry.positions_of("mayor", "dp-time") == ("po-noon",)
    assert ferry.positions_of("mayor", "dp-span") == ()
    bridge = who_says_what(report, "st-bridge")
    assert {(r.claimant, r.positions) for r in bridge.rows} == {
        ("council", (("po-north",),)),
        ("residents", (("po-south",),)),
    }
    # The page carries each story's table: claimants, matters, and each cell's position.
    data = _parse(render_html(report)).data()
    strings = data["strings"]
    tables = {strings[data["stories"][m[0]][0]]: m for m in data["matrices"]}
    assert set(tables) == {"st-ferry", "st-bridge"}
    # The ferry's table has the flag no dispute gathers as a matter of its own.
    columns = [strings[data["pairs"][data["disputes"][i][0]][0]] for i in tables["st-ferry"][1][1:]]
    assert columns == ["flag-2"]
    rows = [strings[i] for i in tables["st-ferry"][2]]
    hostile = '<script>alert("claimant")</script>'
    assert rows == ["mayor", hostile, "harbour master"]  # in two matters, then in one
    cells = [[0, 0, [0]], [0, 1, [0]], [1, 0, [1]], [1, 1, [1]], [2, 0, [0]]]
    assert sorted(tables["st-ferry"][3]) == cells


def test_the_page_grows_with_disputes_not_with_their_pairs() -> None:
    # One dispute between two positions of 30 accounts each; 60 or all 900 of its pairs.
    lines = [f"Clerk {i} said the office opened on Monday." for i in range(30)]
    others = [f"Porter {i} said the office opened on Tuesday." for i in range(30)]
    a = Article(id="office-a", path="a.txt", sha256="3" * 64, text=" ".join(lines))
    b = Article(id="office-b", path="b.txt", sha256="4" * 64, text=" ".join(others))
    left = [_side(a, line.rstrip("."), f"clerk {i}") for i, line in enumerate(lines)]
    right = [_side(b, line.rstrip("."), f"porter {i}") for i, line in enumerate(others)]

    def page(pairs: int) -> str:
        flags = [
            Contradiction(
                id=f"ct-{n:04d}",
                fingerprint=f"fp-{n:04d}",
                type=ContradictionType.DATE_TIME,
                summary=f"Pair {n:04d}: Monday or Tuesday, a summary of some length",
                confidence=round(0.9 - n / 10000, 4),
                sides=[left[n // 30], right[n % 30]],
                cues=[f"cue {n:04d}"],
                dispute_id="dp-day",
            )
            for n in range(pairs)
        ]
        positions = [
            Position(
                id=f"po-{label}",
                label=label,
                summary="",
                claimants=[],
                sides=[_dside(s) for s in sides],
                sources=[sides[0].article_id],
            )
            for label, sides in (("Monday", left), ("Tuesday", right))
        ]
        dispute = Dispute(
            id="dp-day",
            fingerprint="dfp-day",
            story_id="st-all",
            matter="which day the office opened",
            types=[ContradictionType.DATE_TIME],
            confidence=0.9,
            positions=positions,
            contradiction_ids=[f.id for f in flags],
        )
        report = Report(
            backend="offline", articles=[a, b], contradictions=flags, disputes=[dispute]
        )
        return render_html(report)

    few, many = page(60), page(900)
    # Only the PAIRS_SHOWN most confident pairs travel: 840 more pairs change a count.
    assert len(_parse(many).data()["pairs"]) == PAIRS_SHOWN
    assert abs(len(many) - len(few)) < 20


def test_review_mode_policy_and_flag() -> None:
    report = _grouped_report()
    html = render_html(report, review_api="http://127.0.0.1:8765/api/")
    parsed = _parse(html)
    policy = _csp(parsed)
    assert policy.endswith("; connect-src http://127.0.0.1:8765")
    assert policy == content_security_policy(parsed.code(), "http://127.0.0.1:8765")
    body = next(a for t, a in parsed.tags if t == "body")
    assert body == {"data-review-api": "http://127.0.0.1:8765/api/"}
    assert "connect-src" not in _csp(_parse(render_html(report)))
    assert next(a for t, a in _parse(render_html(report)).tags if t == "body") == {}
    for bad in ("javascript:alert(1)", "http://x; script-src *", "file:///etc", "http://"):
        with pytest.raises(ValueError, match="review_api"):
            render_html(report, review_api=bad)


# --- the page in a real browser --------------------------------------------------------------


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One headless chromium for the module (starting it is the slow part)."""
    browser_or_skip()
    with headless_chromium(tmp_path_factory.mktemp("chromium-profile")) as browser:
        yield browser


def _review(fingerprint: str, action: str, flag: Contradiction, **extra: Any) -> ReviewEvent:
    return ReviewEvent(
        fingerprint=fingerprint, action=action, reviewer="tester", flag=flag, **extra
    )


def _same_dispute(a: Contradiction, b: Contradiction) -> bool:
    return a.dispute_id is not None and a.dispute_id == b.dispute_id


def _card_facts(report: Report) -> dict[str, tuple[set[str], str]]:
    """Each card's id (its dispute's, or its lone flag's): the types it is filtered by and
    its status, as the page computes them."""
    found, _ = cards(report)
    facts: dict[str, tuple[set[str], str]] = {}
    for card in found:
        if card.dispute is None:
            flag = card.pairs[0]
            facts[flag.id] = ({(flag.review.type or flag.type).value}, flag.review.decision)
        else:
            d = card.dispute
            facts[d.id] = (set(shown_types(d, card.pairs)), dispute_status(d, card.pairs))
    return facts


def _flag_text(driver: Any, flag: Contradiction) -> str:
    """The text shown for one flag: its own card when no dispute gathers it, else its block
    in its dispute's pair fold (opened first: it is built when opened)."""
    from selenium.webdriver.common.by import By

    if flag.dispute_id is None:
        return str(driver.find_element(By.ID, f"dispute-{flag.id}").text)
    card = driver.find_element(By.ID, f"dispute-{flag.dispute_id}")
    card.find_element(By.CSS_SELECTOR, "details.pairs > summary").click()
    return str(card.find_element(By.ID, f"flag-{flag.id}").text)


@pytest.fixture(scope="module")
def seeds_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Report, Path]:
    """The seeds reconciled once for this module, with a few review decisions, published."""
    from agent.pipeline import run_pipeline

    out = tmp_path_factory.mktemp("seeds-out")
    with pytest.MonkeyPatch.context() as mp:
        # Module scope runs before the per-test temp home: give this run one of its own.
        home = tmp_path_factory.mktemp("seeds-home")
        mp.setenv("HOME", str(home))
        mp.setenv("XDG_CACHE_HOME", str(home / ".cache"))
        report = run_pipeline([SEEDS], backend="offline")
        flags = report.contradictions
        assert len(flags) >= 3, "the seeds should give several contradictions"
        ghost = flags[0].model_copy(update={"id": "ghost", "fingerprint": uuid.uuid4().hex})
        # flags[1] and every pair of its dispute rejected, so its card is rejected as a whole
        # (a dispute of mixed decisions is pending), and flags[0]'s is not the same card.
        rejected = [c for c in flags if c is flags[1] or _same_dispute(c, flags[1])]
        assert not _same_dispute(flags[0], flags[1])
        with ReviewLog(out / LOG_NAME) as log:
            log.append(_review(flags[0].fingerprint, "confirm", flags[0]))
            log.append(_review(flags[0].fingerprint, "note", flags[0], note="Both quotes checked"))
            for flag in rejected:
                log.append(_review(flag.fingerprint, "reject", flag))
            log.append(
                _review(flags[1].fingerprint, "retype", flags[1], type=ContradictionType.OTHER)
            )
            log.append(_review(ghost.fingerprint, "reject", ghost))
            log.append(_review(ghost.fingerprint, "note", ghost, note="An orphaned decision"))
        published, problems = publish(report, out)
    assert problems == []
    return published, out / "report.html"


@pytest.fixture(scope="module")
def grouped_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    page = tmp_path_factory.mktemp("grouped") / "report.html"
    page.write_text(render_html(_grouped_report()), encoding="utf-8")
    return page


def _severe(driver: Any) -> list[dict[str, Any]]:
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def _load(driver: Any, page: Path, fragment: str = "") -> None:
    driver.get_log("browser")  # drop entries from earlier pages
    driver.get("about:blank")  # a real load, even when only the fragment differs
    driver.get(page.as_uri() + fragment)


def _cards(driver: Any) -> list[str]:
    """The dispute cards shown, in order (read in one go: the page re-renders as we type)."""
    ids: list[str] = driver.execute_script(
        "return Array.from(document.querySelectorAll('#dispute-list article.dispute'))"
        ".filter(c => c.getClientRects().length > 0).map(c => c.dataset.dispute)"
    )
    return ids


def _fragment(driver: Any) -> str:
    url: str = driver.current_url
    return url.split("#", 1)[1] if "#" in url else ""


def _wait(driver: Any, condition: Any) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 5).until(condition)


def test_browser_seeds_page_loads_cleanly(driver: Any, seeds_site: tuple[Report, Path]) -> None:
    from selenium.webdriver.common.by import By

    report, page = seeds_site
    _load(driver, page)
    assert driver.title.startswith("Reconciliation report")
    n = len(report.contradictions)
    found, _ = cards(report)
    shown = [c.dispute.id if c.dispute else c.pairs[0].id for c in found][:PAGE_SIZE]
    assert _cards(driver) == shown
    marks = driver.find_elements(By.CSS_SELECTOR, "article.dispute mark")
    assert any("only covered energy plants" in m.text and m.is_displayed() for m in marks)
    # The script ran (its hash matched the policy): the filters are shown, with their count.
    assert driver.find_element(By.ID, "filters").is_displayed()
    assert driver.find_element(By.ID, "visible-count").text == f"{len(found)} of {len(found)} shown"
    orphaned = driver.find_element(By.ID, "orphaned").text
    assert "An orphaned decision" in orphaned
    retyped = _flag_text(driver, report.contradictions[1])
    assert "judge said" in retyped and "reviewer says other" in retyped
    assert "Both quotes checked" in _flag_text(driver, report.contradictions[0])
    # One card per dispute, and one per flag no dispute gathers: every flag in exactly one.
    lone = [c for c in report.contradictions if c.dispute_id is None]
    assert len(found) == len(report.disputes) + len(lone)
    assert sum(len(c.pairs) for c in found) == n
    assert _severe(driver) == []


def test_browser_filters(driver: Any, seeds_site: tuple[Report, Path]) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    report, page = seeds_site
    _load(driver, page)
    # Each card (a dispute, or a flag no dispute gathers): its types and status.
    facts = _card_facts(report)
    shown_types_of = {k: types for k, (types, _) in facts.items()}
    status = {k: decision for k, (_, decision) in facts.items()}
    assert set(status.values()) == {"pending", "confirmed", "rejected"}
    by_type = Select(driver.find_element(By.ID, "filter-type"))
    by_status = Select(driver.find_element(By.ID, "filter-status"))
    counter = driver.find_element(By.ID, "visible-count")
    n = len(facts)

    for wanted in sorted(set().union(*shown_types_of.values())):
        by_type.select_by_value(wanted)
        expected = {k for k, v in shown_types_of.items() if wanted in v}
        assert set(_cards(driver)) == expected, wanted
        assert counter.text == f"{len(expected)} of {n} shown"
    by_type.select_by_value("")
    for wanted in ("pending", "confirmed", "rejected"):
        by_status.select_by_value(wanted)
        expected = {k for k, v in status.items() if v == wanted}
        assert set(_cards(driver)) == expected, wanted
        assert counter.text == f"{len(expected)} of {n} shown"

    # Both at once; a combination nothing matches says so (a type no pending flag has: which
    # one depends on the seeds' flags, so it is looked up rather than assumed).
    pending_types = set().union(*(shown_types_of[k] for k, v in status.items() if v == "pending"))
    every_type = set().union(*shown_types_of.values())
    absent = next(t for t in sorted(every_type) if t not in pending_types)
    by_status.select_by_value("pending")
    by_type.select_by_value(absent)
    assert _cards(driver) == []
    assert driver.find_element(By.ID, "no-match").is_displayed()
    driver.find_element(By.CSS_SELECTOR, "#filters button[type=reset]").click()
    # The page re-applies the filters just after the form's reset event: wait for that turn.
    _wait(driver, lambda d: set(_cards(d)) == set(status))
    assert not driver.find_element(By.ID, "no-match").is_displayed()
    assert _severe(driver) == []


def test_browser_dispute_first_screen(driver: Any, grouped_page: Path) -> None:
    from selenium.webdriver.common.by import By

    _load(driver, grouped_page)
    # The disputes come first, most important first, on the first screen.
    order = driver.execute_script(
        "return Array.from(document.querySelectorAll('main > section')).map(s => s.id)"
    )
    assert order == ["disputes", "who", "agreements", "summary", "claims"]
    assert _cards(driver) == ["dp-time", "dp-span", "flag-2"]
    first = driver.find_element(By.ID, "dispute-dp-time")
    assert driver.execute_script("return arguments[0].getBoundingClientRect().top", first) < 1000
    text = first.text
    # Matter, types, review status, every position with its claimants and sources.
    assert "when the ferry sails" in text and "date_time" in text and "pending" in text
    positions = first.find_elements(By.CSS_SELECTOR, ".position")
    assert [p.find_element(By.CSS_SELECTOR, ".label").text for p in positions] == [
        "it sails at noon",
        "it does not sail at noon",
    ]
    noon = positions[0].text
    assert "Held by: mayor, harbour master" in noon
    assert "3 sources: The Invented Tribune, The Harbour Post, Coastal Wire" in noon
    assert "Repeated word for word in 1 copy: Coastal Wire" in noon
    # Quotes in context, the quote marked.
    marks = [m.text for m in first.find_elements(By.CSS_SELECTOR, "mark")]
    assert "The harbour master said the ferry would sail at noon" in marks
    excerpts = [e.text for e in first.find_elements(By.CSS_SELECTOR, "blockquote.excerpt")]
    assert any(e.startswith("Officials met on Friday. The mayor said") for e in excerpts)
    # The pair-level flags are folded inside, built when opened.
    fold = first.find_element(By.CSS_SELECTOR, "details.pairs")
    assert (
        fold.find_element(By.TAG_NAME, "summary").text
        == "2 pair-level flags (1 pending, 1 confirmed)"
    )
    assert first.find_elements(By.CSS_SELECTOR, "article.flag") == []
    fold.find_element(By.TAG_NAME, "summary").click()
    _wait(driver, lambda d: first.find_elements(By.CSS_SELECTOR, "article.flag"))
    flags = first.find_elements(By.CSS_SELECTOR, "article.flag")
    assert [f.get_attribute("data-fp") for f in flags] == ["fp-1", "fp-4"]
    assert "judge said denial, reviewer says date_time" in flags[0].text
    assert "Checked <b>both</b> sources" in flags[0].text
    # The review buttons exist for the review server, hidden outside review mode.
    buttons = first.find_elements(By.CSS_SELECTOR, "button[data-action]")
    assert buttons and not any(b.is_displayed() for b in buttons)
    assert _severe(driver) == []


def test_browser_who_says_what(driver: Any, grouped_page: Path) -> None:
    from selenium.webdriver.common.by import By

    _load(driver, grouped_page)
    tables = driver.find_elements(By.CSS_SELECTOR, "#matrices .story-matrix")
    assert [t.get_attribute("data-story") for t in tables] == ["st-ferry", "st-bridge"]
    ferry = tables[0].find_element(By.TAG_NAME, "table")
    head = [th.text for th in ferry.find_elements(By.CSS_SELECTOR, "thead th")]
    # The matters, most important first: the dispute, then the flag no dispute gathers.
    assert head == ["Claimant", "#1 when the ferry sails", "#3 A second flag"]
    rows = {
        tr.find_element(By.TAG_NAME, "th").text: [
            td.text for td in tr.find_elements(By.TAG_NAME, "td")
        ]
        for tr in ferry.find_elements(By.CSS_SELECTOR, "tbody tr")
    }
    # Each cell: the position the claimant holds (its letter and label), blank for none.
    assert rows == {
        "mayor": [
            "A it sails at noon",
            "A The mayor said the ferry <script>alert(1)</script> would sail at noon",
        ],
        '<script>alert("claimant")</script>': [
            "B it does not sail at noon",
            "B The port authority said the ferry would not sail at noon",
        ],
        "harbour master": ["A it sails at noon", ""],
    }
    # A matter's heading shows that dispute alone, and says so in the URL.
    tables[1].find_element(By.CSS_SELECTOR, "button.matter-link").click()
    _wait(driver, lambda d: _cards(d) == ["dp-span"])
    assert _fragment(driver) == "dispute=dp-span"
    assert driver.find_element(By.ID, "focus-note").is_displayed()
    driver.find_element(By.CSS_SELECTOR, "#focus-note button").click()
    assert _cards(driver) == ["dp-time", "dp-span", "flag-2"]
    assert _severe(driver) == []


def test_browser_agreed_facts_list_every_source(driver: Any, grouped_page: Path) -> None:
    from selenium.webdriver.common.by import By

    _load(driver, grouped_page)
    fact = driver.find_element(By.CSS_SELECTOR, "#agreement-list article.agreement")
    assert "Both say <i>noon</i>" in fact.text
    assert "Stated by: mayor (The Invented Tribune); port authority (ferry-b)" in fact.text
    assert "2 sources: The Invented Tribune, ferry-b" in fact.text


def test_browser_each_filter(driver: Any, grouped_page: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    _load(driver, grouped_page)
    counter = driver.find_element(By.ID, "visible-count")
    every = ["dp-time", "dp-span", "flag-2"]

    def pick(control: str, value: str, expected: list[str]) -> None:
        Select(driver.find_element(By.ID, f"filter-{control}")).select_by_value(value)
        assert _cards(driver) == expected, (control, value)
        assert counter.text == f"{len(expected)} of 3 shown"
        Select(driver.find_element(By.ID, f"filter-{control}")).select_by_value("")
        assert _cards(driver) == every

    pick("type", "date_time", ["dp-time"])
    pick("type", "scope", ["dp-span", "flag-2"])
    pick("status", "rejected", ["flag-2"])
    pick("status", "pending", ["dp-time", "dp-span"])  # one confirmed pair of two: pending
    pick("source", "article:ferry-c-copy", ["dp-time"])  # a copy's source finds its dispute
    pick("source", "outlet:Valley Post", ["dp-span"])
    pick("source", "article:ferry-b", ["dp-time", "flag-2"])

    def typed(control: str, words: str, expected: list[str]) -> None:
        box = driver.find_element(By.ID, f"filter-{control}")
        box.clear()
        box.send_keys(words)
        _wait(driver, lambda d: _cards(d) == expected)
        assert counter.text == f"{len(expected)} of 3 shown"

    typed("claimant", "harbour", ["dp-time"])
    typed("claimant", "MAYOR", ["dp-time", "flag-2"])
    typed("claimant", "nobody at all", [])
    assert driver.find_element(By.ID, "no-match").is_displayed()
    driver.find_element(By.CSS_SELECTOR, "#filters button[type=reset]").click()
    _wait(driver, lambda d: _cards(d) == every)
    assert not driver.find_element(By.ID, "no-match").is_displayed()
    assert _fragment(driver) == ""
    assert _severe(driver) == []


def test_browser_search(driver: Any, grouped_page: Path) -> None:
    from selenium.webdriver.common.by import By

    _load(driver, grouped_page)
    box = driver.find_element(By.ID, "filter-q")
    for words, expected in [
        ("north span", ["dp-span"]),  # a quote
        ("SOUTH  span", ["dp-span"]),  # any case, any spacing
        ("does not sail", ["dp-time"]),  # a position's label
        ("second flag", ["flag-2"]),  # a flag's summary
        ("Harbour Post", ["dp-time"]),  # an outlet
        ("ferry noon", ["dp-time", "flag-2"]),  # every word, anywhere
        ("ferry bridge", []),
        ('alert("claimant")', ["dp-time", "flag-2"]),  # hostile words are words
    ]:
        box.clear()
        box.send_keys(words)
        _wait(driver, lambda d, e=expected: _cards(d) == e)
    assert _severe(driver) == []


def test_browser_filters_survive_a_reload_and_a_shared_link(
    driver: Any, grouped_page: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    _load(driver, grouped_page)
    Select(driver.find_element(By.ID, "filter-type")).select_by_value("scope")
    Select(driver.find_element(By.ID, "filter-source")).select_by_value("article:bridge-b")
    box = driver.find_element(By.ID, "filter-q")
    box.send_keys("closure")
    _wait(driver, lambda d: "q=closure" in _fragment(d))
    assert _fragment(driver) == "q=closure&type=scope&source=article%3Abridge-b"
    assert _cards(driver) == ["dp-span"]

    def same_view() -> None:
        assert _cards(driver) == ["dp-span"]
        assert (
            Select(driver.find_element(By.ID, "filter-type")).first_selected_option.get_attribute(
                "value"
            )
            == "scope"
        )
        assert (
            driver.find_element(By.ID, "filter-source").get_attribute("value") == "article:bridge-b"
        )
        assert driver.find_element(By.ID, "filter-q").get_attribute("value") == "closure"
        assert driver.find_element(By.ID, "visible-count").text == "1 of 3 shown"

    driver.refresh()
    same_view()
    # The link alone, opened anew (shared), gives the same view; and so does going back to it.
    _load(driver, grouped_page, "#q=closure&type=scope&source=article%3Abridge-b")
    same_view()
    driver.execute_script("window.location.hash = 'claimant=council'")
    _wait(
        driver,
        lambda d: (
            _cards(d) == ["dp-span"]
            and d.find_element(By.ID, "filter-claimant").get_attribute("value") == "council"
        ),
    )
    driver.back()
    _wait(driver, lambda d: d.find_element(By.ID, "filter-q").get_attribute("value") == "closure")
    same_view()
    assert _severe(driver) == []


def test_browser_a_large_report_renders_one_page_of_cards(driver: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    page = tmp_path / "report.html"
    page.write_text(render_html(_many_flags(130)), encoding="utf-8")
    _load(driver, page)
    first = [f"ct-{i:04d}" for i in range(PAGE_SIZE)]
    assert _cards(driver) == first  # most confident first, one page only in the DOM
    assert len(driver.find_elements(By.CSS_SELECTOR, "article.dispute")) == PAGE_SIZE
    pager = driver.find_element(By.ID, "pager-top")
    assert "Disputes 1–20 of 130 · page 1 of 7" in pager.text
    pager.find_element(By.CSS_SELECTOR, "button.next").click()
    assert _cards(driver) == [f"ct-{i:04d}" for i in range(20, 40)]
    assert _fragment(driver) == "page=2"
    driver.refresh()
    assert _cards(driver) == [f"ct-{i:04d}" for i in range(20, 40)]
    driver.find_element(By.CSS_SELECTOR, "#pager-bottom button.prev").click()
    assert _cards(driver) == first
    # A filter starts again at its first page; a page past the end shows the last one.
    _load(driver, page, "#page=99")
    assert _cards(driver) == [f"ct-{i:04d}" for i in range(120, 130)]
    assert driver.find_element(By.ID, "visible-count").text == "130 of 130 shown"
    assert _severe(driver) == []


def test_browser_review_mode_shows_the_buttons(driver: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    page = tmp_path / "review.html"
    page.write_text(
        render_html(_grouped_report(), review_api="http://127.0.0.1:9/api"), encoding="utf-8"
    )
    _load(driver, page)
    card = driver.find_element(By.ID, "dispute-dp-time")
    own = card.find_elements(By.CSS_SELECTOR, ":scope > .review-actions button")
    attrs = ("data-action", "data-scope", "data-dispute", "data-fp")
    assert [tuple(b.get_attribute(a) for a in attrs) for b in own] == [
        (action, "dispute", "dp-time", "dfp-time")
        for action in ("confirm", "reject", "retype", "note")
    ]
    assert all(b.is_displayed() for b in own)
    card.find_element(By.CSS_SELECTOR, "details.pairs summary").click()
    _wait(driver, lambda d: card.find_elements(By.ID, "flag-flag-4"))
    pair = card.find_element(By.ID, "flag-flag-4").find_element(
        By.CSS_SELECTOR, "button[data-action=confirm]"
    )
    assert pair.is_displayed()
    assert (
        pair.get_attribute("data-scope"),
        pair.get_attribute("data-dispute"),
        pair.get_attribute("data-fp"),
    ) == ("pair", "dp-time", "fp-4")
    # A flag no dispute gathers is decided as the pair it is.
    lone = driver.find_element(By.CSS_SELECTOR, "#dispute-flag-2 > .review-actions button")
    assert (lone.get_attribute("data-scope"), lone.get_attribute("data-fp")) == ("pair", "fp-2")
    assert _severe(driver) == []


def test_browser_context_reads_as_in_report_md(driver: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    # Astral characters shift JavaScript's offsets; odd whitespace is squashed as Python does.
    text = (
        "🚢 Crew\tsaid  so.\u00a0 🌅The skipper said it left at dawn on\u2003Monday.\u0085 "
        "Then\n it rained."
    )
    article = Article(id="boat", path="boat.txt", sha256="9" * 64, text=text)
    other = Article(id="boat-2", path="b.txt", sha256="8" * 64, text="It left at noon, they said.")
    side = _side(article, "The skipper said it left at dawn", "skipper")
    flag = Contradiction(
        id="ct-boat",
        fingerprint="fp-boat",
        type=ContradictionType.DATE_TIME,
        summary="dawn or noon",
        confidence=0.5,
        sides=[side, _side(other, "It left at noon", "they")],
    )
    page = tmp_path / "report.html"
    page.write_text(
        render_html(Report(backend="offline", articles=[article, other], contradictions=[flag])),
        encoding="utf-8",
    )
    _load(driver, page)
    shown = driver.find_element(By.CSS_SELECTOR, "#dispute-ct-boat blockquote.excerpt")
    expected = excerpt(text, side.start, side.end)
    assert shown.get_attribute("textContent") == expected.before + expected.quote + expected.after
    assert shown.find_element(By.TAG_NAME, "mark").get_attribute("textContent") == side.quote


def _write_hostile_articles(folder: Path) -> None:
    # Invented articles; the hostile markup sits inside claims the offline reader extracts.
    folder.mkdir()
    (folder / "2031-05-02-harbor-gazette.txt").write_text(
        "Riverton bridge <b>reopening</b> date disputed\n"
        "By the Harbor Gazette\n\n"
        f"RIVERTON — The mayor said the bridge {HOSTILE_SCRIPT} would open to traffic on "
        f"Monday. City engineers said the repairs {HOSTILE_IMG} were finished last week. "
        "The council said it only covered the north span.\n",
        encoding="utf-8",
    )
    (folder / "2031-05-03-valley-post.txt").write_text(
        "Bridge to stay shut, says contractor\n"
        "By the Valley Post\n\n"
        "RIVERTON — The contractor said the bridge would not open to traffic on Monday. "
        "The contractor said the repairs were not finished last week. Residents said the "
        "closure covered the south span too.\n",
        encoding="utf-8",
    )


def test_browser_hostile_article_runs_nothing(driver: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    from agent.pipeline import run_pipeline

    _write_hostile_articles(tmp_path / "articles")
    report = run_pipeline([tmp_path / "articles"], backend="offline")
    quotes = [c.quote for c in report.claims]
    assert any(HOSTILE_SCRIPT in q for q in quotes), quotes
    assert any(HOSTILE_IMG in q for q in quotes), quotes
    out = tmp_path / "out"
    publish(report, out)
    page = out / "report.html"
    _load(driver, page)

    assert driver.execute_script("return typeof window.__pwned") == "undefined"
    scripts = driver.find_elements(By.TAG_NAME, "script")
    assert len(scripts) == 2 and not any(s.get_attribute("src") for s in scripts)
    assert driver.find_elements(By.TAG_NAME, "img") == []
    assert driver.find_elements(By.TAG_NAME, "b") == []
    # Open every fold (the claims and pairs are built when opened), then look for the text.
    driver.execute_script("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".claim-list"))
    body = driver.find_element(By.TAG_NAME, "body").text
    assert HOSTILE_SCRIPT in body
    assert HOSTILE_IMG in body
    assert "Riverton bridge <b>reopening</b> date disputed" in body
    marks = [m.text for m in driver.find_elements(By.CSS_SELECTOR, "article.dispute mark")]
    assert any(HOSTILE_SCRIPT in m for m in marks) or any(HOSTILE_IMG in m for m in marks)
    # Searching for the hostile words finds them as words and runs nothing.
    box = driver.find_element(By.ID, "filter-q")
    box.send_keys("<script>")
    _wait(driver, lambda d: "q=%3Cscript%3E" in _fragment(d))
    assert driver.execute_script("return typeof window.__pwned") == "undefined"
    assert _severe(driver) == []
