"""The terminal summary of a run (rich)."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from agent.models import Contradiction, Report, Side

_QUOTE_LIMIT = 70
_REVIEW_MARK = {"confirmed": "[green]✓ confirmed[/]", "rejected": "[red]✗ rejected[/]"}


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
        table.add_column("review")
        for i, c in enumerate(report.contradictions[:limit], start=1):
            a, b = c.sides[0], c.sides[1]
            table.add_row(
                str(i),
                _type_cell(c),
                f"{c.confidence:.2f}",
                _side_cell(a),
                _side_cell(b),
                _REVIEW_MARK.get(c.review.decision, "pending"),
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
    if stats.capped:
        console.print(f"[yellow]Capped[/]: {_capped(report)}", highlight=False)
    print_review_counts(report, console)
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
            markup=False,
        )
        for stage, usage in info.stages.items():
            console.print(
                f"  {stage}: {usage.calls} calls, {usage.cached} cached, "
                f"{usage.prompt_tokens}+{usage.completion_tokens} tokens",
                highlight=False,
            )
    if out_dir is not None:
        console.print(
            f"Full report: {out_dir / 'report.json'}, {out_dir / 'report.md'} and "
            f"{out_dir / 'report.html'}",
            markup=False,
        )


def _capped(report: Report) -> str:
    """One line on what the caps on flags dropped (report.json's stats.capped has each)."""
    dropped = {hit.cap: hit for hit in report.stats.capped}
    contradictions = sum(d.dropped for c, d in dropped.items() if c.startswith("contra"))
    parts = []
    if contradictions:
        kept = len(report.contradictions)
        rules = [
            f"{d.limit:,} {'per claim' if c.endswith('claim') else 'per run'}"
            for c, d in dropped.items()
            if c.startswith("contra")
        ]
        parts.append(
            f"kept {kept:,} of {kept + contradictions:,} contradictions "
            f"(the most confident, at most {' and '.join(rules)})"
        )
    if "agreements_per_run" in dropped:
        hit = dropped["agreements_per_run"]
        parts.append(f"kept the {hit.limit:,} widest of {hit.limit + hit.dropped:,} agreements")
    return "; ".join(parts) + "; see report.json's stats.capped"


def _side_cell(side: Side) -> str:
    # Article text is escaped: a claimant or quote like "[/b]" is words, not markup.
    who, where, words = escape(side.claimant), escape(side.article_id), escape(_short(side.quote))
    return f"[bold]{who}[/] ({where})\n“{words}”"


def _type_cell(c: Contradiction) -> str:
    """The type, with the reviewer's correction when they changed it."""
    if c.review.type is not None and c.review.type != c.type:
        return f"[strike]{c.type.value}[/] {c.review.type.value}"
    return c.type.value


def print_review_counts(report: Report, console: Console) -> None:
    """How far review has got, and any decisions whose flag this run did not find again."""
    decisions = [c.review.decision for c in report.contradictions]
    if decisions.count("pending") == len(decisions) and not report.orphaned_reviews:
        return
    console.print(
        f"Review: [green]{decisions.count('confirmed')} confirmed[/], "
        f"[red]{decisions.count('rejected')} rejected[/], {decisions.count('pending')} pending"
    )
    if report.orphaned_reviews:
        console.print(
            f"[yellow]{len(report.orphaned_reviews)} review decision(s) orphaned[/]: their flags "
            "were not found in this run (kept in reviews.jsonl, listed in report.json):"
        )
        for o in report.orphaned_reviews:
            sides = " / ".join(f"“{_short(s.quote, 40)}”" for s in o.flag.sides)
            line = f"  {o.review.decision} {o.flag.type.value}: {sides}"
            console.print(line, highlight=False, markup=False)


def print_estimate(estimate: dict[str, object], console: Console) -> None:
    """What --dry-run found: no request was made."""
    console.print("Dry run: nothing was sent.")
    for key, value in estimate.items():
        console.print(f"  {key}: {value}", highlight=False)
