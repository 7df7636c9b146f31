"""report.html: escaping, the Content-Security-Policy, no external assets, review statuses; and
the page itself in Debian's headless chromium (console, contradictions, filters, hostile text).
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import uuid
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from agent.models import (
    Agreement,
    AgreementSide,
    Article,
    Claim,
    Contradiction,
    ContradictionType,
    InputError,
    OrphanedReview,
    Report,
    ReviewStatus,
    RunStats,
    Side,
    Stance,
)
from agent.report_files import publish, read_report, write_report
from agent.report_html import render_html
from agent.review.log import LOG_NAME, ReviewEvent, ReviewLog
from tests.conftest import SEEDS

HOSTILE_SCRIPT = "<script>window.__pwned = 1</script>"
HOSTILE_IMG = '<img src=x onerror="window.__pwned = 2">'
REPORT_JS = Path(__file__).resolve().parent.parent / "agent" / "templates" / "report.js"


# --- parsing helpers -------------------------------------------------------------------------


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the raw text of each script element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


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


# --- a small invented report -----------------------------------------------------------------

TEXT_A = (
    "Officials met on Friday. The mayor said the ferry <script>alert(1)</script> would sail "
    'at noon. Nobody else <img src=x onerror="alert(2)"> commented.'
)
TEXT_B = "The port authority said the ferry would not sail at noon. It gave no reason."


def _side(article: Article, quote: str, claimant: str, cls: type[Side] = Side) -> Side:
    start = article.text.index(quote)
    return cls(
        claim_id=f"c-{start}",
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


# --- unit tests ------------------------------------------------------------------------------


def test_article_derived_text_is_escaped() -> None:
    html = render_html(_invented_report())
    parsed = _parse(html)
    # Exactly one script element (ours) and no element an attacker could have added.
    assert [t for t, _ in parsed.tags].count("script") == 1
    assert not [t for t, _ in parsed.tags if t in {"img", "b", "i", "note", "iframe", "object"}]
    for tag, attrs in parsed.tags:
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
    assert "<script>alert" not in html
    # No real tag carries an event handler (the escaped text has no "<" left to open one).
    assert not re.search(r"<[a-zA-Z][^<>]*\son\w+\s*=", html)
    # The hostile words are there, as text.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # article text and quote
    assert "&lt;script&gt;alert(&#34;claimant&#34;)&lt;/script&gt;" in html  # claimant
    assert "Summary with &lt;img src=x onerror=&#34;alert(3)&#34;&gt; inside" in html  # summary
    assert "cue &lt;script&gt;alert(4)&lt;/script&gt;" in html  # cues
    assert "&lt;script&gt;alert(5)&lt;/script&gt;" in html  # statement
    assert "Ferry &lt;b&gt;times&lt;/b&gt;" in html  # title
    assert "Checked &lt;b&gt;both&lt;/b&gt; sources" in html  # reviewer's note
    assert "bad&lt;script&gt;.txt" in html  # error path


def test_csp_hash_matches_the_inline_script() -> None:
    html = render_html(_invented_report())
    parsed = _parse(html)
    assert len(parsed.scripts) == 1
    script = parsed.scripts[0]
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
    assert html.index("Content-Security-Policy") < html.index("<style>") < html.index("<script>")


def test_no_external_assets() -> None:
    html = render_html(_invented_report())
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
    parsed = _parse(html)
    cards = {a["id"]: a for t, a in parsed.tags if t == "article" and "data-status" in a}
    assert {k: (v["data-status"], v["data-type"]) for k, v in cards.items()} == {
        "flag-flag-1": ("confirmed", "date_time"),  # the reviewer's type wins
        "flag-flag-2": ("rejected", "scope"),
        "flag-flag-3": ("pending", "denial"),
    }
    # Most confident first.
    assert html.index('id="flag-flag-1"') < html.index('id="flag-flag-3"')
    assert html.index('id="flag-flag-3"') < html.index('id="flag-flag-2"')
    assert "judge said denial, reviewer says date_time" in html
    assert "Not the same ferry" in html
    assert "by ana" in html
    for decision in ("pending", "confirmed", "rejected"):
        assert f'<span class="badge status-{decision}">1 {decision}</span>' in html
    orphans = html[html.index('id="orphaned"') : html.index('id="contradictions"')]
    assert "Orphan &lt;note&gt;" in orphans
    assert '<span class="badge status-rejected">rejected</span>' in orphans
    assert '<span class="type">number</span>' in orphans
    assert "The port authority said the ferry would not sail at noon" in orphans
    assert "not UTF-8" in html


def test_quote_in_context_or_alone_without_text() -> None:
    html = render_html(_invented_report())
    assert (
        "Officials met on Friday. <mark>The mayor said the ferry &lt;script&gt;alert(1)"
        "&lt;/script&gt; would sail at noon</mark>. Nobody else" in html
    )
    report = _invented_report()
    report = report.model_copy(
        update={"articles": [a.model_copy(update={"text": ""}) for a in report.articles]}
    )
    html = render_html(report)
    assert "Officials met on Friday" not in html
    assert "<mark>The mayor said the ferry &lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_empty_report_renders() -> None:
    html = render_html(Report(backend="offline"))
    assert html.count("None found.") == 2
    assert 'id="filters"' not in html


def test_write_report_writes_html_and_read_back_renders_the_same(tmp_path: Path) -> None:
    report = _invented_report()
    write_report(report, tmp_path)
    written = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert written == render_html(report)
    assert not list(tmp_path.glob("*.tmp"))
    # Read back from the folder (texts from the article copies): the same page.
    again = read_report(tmp_path)
    assert render_html(again) == written


# --- the page in a real browser --------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


def _browser_or_skip() -> None:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if not missing:
        return
    reason = (
        f"browser tests need Debian's chromium and chromium-driver ({', '.join(missing)} missing)"
    )
    if os.environ.get("RECONCILE_REQUIRE_BROWSER") == "1":
        pytest.fail(reason + " and RECONCILE_REQUIRE_BROWSER=1")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One headless chromium for the module (starting it is the slow part)."""
    _browser_or_skip()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    profile = tmp_path_factory.mktemp("chromium-profile")
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--window-size=1300,1000",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield browser
    finally:
        browser.quit()


def _review(fingerprint: str, action: str, flag: Contradiction, **extra: Any) -> ReviewEvent:
    return ReviewEvent(
        fingerprint=fingerprint, action=action, reviewer="tester", flag=flag, **extra
    )


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
        with ReviewLog(out / LOG_NAME) as log:
            log.append(_review(flags[0].fingerprint, "confirm", flags[0]))
            log.append(_review(flags[0].fingerprint, "note", flags[0], note="Both quotes checked"))
            log.append(_review(flags[1].fingerprint, "reject", flags[1]))
            log.append(
                _review(flags[1].fingerprint, "retype", flags[1], type=ContradictionType.OTHER)
            )
            log.append(_review(ghost.fingerprint, "reject", ghost))
            log.append(_review(ghost.fingerprint, "note", ghost, note="An orphaned decision"))
        published, problems = publish(report, out)
    assert problems == []
    return published, out / "report.html"


def _severe(driver: Any) -> list[dict[str, Any]]:
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def _load(driver: Any, page: Path) -> None:
    driver.get_log("browser")  # drop entries from earlier pages
    driver.get(page.as_uri())


def _visible_cards(driver: Any) -> set[str]:
    from selenium.webdriver.common.by import By

    cards = driver.find_elements(By.CSS_SELECTOR, "article.flag")
    return {c.get_attribute("id") for c in cards if c.is_displayed()}


def test_browser_seeds_page_loads_cleanly(driver: Any, seeds_site: tuple[Report, Path]) -> None:
    from selenium.webdriver.common.by import By

    report, page = seeds_site
    _load(driver, page)
    assert driver.title.startswith("Reconciliation report")
    cards = driver.find_elements(By.CSS_SELECTOR, "article.flag")
    assert len(cards) == len(report.contradictions)
    assert all(c.is_displayed() for c in cards)
    marks = driver.find_elements(By.CSS_SELECTOR, "article.flag mark")
    assert any("only covered energy plants" in m.text and m.is_displayed() for m in marks)
    # The script ran (its hash matched the policy): the filters are shown, with their count.
    assert driver.find_element(By.ID, "filters").is_displayed()
    n = len(report.contradictions)
    assert driver.find_element(By.ID, "visible-count").text == f"{n} of {n} shown"
    orphaned = driver.find_element(By.ID, "orphaned").text
    assert "An orphaned decision" in orphaned
    assert "judge said" in driver.find_element(By.ID, f"flag-{report.contradictions[1].id}").text
    assert _severe(driver) == []


def test_browser_filters(driver: Any, seeds_site: tuple[Report, Path]) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    report, page = seeds_site
    _load(driver, page)
    shown_type = {f"flag-{c.id}": (c.review.type or c.type).value for c in report.contradictions}
    status = {f"flag-{c.id}": c.review.decision for c in report.contradictions}
    assert set(status.values()) == {"pending", "confirmed", "rejected"}
    by_type = Select(driver.find_element(By.ID, "filter-type"))
    by_status = Select(driver.find_element(By.ID, "filter-status"))
    counter = driver.find_element(By.ID, "visible-count")

    for wanted in sorted(set(shown_type.values())):
        by_type.select_by_value(wanted)
        expected = {k for k, v in shown_type.items() if v == wanted}
        assert _visible_cards(driver) == expected, wanted
        assert counter.text == f"{len(expected)} of {len(report.contradictions)} shown"
    by_type.select_by_value("")
    for wanted in ("pending", "confirmed", "rejected"):
        by_status.select_by_value(wanted)
        expected = {k for k, v in status.items() if v == wanted}
        assert _visible_cards(driver) == expected, wanted
        assert counter.text == f"{len(expected)} of {len(report.contradictions)} shown"

    # Both at once; a combination nothing matches says so (a type no pending flag has: which
    # one depends on the seeds' flags, so it is looked up rather than assumed).
    pending_types = {shown_type[k] for k, v in status.items() if v == "pending"}
    absent = next(t for t in sorted(set(shown_type.values())) if t not in pending_types)
    by_status.select_by_value("pending")
    by_type.select_by_value(absent)
    assert _visible_cards(driver) == set()
    assert driver.find_element(By.ID, "no-match").is_displayed()
    driver.find_element(By.CSS_SELECTOR, "#filters button[type=reset]").click()
    # The page re-applies the filters just after the form's reset event: wait for that turn.
    WebDriverWait(driver, 5).until(lambda d: _visible_cards(d) == set(status))
    assert _visible_cards(driver) == set(status)
    assert not driver.find_element(By.ID, "no-match").is_displayed()
    assert _severe(driver) == []


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
    assert len(scripts) == 1 and not scripts[0].get_attribute("src")
    assert driver.find_elements(By.TAG_NAME, "img") == []
    assert driver.find_elements(By.TAG_NAME, "b") == []
    # Open every article's claims so all the text is rendered, then look for it as text.
    driver.execute_script("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    body = driver.find_element(By.TAG_NAME, "body").text
    assert HOSTILE_SCRIPT in body
    assert HOSTILE_IMG in body
    assert "Riverton bridge <b>reopening</b> date disputed" in body
    marks = [m.text for m in driver.find_elements(By.CSS_SELECTOR, "article.flag mark")]
    assert any(HOSTILE_SCRIPT in m for m in marks) or any(HOSTILE_IMG in m for m in marks)
    assert driver.execute_script("return typeof window.__pwned") == "undefined"
    assert _severe(driver) == []
