"""The output folder: report.json (the public contract), report.md and report.html for people,
and a copy of each article's text, so the folder can be reviewed, exported and shared alone.

Layout of OUT:
    report.json, report.md, report.html
    articles/<article-id>.txt   the decoded text every offset refers to (UTF-8, no BOM)
    reviews.jsonl               review decisions (written by `reconcile review`, never here)
    .reconcile-manifest.json    what reconcile wrote here (agent.outdir: only that is replaced)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined
from pydantic import ValidationError

from agent.markdown_text import escape_markdown
from agent.models import Agreement, Claim, Contradiction, Report
from agent.outdir import ARTICLES_DIR, OutputFolderError, commit, steady
from agent.report_html import render_html

StoryCheck = Callable[[Path, Mapping[str, str]], None]

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


def report_json(report: Report) -> str:
    """report.json's text, as written to the folder (and to stdout with --json or --out -)."""
    return report.model_dump_json(indent=2) + "\n"


def report_files(report: Report) -> dict[str, bytes]:
    """Every file of the report, relative name -> bytes, rendered before anything is written
    (a value that cannot be rendered fails here, with the folder untouched).

    The article copies are included only when the report's articles carry their text.
    """
    files = {
        "report.json": report_json(report).encode("utf-8"),
        "report.md": render_markdown(report).encode("utf-8"),
        "report.html": render_html(report).encode("utf-8"),
    }
    if all(a.text for a in report.articles):
        for article in report.articles:
            files[_copy_name(article.id)] = article.text.encode("utf-8")
    return files


def write_report(
    report: Report, out_dir: Path, check: StoryCheck | None = None
) -> tuple[Path, Path]:
    """Write report.json, report.md, report.html and the article copies into `out_dir`
    (created if needed), all or nothing, replacing only reconcile's own files (agent.outdir);
    returns the paths of report.json and report.md.

    Raises OutputFolderError (one line, the folder unchanged) when a file to write is not
    reconcile's own, the folder cannot be written, or `check` refuses.
    """
    files = report_files(report)
    # A report without the texts (read back from disk) keeps the copies it already has.
    keep = {_copy_name(a.id) for a in report.articles}
    commit(out_dir, files, keep=keep, check=check)
    return out_dir / "report.json", out_dir / "report.md"


def publish(
    report: Report, out_dir: Path, check: StoryCheck | None = None
) -> tuple[Report, list[str]]:
    """Attach the folder's review decisions to `report`, then write every file.

    Returns the report as written and the review log's unreadable lines (one line each).
    Raises OutputFolderError as write_report does.
    """
    from agent.review.status import attach_reviews

    report, problems = attach_reviews(report, out_dir)
    write_report(report, out_dir, check)
    return report, problems


def read_report(out_dir: Path) -> Report:
    """The report in `out_dir`, with each article's text from its copy.

    Raises ReportFolderError when report.json is missing or invalid, or an article copy is
    missing or no longer holds the quotes the report points at.
    """
    try:
        with steady(out_dir):
            report, texts = _read_files(out_dir)
    except OutputFolderError as exc:
        raise ReportFolderError(str(exc)) from None
    items: list[Contradiction | Agreement] = [*report.contradictions, *report.agreements]
    for item in items:
        for side in item.sides:
            if texts[side.article_id][side.start : side.end] != side.quote:
                copy = out_dir / ARTICLES_DIR / f"{side.article_id}.txt"
                raise ReportFolderError(f"{copy}: does not hold the quote of {item.id}")
    articles = [a.model_copy(update={"text": texts[a.id]}) for a in report.articles]
    return report.model_copy(update={"articles": articles})


def _read_files(out_dir: Path) -> tuple[Report, dict[str, str]]:
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
    except OSError as exc:
        raise ReportFolderError(f"{json_path}: cannot read it ({exc.strerror or exc})") from None
    texts: dict[str, str] = {}
    for article in report.articles:
        copy = out_dir / _copy_name(article.id)
        try:
            texts[article.id] = copy.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ReportFolderError(f"{copy}: cannot read the article copy ({exc})") from None
    return report, texts


def _copy_name(article_id: str) -> str:
    return f"{ARTICLES_DIR}/{article_id}.txt"
