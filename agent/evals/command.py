"""`reconcile eval`: run the suite, print the figures, write the results, apply the gate.

Exit codes: 0 no regression (or no baseline yet, or the baseline was rewritten), 1 a gated
figure regressed beyond the tolerance or a quote is ungrounded, 2 the fixtures are invalid.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from agent.backends.llm.config import LLMConfig
from agent.evals.baseline import GateRow, baseline_path, compare, load_baseline, save_baseline
from agent.evals.fixtures import FixtureError, load_cases
from agent.evals.runner import (
    SCORERS,
    EvalResults,
    Predictor,
    case_figures,
    pipeline_predictor,
    run_eval,
)
from agent.evals.scorers import GROUNDING
from agent.evals.scoring import Scorer
from agent.evals.stages import where_lost
from agent.paths import default_fixtures

EXIT_OK, EXIT_REGRESSION, EXIT_FIXTURES = 0, 1, 2


def eval_command(
    backend: str,
    fixtures: Path | None,
    cases: list[str] | None,
    baseline: Path | None,
    update_baseline: bool,
    out: Path,
    console: Console,
    predict: Predictor | None = None,
    llm: LLMConfig | None = None,
    scorers: Sequence[Scorer[Any]] = SCORERS,
    details: bool = False,
) -> int:
    """Run the eval and return the exit code.

    `fixtures` None means ./evals/fixtures when it exists, else the cases shipped with
    reconcile (the output says which). `baseline` None means the default file for the
    report's backend, next to `fixtures` (see agent.evals.baseline). `predict` replaces the
    pipeline (tests inject reports); `scorers` decide the figures, the table's columns and
    what the gate compares; `details` prints every figure of every case too.
    """
    packaged = False
    if fixtures is None:
        fixtures, packaged = default_fixtures()
        where = "the copy shipped with reconcile" if packaged else "this folder's evals/"
        console.print(f"Eval cases: {escape(str(fixtures))} ({where})", soft_wrap=True)
    if packaged and update_baseline and baseline is None:
        console.print(
            "[red]error[/red]: the eval cases shipped with reconcile keep their own baseline, "
            "which is not rewritten: pass --baseline FILE to write one of your own",
            soft_wrap=True,
        )
        return EXIT_FIXTURES
    try:
        loaded = load_cases(fixtures, cases)
    except FixtureError as exc:
        for path, problem in exc.problems:
            console.print(f"[red]fixture error[/red] {escape(str(path))}: {escape(problem)}")
        return EXIT_FIXTURES
    results = run_eval(loaded, predict or pipeline_predictor(backend, llm), scorers)
    console.print(_case_table(results, scorers))
    _print_interval(results, scorers, console)
    if details:
        _print_details(results, scorers, console)
    _print_findings(results, console)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(results.model_dump_json(indent=2) + "\n", encoding="utf-8")
    console.print(f"Results written to {escape(str(out))}")

    path = baseline or baseline_path(fixtures.parent, results.backend)
    regressed = False
    if path.is_file():
        comparison = compare(results, load_baseline(path), scorers=scorers)
        regressed = comparison.regressed
        if comparison.rows:
            console.print(_gate_table(comparison.rows, path))
        else:
            run = ", ".join(r.case for r in results.cases)
            console.print(
                f"No baseline for {escape(run)} in {escape(str(path))}: nothing was compared.",
                soft_wrap=True,
            )
        for note in comparison.notes:
            console.print(f"  note: {escape(note)}")
    elif not update_baseline:
        console.print(f"No baseline at {escape(str(path))}; --update-baseline creates it.")
    if update_baseline:
        save_baseline(path, results)
        console.print(f"Baseline written to {escape(str(path))}")
        return EXIT_OK
    grounding = results.overall.figure("grounding_rate")
    if grounding is not None and grounding < 1.0:
        # An ungrounded quote is a bug, never noise: no tolerance applies.
        console.print("[red]UNGROUNDED[/red]: some quotes are not exact spans of their article.")
        return EXIT_REGRESSION
    if regressed:
        console.print("[red]REGRESSION[/red]: a gated figure fell below the baseline.")
        return EXIT_REGRESSION
    return EXIT_OK


def _case_table(results: EvalResults, scorers: Sequence[Scorer[Any]]) -> Table:
    """The key figures per case: few enough columns to fit an 80-column terminal (the rest
    are in --details and the JSON)."""
    columns = [m for scorer in scorers for m in scorer.metrics if m.key]
    table = Table(
        title=f"Eval: {escape(results.backend)}",
        box=box.SIMPLE_HEAD,
        title_justify="left",
    )
    table.add_column("case", justify="left", overflow="fold")
    for metric in columns:
        table.add_column(escape(metric.column or metric.label), justify="right", overflow="fold")
    for result in results.cases:
        figures = case_figures(result, scorers)
        table.add_row(escape(result.case), *(m.format(figures.get(m.name)) for m in columns))
    o = results.overall
    table.add_section()
    table.add_row(
        f"overall ({o.cases})", *(m.format(o.figure(m.name)) for m in columns), style="bold"
    )
    return table


def _print_interval(results: EvalResults, scorers: Sequence[Scorer[Any]], console: Console) -> None:
    """The overall figures' bootstrap intervals, one line each, under the table."""
    o = results.overall
    for metric in (m for s in scorers for m in s.metrics if m.key):
        interval = o.intervals.get(metric.name)
        if interval is not None:
            console.print(
                f"Overall {escape(metric.label)} {metric.format(o.figure(metric.name))} "
                f"(bootstrap 95% interval over the {o.cases} cases: "
                f"{interval[0]:.2f}–{interval[1]:.2f}).",
                soft_wrap=False,
            )
    console.print("Every figure of every case: --details, and the JSON results.")


def _print_details(results: EvalResults, scorers: Sequence[Scorer[Any]], console: Console) -> None:
    """Every metric of every case, as wrapped lines that fit any width."""
    metrics = [m for s in scorers for m in s.metrics]
    console.print(Text("Every figure, per case", style="bold"))
    rows = [(r.case, case_figures(r, scorers), r) for r in results.cases]
    for name, figures, result in rows:
        parts = [f"{result.articles} articles", f"{result.claims} claims"]
        parts += [f"{m.label} {m.format(figures.get(m.name))}" for m in metrics]
        console.print(Text.assemble((name, "bold"), ": ", " · ".join(parts)))
    o = results.overall
    overall = " · ".join(f"{m.label} {m.format(o.figure(m.name))}" for m in metrics)
    console.print(Text.assemble((f"overall ({o.cases} cases)", "bold"), ": ", overall))


def _print_findings(results: EvalResults, console: Console) -> None:
    missed = results.missed()
    if missed:
        console.print(f"Missed required contradictions ({len(missed)}):")
        for case, m in missed:
            console.print(f"  {escape(case)}  {escape(m.id)}  ({m.type})  {escape(m.description)}")
    hits = results.trap_hits()
    if hits:
        console.print(f"Trap hits ({len(hits)}):")
        for case, h in hits:
            console.print(
                f"  {escape(case)}  {escape(h.trap_id)}  predicted {h.type}: {escape(h.summary)}"
            )
    lost = [(r.case, where) for r in results.cases for where in where_lost(r.scores)]
    if lost:
        console.print("Where the missed ones were lost:")
        for case, (gold_id, stage) in lost:
            console.print(f"  {escape(case)}  {escape(gold_id)}  {escape(stage)}")
    for r in results.cases:
        grounding = GROUNDING.get(r.scores)
        for line in grounding.ungrounded if grounding else []:
            console.print(f"[red]ungrounded[/red] {escape(r.case)}: {escape(line)} (a bug)")
        for line in r.input_errors:
            console.print(f"[yellow]input error[/yellow] {escape(r.case)}: {escape(line)}")


def _gate_table(rows: list[GateRow], path: Path) -> Table:
    table = Table(title=f"Baseline {escape(str(path))}", box=box.SIMPLE_HEAD, title_justify="left")
    for name in ("figure", "baseline", "now", "delta", "tolerance", "verdict"):
        table.add_column(name, justify="left" if name == "figure" else "right")
    for row in rows:
        verdict = "[red]REGRESSION[/red]" if row.regression else "ok"
        table.add_row(
            row.figure,
            f"{row.baseline:.3f}",
            f"{row.now:.3f}",
            f"{row.delta:+.3f}",
            f"{row.tolerance:.3f}",
            verdict,
        )
    return table
