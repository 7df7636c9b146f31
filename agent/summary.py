"""The terminal summary of a run (rich)."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from agent.models import Report

_QUOTE_LIMIT = 70


def _short(text: str, limit: int = _QUOTE_LIMIT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def print_summary(
    report: Report, console: Console, out_dir: Path | None = None, limit: int = 20
) -> None:
    """Contradictions ranked by confidence, then the counts and where the report went."""
    stats = report.stats
    console.print(
        f"[bold]{stats.articles}[/] articles, [bold]{stats.claims}[/] claims, "
        f"{stats.candidate_pairs} pairs judged · backend [cyan]{report.backend}[/]"
    )
    if report.contradictions:
        table = Table(title=f"Contradictions ({len(report.contradictions)}), most confident first")
        table.add_column("#", justify="right")
        table.add_column("type")
        table.add_column("conf", justify="right")
        table.add_column("side A")
        table.add_column("side B")
        for i, c in enumerate(report.contradictions[:limit], start=1):
            a, b = c.sides[0], c.sides[1]
            table.add_row(
                str(i),
                c.type.value,
                f"{c.confidence:.2f}",
                f"[bold]{a.claimant}[/] ({a.article_id})\n“{_short(a.quote)}”",
                f"[bold]{b.claimant}[/] ({b.article_id})\n“{_short(b.quote)}”",
            )
        console.print(table)
        if len(report.contradictions) > limit:
            console.print(f"… and {len(report.contradictions) - limit} more in the report.")
    else:
        console.print("No contradictions found.")
    console.print(
        f"Agreements: [bold]{len(report.agreements)}[/] · "
        f"single-source claims: [bold]{stats.single_source_claims}[/]"
    )
    if report.errors:
        console.print(f"[red]{len(report.errors)} input(s) failed[/]: see report.json's errors")
    if report.llm is not None:
        info, total = report.llm, report.llm.total
        cost = (
            f"${info.cost_usd:.4f}" if info.cost_usd is not None else "unknown (model not priced)"
        )
        console.print(
            f"LLM {info.model} at {info.endpoint} ({info.response_format or 'no call'}): "
            f"{total.calls} calls, {total.cached} cached, {total.failed} failed, "
            f"{total.prompt_tokens} prompt + {total.completion_tokens} completion tokens, "
            f"{info.requests} HTTP requests, cost {cost}",
            highlight=False,
        )
        for stage, usage in info.stages.items():
            console.print(
                f"  {stage}: {usage.calls} calls, {usage.cached} cached, "
                f"{usage.prompt_tokens}+{usage.completion_tokens} tokens",
                highlight=False,
            )
    if out_dir is not None:
        console.print(f"Full report: {out_dir / 'report.json'} and {out_dir / 'report.md'}")


def print_estimate(estimate: dict[str, object], console: Console) -> None:
    """What --dry-run found: no request was made."""
    console.print("Dry run: nothing was sent.")
    for key, value in estimate.items():
        console.print(f"  {key}: {value}", highlight=False)
