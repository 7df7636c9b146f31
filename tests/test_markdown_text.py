"""report.md from hostile articles, rendered by real Markdown renderers with raw HTML allowed:
no HTML element, image or link of the article's making, table rows intact, and the words
still read as they were written."""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options
from markdown_it import MarkdownIt

from agent.markdown_text import escape_markdown
from agent.models import (
    Agreement,
    AgreementSide,
    Article,
    Claim,
    Contradiction,
    ContradictionType,
    InputError,
    Report,
    ReviewStatus,
    RunStats,
    Side,
    Stance,
)
from agent.pipeline import run_pipeline
from agent.report_files import publish, render_markdown
from agent.review.log import LOG_NAME, ReviewEvent, ReviewLog
from tests.support.hostile import (
    AUTOLINK,
    BARE_URL,
    BARE_WWW,
    IMG_ONERROR,
    MARKDOWN_TITLE,
    REMOTE_IMAGE,
    SCRIPT,
    TITLE_SEQUENCE,
    write_markdown_hostile,
)


def _commonmark(text: str) -> str:
    # The CommonMark preset passes raw HTML through: only our escaping stands in the way.
    html: str = MarkdownIt("commonmark", {"html": True}).enable("table").render(text)
    return html


def _github(text: str) -> str:
    # GitHub's own renderer (cmark-gfm) with its autolinks and tables, unsafe mode and no tag
    # filter: raw HTML would pass.
    return str(
        cmarkgfm.markdown_to_html_with_extensions(
            text,
            options=Options.CMARK_OPT_UNSAFE,
            extensions=["table", "autolink", "strikethrough", "tasklist"],
        )
    )


RENDERERS: dict[str, Callable[[str], str]] = {"commonmark": _commonmark, "github": _github}
ALLOWED = {"h1", "h2", "h3", "p", "ul", "li", "strong", "em", "table", "thead", "tbody", "tr"}
ALLOWED |= {"th", "td"}


class _Page(HTMLParser):
    """The elements, attributes, table rows and visible text of rendered HTML."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.rows: list[list[str]] = []
        self.texts: list[str] = []
        self._in_cell = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.rows[-1].append("")
            self._in_cell = True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self._in_cell = False

    def handle_data(self, data: str) -> None:
        self.texts.append(data)
        if self._in_cell:
            self.rows[-1][-1] += data

    @property
    def text(self) -> str:
        return " ".join("".join(self.texts).split())


def _assert_inert(page: _Page) -> None:
    tags = {tag for tag, _ in page.tags}
    assert tags <= ALLOWED, tags - ALLOWED  # no script, img, a, b, code, html block
    attributes = [(tag, attrs) for tag, attrs in page.tags if attrs]
    assert attributes == []  # no src, href or on... anywhere


def _hostile_run(tmp_path: Path) -> Path:
    """A real offline run of the hostile articles, plus a real review note and reviewer, and
    an input whose file name is HTML; returns the output folder."""
    folder = tmp_path / "in"
    write_markdown_hostile(folder)
    (folder / f"{IMG_ONERROR} empty.txt").write_text("")
    out = tmp_path / "out"
    report, _ = publish(run_pipeline([folder], backend="offline"), out)
    flag = report.contradictions[0]
    with ReviewLog(out / LOG_NAME) as log:
        for action, note in (("confirm", None), ("note", f"see {REMOTE_IMAGE} | {SCRIPT}")):
            event = {"fingerprint": flag.fingerprint, "action": action, "flag": flag}
            log.append(ReviewEvent.model_validate(event | {"reviewer": "<i>ana</i>", "note": note}))
    publish(report, out)
    return out


@pytest.mark.parametrize("renderer", RENDERERS)
def test_report_md_of_a_hostile_article_renders_as_text(renderer: str, tmp_path: Path) -> None:
    out = _hostile_run(tmp_path)
    markdown = (out / "report.md").read_text(encoding="utf-8")
    page = _Page(RENDERERS[renderer](markdown))
    _assert_inert(page)
    # The articles table: one header row and one row per article, four cells each.
    assert page.rows[0] == ["id", "title", "source", "published"]
    assert len(page.rows) == 3 and all(len(row) == 4 for row in page.rows)
    assert MARKDOWN_TITLE in [row[1] for row in page.rows]
    # Every hostile string reads as written.
    text = page.text
    for words in (
        MARKDOWN_TITLE,
        SCRIPT,
        f"the repairs {IMG_ONERROR} were *finished* | last week",
        f"north span by {AUTOLINK}, {BARE_URL}, {BARE_WWW} and [the map](https://evil.example/l)",
        f"Review: confirmed by <i>ana</i>; note: see {REMOTE_IMAGE} | {SCRIPT}",
        f"{IMG_ONERROR} empty.txt: empty file",
    ):
        assert words in text, words


HOSTILE = f"<b>x</b> | {REMOTE_IMAGE} {AUTOLINK} *e* _u_ `c` ~s~ [l](https://evil.example) #h"


def _every_field_hostile() -> Report:
    """A report whose every string field holds the same hostile text, as a model's answer
    could: a field the template prints that finalize did not escape would show up."""
    text = f"{HOSTILE} said {HOSTILE}"
    start, end = 0, len(text)
    article = Article(
        id=HOSTILE,
        path=HOSTILE,
        title=HOSTILE,
        source=HOSTILE,
        dateline=HOSTILE,
        sha256="a" * 64,
        text=text,
    )
    side = {
        "claim_id": "c",
        "article_id": article.id,
        "article_sha256": article.sha256,
        "claimant": HOSTILE,
        "quote": text,
        "start": start,
        "end": end,
    }
    return Report(
        backend=HOSTILE,
        articles=[article],
        claims=[
            Claim(
                id="c",
                article_id=article.id,
                statement=HOSTILE,
                claimant=HOSTILE,
                stance=Stance.ASSERTS,
                quote=text,
                start=start,
                end=end,
            )
        ],
        contradictions=[
            Contradiction(
                id="f",
                fingerprint="f",
                type=ContradictionType.OTHER,
                summary=HOSTILE,
                confidence=0.5,
                sides=[Side.model_validate(side), Side.model_validate(side)],
                cues=[HOSTILE, HOSTILE],
                review=ReviewStatus(decision="rejected", note=HOSTILE, reviewer=HOSTILE),
            )
        ],
        agreements=[
            Agreement(
                id="g",
                summary=HOSTILE,
                sides=[AgreementSide.model_validate(side), AgreementSide.model_validate(side)],
            )
        ],
        errors=[InputError(path=HOSTILE, error=HOSTILE)],
        stats=RunStats(articles=1, claims=1),
    )


@pytest.mark.parametrize("renderer", RENDERERS)
def test_every_field_of_report_md_is_escaped(renderer: str) -> None:
    page = _Page(RENDERERS[renderer](render_markdown(_every_field_hostile())))
    _assert_inert(page)
    assert len(page.rows) == 2 and all(len(row) == 4 for row in page.rows)
    # Title, source, backend, summary, claimants, quotes, cues, note, statement, error...
    assert page.text.count(HOSTILE) >= 20


def test_escape_markdown_one_line_no_markup_same_words() -> None:
    assert escape_markdown(None) == ""
    assert escape_markdown(0.5) == "0.5"
    assert escape_markdown("AT&T <b>") == "AT&amp;T &lt;b&gt;"
    assert escape_markdown("a\n\n# b\r\n|c|") == "a \\# b \\|c\\|"
    assert escape_markdown("*x* _y_ `z` [l](u) {a} ~s~ \\") == (
        "\\*x\\* \\_y\\_ \\`z\\` \\[l\\](u) \\{a\\} \\~s\\~ \\\\"
    )
    assert escape_markdown("see https://e.example and WWW.e.example") == (
        "see https\\://e.example and WWW\\.e.example"
    )
    # A marker that would open a list, a rule or a heading at the start of a line.
    assert escape_markdown("- item") == "\\- item"
    assert escape_markdown("1984. The year") == "1984\\. The year"
    assert escape_markdown("3) three") == "3\\) three"
    assert escape_markdown("===") == "\\==="
    assert escape_markdown("0.82") == "0.82"  # not a list marker: left alone
    assert escape_markdown("    code") == "code"
    # Control characters are shown, as on the terminal (cat report.md).
    assert escape_markdown(f"t{TITLE_SEQUENCE}") == "t\\\\x1b\\]0;PWNED\\\\x07"
