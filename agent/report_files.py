"""The output folder: report.json (the public contract), report.md and report.html for people,
and a copy of each article's text, so the folder can be reviewed, exported and shared alone.

Layout of OUT:
    report.json, report.md, report.html
    articles/<article-id>.txt   the decoded text every offset refers to (UTF-8, no BOM)
    reviews.jsonl               review decisions (written by `reconcile review`, never here)
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined
from pydantic import ValidationError

from agent.markdown_text import escape_markdown
from agent.models import Agreement, Claim, Contradiction, Report
from agent.report_html import render_html

ARTICLES_DIR = "articles"

_ENV = Environment(
    loader=PackageLoader("agent", "templates"),
    undefined=StrictUndefined,
    autoescape=False,  # HTML escaping is not Markdown escaping: finalize does that
    # Every value the template prints is escaped for Markdown, so a field added later cannot
    # be forgotten: an article's "<script>", "![x](https://...)" or "|" shows as text.
    finalize=escape_markdown,
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
)


class ReportFolderError(Exception):
    """The output folder has no readable report (a one-line message naming the file)."""


def render_markdown(report: Report) -> str:
    by_article: dict[str, list[Claim]] = {}
    for claim in report.claims:
        by_article.setdefault(claim.article_id, []).append(claim)
    return _ENV.get_template("report.md.j2").render(report=report, claims_by_article=by_article)


def write_report(report: Report, out_dir: Path) -> tuple[Path, Path]:
    """Write report.json, report.md, report.html and the article copies into `out_dir`
    (created if needed); returns the paths of report.json and report.md.

    The article copies are written only when the report's articles carry their text (a
    report read back from disk already has them on disk).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path = out_dir / "report.json"
    md_path = out_dir / "report.md"
    if all(a.text for a in report.articles):
        _write_articles(report, out_dir / ARTICLES_DIR)
    for path, content in (
        (json_path, report.model_dump_json(indent=2) + "\n"),
        (md_path, render_markdown(report)),
        (out_dir / "report.html", render_html(report)),
    ):
        _write_atomic(path, content)
    return json_path, md_path


def publish(report: Report, out_dir: Path) -> tuple[Report, list[str]]:
    """Attach the folder's review decisions to `report`, then write every file.

    Returns the report as written and the review log's unreadable lines (one line each).
    """
    from agent.review.status import attach_reviews

    report, problems = attach_reviews(report, out_dir)
    write_report(report, out_dir)
    return report, problems


def read_report(out_dir: Path) -> Report:
    """The report in `out_dir`, with each article's text from its copy.

    Raises ReportFolderError when report.json is missing or invalid, or an article copy is
    missing or no longer holds the quotes the report points at.
    """
    json_path = out_dir / "report.json"
    if not json_path.is_file():
        raise ReportFolderError(f"{json_path}: no report here (run `reconcile PATH...` first)")
    try:
        report = Report.model_validate_json(json_path.read_bytes())
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        message = f"{json_path}: not a valid report ({where}: {first['msg']})"
        raise ReportFolderError(message) from None
    texts: dict[str, str] = {}
    for article in report.articles:
        copy = out_dir / ARTICLES_DIR / f"{article.id}.txt"
        try:
            texts[article.id] = copy.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ReportFolderError(f"{copy}: cannot read the article copy ({exc})") from None
    items: list[Contradiction | Agreement] = [*report.contradictions, *report.agreements]
    for item in items:
        for side in item.sides:
            if texts[side.article_id][side.start : side.end] != side.quote:
                copy = out_dir / ARTICLES_DIR / f"{side.article_id}.txt"
                raise ReportFolderError(f"{copy}: does not hold the quote of {item.id}")
    articles = [a.model_copy(update={"text": texts[a.id]}) for a in report.articles]
    return report.model_copy(update={"articles": articles})


def _write_articles(report: Report, folder: Path) -> None:
    folder.mkdir(exist_ok=True)
    keep = {f"{a.id}.txt" for a in report.articles}
    for article in report.articles:
        path = folder / f"{article.id}.txt"
        if not path.exists() or path.read_bytes().decode("utf-8", "replace") != article.text:
            _write_atomic(path, article.text)
    # Copies of articles from an earlier run that this one did not read.
    for stale in folder.glob("*.txt"):
        if stale.name not in keep:
            stale.unlink()


def _write_atomic(path: Path, content: str) -> None:
    # Write then rename, so an interrupted run never leaves a half-written file.
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as f:
        f.write(content)
    tmp.replace(path)
