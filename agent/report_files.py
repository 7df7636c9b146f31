"""Writing the report: report.json (the public contract) and report.md (for people)."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from agent.models import Claim, Report

_ENV = Environment(
    loader=PackageLoader("agent", "templates"),
    undefined=StrictUndefined,
    autoescape=False,  # Markdown output; quotes are shown verbatim
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
)


def render_markdown(report: Report) -> str:
    by_article: dict[str, list[Claim]] = {}
    for claim in report.claims:
        by_article.setdefault(claim.article_id, []).append(claim)
    return _ENV.get_template("report.md.j2").render(report=report, claims_by_article=by_article)


def write_report(report: Report, out_dir: Path) -> tuple[Path, Path]:
    """Write report.json and report.md into `out_dir` (created if needed)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path = out_dir / "report.json"
    md_path = out_dir / "report.md"
    # Write then rename, so an interrupted run never leaves a half-written report.
    for path, content in (
        (json_path, report.model_dump_json(indent=2) + "\n"),
        (md_path, render_markdown(report)),
    ):
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(content, encoding="utf-8")
        tmp.replace(path)
    return json_path, md_path
