"""`reconcile eval`: run the suite, print the figures, write the results, apply the gate.

Exit codes: 0 no regression (or no baseline yet, or the baseline was rewritten), 1 a gated
figure regressed beyond the tolerance or a quote is ungrounded, 2 the fixtures are invalid.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from agent.backends.llm.config import LLMConfig
from agent.evals.baseline import GateRow, baseline_path, compare, load_baseline, save_baseline
from agent.evals.fixtures import FixtureError, load_cases
from agent.evals.runner import CaseResult, EvalResults, Predictor, pipeline_predictor, run_eval

EXIT_OK, EXIT_REGRESSION, EXIT_FIXTURES = 0, 1, 2


def eval_command(
    backend: str,
    fixtures: Path,
    cases: list[str] | None,
    baseline: Path | None,
    update_baseline: bool,
    out: Path,
    console: Console,
    predict: Predictor | None = None,
    llm: LLMConfig | None = None,
) -> int:
    """Run the eval and return the exit code.

    `baseline` None means the default file for the report's backend, next to `fixtures`
    (see agent.evals.baseline). `predict` replaces the pipeline (tests inject reports).
    """
    try:
        loaded = load_cases(fixtures, cases)
    except FixtureError as exc:
        for path, problem in exc.problems:
            console.print(f"[red]fixture error[/red] {escape(str(path))}: {escape(problem)}")
        return EXIT_FIXTURES
    results = run_eval(loaded, predict or pipeline_predictor(backend, llm))
    console.print(_case_table(results))
    _print_findings(results, console)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(results.model_dump_json(indent=2) + "\n", encoding="utf-8")
    console.print(f"Results written to {escape(str(out))}")

    path = baseline or baseline_path(fixtures.parent, results.backend)
    regressed = False
    if path.is_file():
        comparison = compare(results, load_baseline(path))
        regressed = comparison.regressed
        console.print(_gate_table(comparison.rows, path))
        for note in comparison.notes:
            console.print(f"  note: {escape(note)}")
    elif not update_baseline:
        console.print(f"No baseline at {escape(str(path))}; --update-baseline creates it.")
    if update_baseline:
        save_baseline(path, results)
        console.print(f"Baseline written to {escape(str(path))}")
        return EXIT_OK
    if results.overall.grounding_rate < 1.0:
        # An ungrounded quote is a bug, never noise: no tolerance applies.
        console.print("[red]UNGROUNDED[/red]: some quotes are not exact spans of their article.")
        return EXIT_REGRESSION
    if regressed:
        console.print("[red]REGRESSION[/red]: a gated figure fell below the baseline.")
        return EXIT_REGRESSION
    return EXIT_OK


def _fmt(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


_COLUMNS = (
    "case",
    "articles",
    "claims",
    "predicted",
    "TP",
    "FP",
    "FN",
    "P",
    "R",
    "F1",
    "type acc",
    "key-claim recall",
    "attrib acc",
    "grounding",
    "agreement recall",
    "trap hits",
)


def _row(r: CaseResult) -> list[str]:
    c = r.contradictions
    return [
        escape(r.case),
        str(r.articles),
        str(r.claims),
        str(c.predicted),
        str(c.matched),
        str(c.false_positives),
        str(len(c.missed)),
        _fmt(c.precision),
        _fmt(c.recall),
        _fmt(c.f1),
        _fmt(c.type_accuracy),
        _fmt(r.key_claims.recall),
        _fmt(r.key_claims.attribution_accuracy),
        _fmt(r.grounding.rate, 3),
        _fmt(r.agreements.recall),
        str(len(c.trap_hits)),
    ]


def _case_table(results: EvalResults) -> Table:
    table = Table(title=f"Eval: {escape(results.backend)}", show_footer=False)
    for n, name in enumerate(_COLUMNS):
        table.add_column(name, justify="left" if n == 0 else "right", overflow="fold")
    for result in results.cases:
        table.add_row(*_row(result))
    o = results.overall
    ci = f" [{o.f1_ci[0]:.2f}–{o.f1_ci[1]:.2f}]" if o.f1_ci else ""
    table.add_section()
    table.add_row(
        "overall",
        str(sum(r.articles for r in results.cases)),
        str(sum(r.claims for r in results.cases)),
        str(o.predicted),
        str(o.matched),
        str(o.predicted - o.matched),
        str(o.required - o.required_found),
        _fmt(o.precision),
        _fmt(o.recall),
        escape(_fmt(o.f1) + ci),
        _fmt(o.type_accuracy),
        _fmt(o.key_claim_recall),
        _fmt(o.attribution_accuracy),
        _fmt(o.grounding_rate, 3),
        _fmt(o.agreement_recall),
        str(o.trap_hits),
        style="bold",
    )
    if o.f1_ci:
        table.caption = "Overall F1 with its bootstrap 95% interval over cases."
    return table


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
    for r in results.cases:
        for line in r.grounding.ungrounded:
            console.print(f"[red]ungrounded[/red] {escape(r.case)}: {escape(line)} (a bug)")
        for line in r.input_errors:
            console.print(f"[yellow]input error[/yellow] {escape(r.case)}: {escape(line)}")


def _gate_table(rows: list[GateRow], path: Path) -> Table:
    table = Table(title=f"Baseline {escape(str(path))}")
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
