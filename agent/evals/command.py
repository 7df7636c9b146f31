"""`reconcile eval`: run the suite, print the figures, write the results, apply the gate.

Exit codes: 0 no regression (or no baseline yet, or the baseline was rewritten), 1 a gated
figure regressed beyond the tolerance or a quote is ungrounded, 2 the fixtures are invalid.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from agent.backends.base import BackendError
from agent.backends.llm.config import LLMConfig
from agent.backends.registry import Settings, resolve, stage_entries
from agent.evals import judge_stage
from agent.evals.baseline import GateRow, baseline_path, compare, load_baseline, save_baseline
from agent.evals.fixtures import FixtureError, load_cases
from agent.evals.runner import (
    JUDGE_STAGE_SCORERS,
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
    scorers: Sequence[Scorer[Any]] | None = None,
    details: bool = False,
    extract: str | None = None,
    judge: str | None = None,
    stage: Literal["pipeline", "judge"] = "pipeline",
) -> int:
    """Run the eval and return the exit code.

    `fixtures` None means ./evals/fixtures when it exists, else the cases shipped with
    reconcile (the output says which). `baseline` None means the default file for the
    report's backend and the stage, next to `fixtures` (see agent.evals.baseline). `predict`
    replaces the pipeline (tests inject reports); `scorers` decide the figures, the table's
    columns and what the gate compares (default: the stage's); `details` prints every figure
    of every case too. `extract` and `judge` override `backend` for one stage; the judge
    stage (`stage="judge"`) sends the labelled pairs to the judge alone
    (agent/evals/judge_stage.py). An unknown backend, or an LLM one with no endpoint, is a
    usage error (exit 2, one line).
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
    settings = Settings(llm=llm)
    try:
        if stage == "judge":
            entries = [resolve(judge or backend, settings)]
        else:
            entries = list(stage_entries(backend, extract, judge, settings))
        deterministic = all(e.deterministic for e in entries)
        if stage == "judge":
            chosen = scorers or JUDGE_STAGE_SCORERS
            predictor = predict or judge_stage.judge_predictor(backend, llm, judge)
        else:
            chosen = scorers or SCORERS
            predictor = predict or pipeline_predictor(backend, llm, extract, judge)
        results = run_eval(loaded, predictor, chosen, deterministic=deterministic, stage=stage)
    except BackendError as exc:
        console.print(f"[red]error[/red]: {escape(str(exc))}")
        return EXIT_FIXTURES
    console.print(_case_table(results, chosen))
    _print_interval(results, chosen, console)
    if details:
        _print_details(results, chosen, console)
    _print_findings(results, console)
    if stage == "judge":
        _print_judge_stage(results, console)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(results.model_dump_json(indent=2) + "\n", encoding="utf-8")
    console.print(f"Results written to {escape(str(out))}")

    path = baseline or baseline_path(fixtures.parent, results.backend, results.stage)
    regressed = False
    if path.is_file():
        comparison = compare(results, load_baseline(path), scorers=chosen)
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


def _print_judge_stage(results: EvalResults, console: Console) -> None:
    """Per-class figures in words, the pairs judged wrong, and the warning when the judge
    called most traps contradictions."""
    scores = [s for c in results.cases if (s := judge_stage.JUDGE_STAGE.get(c.scores))]
    if not scores:
        return
    o = results.overall

    def figure(name: str, right: int, sent: int) -> str:
        value = o.figure(name)
        shown = "—" if value is None else f"{value:.2f}"
        return f"{shown} ({right} of {sent})"

    con = sum(s.contradictions for s in scores)
    traps = sum(s.traps for s in scores)
    agreements = sum(s.agreements for s in scores)
    right_con = sum(s.contradictions_right for s in scores)
    console.print(
        "Judge alone on the labelled pairs: contradictions judged contradict "
        + figure("stage_contradiction_accuracy", right_con, con)
        + "; traps judged not contradict "
        + figure("stage_trap_accuracy", sum(s.traps_right for s in scores), traps)
        + "; agreements judged agree "
        + figure("stage_agreement_accuracy", sum(s.agreements_right for s in scores), agreements)
        + "; type right "
        + figure("stage_type_accuracy", sum(s.typed_right for s in scores), right_con)
        + f"; {sum(s.calls for s in scores)} calls in {sum(s.seconds for s in scores):.1f} s.",
        highlight=False,
        soft_wrap=True,
    )
    wrong: list[tuple[str, judge_stage.JudgedLabel]] = []
    for case in results.cases:
        found = judge_stage.JUDGE_STAGE.get(case.scores)
        for v in found.verdicts if found else []:
            if not v.right:
                wrong.append((case.case, v))
    if wrong:
        console.print(f"Judged wrong ({len(wrong)}):")
        for case_name, v in wrong:
            console.print(
                f"  {escape(case_name)}  {escape(v.id)}  ({v.kind}) expected {v.expected}, "
                f"got {escape(v.verdict)}",
                highlight=False,
                soft_wrap=True,
            )
    warning = judge_stage.untrustworthy(scores)
    if warning:
        console.print(f"[red]NOT TRUSTWORTHY[/red]: {escape(warning)}", soft_wrap=True)


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
