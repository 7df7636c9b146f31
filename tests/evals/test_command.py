"""`eval_command` end to end on a tiny fixture with injected predictors (no pipeline)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from rich.console import Console

from agent.evals.command import eval_command
from agent.evals.fixtures import SCHEMA_COMMENT
from agent.evals.runner import Predictor
from tests.evals.helpers import contradiction, half, perfect, report, side, tiny_case, with_trace


def run(
    root: Path,
    predict: Predictor,
    update: bool = False,
    cases: list[str] | None = None,
    baseline: Path | None = None,
) -> tuple[int, str]:
    """Exit code and printed text of one eval of `root`/evals/fixtures."""
    out = io.StringIO()
    console = Console(file=out, width=250, color_system=None)
    code = eval_command(
        backend="offline",
        fixtures=root / "evals" / "fixtures",
        cases=cases,
        baseline=baseline,
        update_baseline=update,
        out=root / "out" / "eval.json",
        console=console,
        predict=predict,
    )
    return code, out.getvalue()


def test_first_run_then_baseline_then_regression(tmp_path: Path) -> None:
    tiny_case(tmp_path / "evals" / "fixtures", "tiny")
    code, text = run(tmp_path, perfect)
    assert code == 0
    assert "tiny" in text and "overall" in text and "No baseline at" in text
    data = json.loads((tmp_path / "out" / "eval.json").read_text())
    assert data["overall"]["figures"]["f1"] == 1.0 and data["cases"][0]["case"] == "tiny"

    code, text = run(tmp_path, perfect, update=True)
    assert code == 0 and "Baseline written to" in text
    baseline = tmp_path / "evals" / "baseline.json"  # next to fixtures/, named for "offline"
    assert json.loads(baseline.read_text())["backend"] == "offline"

    code, text = run(tmp_path, perfect)
    assert code == 0 and "REGRESSION" not in text and "contradiction F1" in text

    code, text = run(tmp_path, half)
    assert code == 1
    assert "REGRESSION" in text and "-0.500" in text
    assert "Missed required contradictions (1):" in text
    assert "tiny  scope-towns  (scope)  Only Northtown, or Southtown too." in text
    assert "Trap hits (1):" in text
    assert "tiny  firefighters-rounding  predicted number: A dispute." in text

    # Rewriting the baseline deliberately accepts the drop.
    assert run(tmp_path, half, update=True)[0] == 0
    assert run(tmp_path, half)[0] == 0


def test_explicit_baseline_and_case_selection(tmp_path: Path) -> None:
    fixtures = tmp_path / "evals" / "fixtures"
    tiny_case(fixtures, "one")
    tiny_case(fixtures, "two")
    chosen = tmp_path / "elsewhere.json"
    assert run(tmp_path, perfect, update=True, baseline=chosen)[0] == 0
    assert chosen.is_file() and not (tmp_path / "evals" / "baseline.json").exists()
    code, text = run(tmp_path, half, cases=["two"], baseline=chosen)
    assert code == 1 and "compared over the 1 shared cases only" in text
    assert "one" not in json.loads((tmp_path / "out" / "eval.json").read_text())["cases"][0]


def test_fixture_error_exits_two(tmp_path: Path) -> None:
    case = tiny_case(tmp_path / "evals" / "fixtures", "tiny")
    labels = case.path / "labels.yaml"
    labels.write_text(labels.read_text().replace("40 people were hurt", "41 people were hurt"))
    code, text = run(tmp_path, perfect)
    assert code == 2
    assert "fixture error" in text and "quote not found in alpha: '41 people were hurt'" in text
    assert not (tmp_path / "out").exists()
    assert labels.read_text().startswith(SCHEMA_COMMENT)


def test_ungrounded_quotes_and_markup_are_printed_verbatim(tmp_path: Path) -> None:
    case = tiny_case(tmp_path / "evals" / "fixtures", "tiny")
    bad = side(case, "alpha", "About 50 firefighters attended").model_copy(update={"start": 0})
    weird = contradiction("other", bad, side(case, "beta", "Some 48"), summary="[bold]x[/bold]")

    code, text = run(tmp_path, lambda _: report(case, [weird]))
    assert code == 1  # an ungrounded quote fails the gate outright
    assert "UNGROUNDED" in text
    assert "ungrounded tiny: contradiction" in text and "side 0 (a bug)" in text
    assert "predicted other: [bold]x[/bold]" in text


def test_stage_figures_are_printed_and_written(tmp_path: Path) -> None:
    tiny_case(tmp_path / "evals" / "fixtures", "tiny")
    code, text = run(tmp_path, lambda c: with_trace(half(c)))
    assert code == 0
    header = next(line for line in text.splitlines() if "case" in line and "F1" in line)
    assert [h.strip() for h in header.split("┃")[-4:-1]] == [
        "coverage",
        "cand. recall",
        "judge acc",
    ]
    # half() has no claims: the scope dispute it missed had no claim on either side.
    assert "Where the missed ones were lost:" in text
    assert "tiny  scope-towns  extraction: no claim on side 0 and 1" in text
    data = json.loads((tmp_path / "out" / "eval.json").read_text())
    figures = data["overall"]["figures"]
    assert (figures["extraction_coverage"], figures["candidate_recall"]) == (0.0, 0.0)
    assert data["cases"][0]["scores"]["candidates"]["unpaired"] == [
        "scope-towns",
        "injured-count",
    ]
