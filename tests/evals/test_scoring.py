"""The scorer framework: a new figure is one scorer, and the case result, the overall
figures, the table and the gate all follow from the list of scorers."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from agent.evals.baseline import compare, gated_metrics, save_baseline
from agent.evals.command import eval_command
from agent.evals.fixtures import Case
from agent.evals.runner import SCORERS, EvalResults, case_figures, run_eval
from agent.evals.scoring import Metric, Scorer, ScoreResult, micro, report_only, total
from agent.models import Report
from tests.evals.helpers import half, perfect, tiny_case


class QuoteLength(ScoreResult):
    """Invented for the test: how many claims quote more than three words."""

    claims: int
    """Claims in the report."""
    long: int
    """Claims whose quote has more than three words."""


def score_length(case: Case, report: Report) -> QuoteLength:
    return QuoteLength(
        claims=len(report.claims),
        long=sum(len(c.quote.split()) > 3 for c in report.claims),
    )


LENGTH: Scorer[QuoteLength] = Scorer(
    name="quote_length",
    result_type=QuoteLength,
    score=report_only(score_length),
    metrics=(
        Metric(
            "long_quotes",
            "long quotes",
            micro(lambda r: r.long, lambda r: r.claims),
            "long",
            gated=True,
            key=True,
        ),
        Metric("all_claims", "claims", total(lambda r: r.claims)),
    ),
)


def test_one_new_scorer_gives_its_figures_everywhere(tmp_path: Path) -> None:
    suite = (*SCORERS, LENGTH)
    cases = [tiny_case(tmp_path, "one"), tiny_case(tmp_path, "two")]
    results = run_eval(cases, lambda c: perfect(c) if c.name == "one" else half(c), suite)
    # The case result holds it by name; the overall figures micro-average it.
    assert LENGTH.of(results.cases[0].scores) == QuoteLength(claims=4, long=4)
    assert case_figures(results.cases[1], suite)["long_quotes"] is None  # half(): no claims
    assert results.overall.figure("long_quotes") == 1.0
    assert results.overall.figure("all_claims") == 4
    # It survives JSON as its own type.
    back = EvalResults.model_validate_json(results.model_dump_json())
    assert back == results and isinstance(back.cases[0].scores["quote_length"], QuoteLength)
    # The gate compares it, because its metric says gated.
    assert gated_metrics(suite)[-1].name == "long_quotes"
    rows = compare(results, results, scorers=suite).rows
    assert rows[-1].figure == "long quotes" and rows[-1].now == 1.0


def test_the_table_and_gate_of_eval_come_from_the_scorers(tmp_path: Path) -> None:
    suite = (*SCORERS, LENGTH)
    root = tmp_path / "evals" / "fixtures"
    tiny_case(root, "tiny")
    baseline = tmp_path / "evals" / "baseline.json"
    save_baseline(baseline, run_eval([tiny_case(tmp_path / "x", "tiny")], perfect, suite))
    out = io.StringIO()
    code = eval_command(
        backend="offline",
        fixtures=root,
        cases=None,
        baseline=None,
        update_baseline=False,
        out=tmp_path / "out.json",
        console=Console(file=out, width=250, color_system=None),
        predict=perfect,
        scorers=suite,
    )
    text = out.getvalue()
    assert code == 0
    header = next(line for line in text.splitlines() if "case" in line and "F1" in line)
    assert header.split()[-1] == "long"  # its column (a key figure), last, as listed
    assert "long quotes" in text  # and its gate row


def test_two_scorers_of_one_name_must_share_a_result_type() -> None:
    with pytest.raises(ValueError, match="two scorers named 'quote_length'"):
        Scorer(name="quote_length", result_type=ScoreResult, score=report_only(score_length))


def test_metric_formats() -> None:
    ratio_metric: Metric[QuoteLength] = Metric(
        "r", "r", micro(lambda r: r.long, lambda r: r.claims)
    )
    count: Metric[QuoteLength] = Metric("c", "c", total(lambda r: r.claims), digits=None)
    assert ratio_metric.format(0.25) == "0.25" and ratio_metric.format(None) == "—"
    assert count.format(7) == "7"


def test_a_metric_name_used_twice_is_an_error(tmp_path: Path) -> None:
    again: Scorer[QuoteLength] = Scorer(
        name="quote_length",
        result_type=QuoteLength,
        score=report_only(score_length),
        metrics=(Metric("f1", "shadows the contradiction F1", total(lambda r: r.claims)),),
    )
    with pytest.raises(ValueError, match="metric names used twice: f1"):
        run_eval([tiny_case(tmp_path)], perfect, (*SCORERS, again))
