"""`eval_command` end to end on a tiny fixture with injected predictors (no pipeline)."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from agent.evals.command import eval_command
from agent.evals.fixtures import SCHEMA_COMMENT, Case
from agent.evals.runner import Predictor
from agent.models import Report
from agent.paths import packaged_evals
from tests.conftest import REPO
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
    assert [h.strip() for h in header.split("  ") if h.strip()][-3:] == [
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


# --- a table that fits, details, a case without a baseline, packaged cases (issue 14) ---------


def render_eval(root: Path, width: int, **kwargs: Any) -> tuple[int, str]:
    out = io.StringIO()
    code = eval_command(
        backend="offline",
        fixtures=root / "evals" / "fixtures",
        cases=None,
        baseline=None,
        update_baseline=False,
        out=root / "out" / "eval.json",
        console=Console(file=out, width=width, color_system=None),
        predict=lambda c: with_trace(half(c)),
        **kwargs,
    )
    return code, out.getvalue()


KEY_COLUMNS = ["case", "P", "R", "F1", "coverage", "cand. recall", "judge acc"]


@pytest.mark.parametrize("width", [80, 120])
def test_the_table_fits_the_terminal_with_its_key_columns_on_one_line(
    tmp_path: Path, width: int
) -> None:
    for name in ("minister-reversal-long-name", "tiny"):
        tiny_case(tmp_path / "evals" / "fixtures", name)
    code, text = render_eval(tmp_path, width)
    assert code == 0
    lines = text.splitlines()
    assert [line for line in lines if len(line) > width] == []
    [header] = [line for line in lines if line.split()[:1] == ["case"]]
    assert [h.strip() for h in header.split("  ") if h.strip()] == KEY_COLUMNS
    assert any(line.split()[:1] == ["minister-reversal-long-name"] for line in lines)
    flat = " ".join(text.split())
    assert "Overall contradiction F1 0.50 (bootstrap 95% interval over the 2 cases: " in flat


def test_details_show_every_figure_of_every_case_within_the_width(tmp_path: Path) -> None:
    tiny_case(tmp_path / "evals" / "fixtures", "tiny")
    code, text = render_eval(tmp_path, 80, details=True)
    assert code == 0
    assert [line for line in text.splitlines() if len(line) > 80] == []
    flat = " ".join(text.split())
    for label in ("trap hits", "type accuracy", "key-claim recall", "grounding rate",
                  "candidate pairs", "judge accuracy"):  # fmt: skip
        assert f"{label} " in flat, label
    assert "tiny: 2 articles" in flat and "overall (1 cases):" in flat


def test_a_case_without_a_baseline_says_so(tmp_path: Path) -> None:
    fixtures = tmp_path / "evals" / "fixtures"
    tiny_case(fixtures, "one")
    assert run(tmp_path, perfect, update=True, cases=["one"])[0] == 0
    tiny_case(fixtures, "two")
    code, text = run(tmp_path, perfect, cases=["two"])
    assert code == 0
    baseline = tmp_path / "evals" / "baseline.json"
    assert f"No baseline for two in {baseline}: nothing was compared." in text
    assert "tolerance" not in text  # no empty gate table


def test_the_default_cases_are_this_folders_else_the_packaged_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def empty(case: Case) -> Report:
        return Report(backend="offline")

    def eval_here(update: bool = False) -> tuple[int, str]:
        out = io.StringIO()
        code = eval_command(
            "offline", None, ["seeds"], None, update, tmp_path / "eval.json",
            Console(file=out, width=200, color_system=None), predict=empty,
        )  # fmt: skip
        return code, out.getvalue()

    monkeypatch.chdir(tmp_path)
    code, text = eval_here()
    assert code == 1  # an empty report falls below the shipped baseline
    assert f"Eval cases: {packaged_evals() / 'fixtures'} (the copy shipped with reconcile)" in text
    assert "seeds" in text
    (tmp_path / "eval.json").unlink()
    refused, text = eval_here(update=True)
    assert refused == 2 and "pass --baseline FILE" in text
    assert not (tmp_path / "eval.json").exists()

    tiny_case(tmp_path / "evals" / "fixtures", "seeds")  # a project of one's own
    code, text = eval_here()
    assert "Eval cases: evals/fixtures (this folder's evals/)" in text


@pytest.mark.parametrize("width", [80, 120])
def test_cli_eval_fits_the_terminal(tmp_path: Path, width: int) -> None:
    """`reconcile eval` sizes its table to COLUMNS (it was 200 wide whatever the terminal)."""
    tiny_case(tmp_path / "evals" / "fixtures", "tiny")
    result = subprocess.run(
        [sys.executable, "-m", "agent", "eval", "--out", str(tmp_path / "eval.json")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "COLUMNS": str(width)},
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line for line in lines if len(line) > width] == []
    [header] = [line for line in lines if line.split()[:1] == ["case"]]
    assert [h.strip() for h in header.split("  ") if h.strip()] == KEY_COLUMNS


@pytest.mark.slow
def test_an_installed_wheel_runs_eval_in_an_empty_folder(tmp_path: Path) -> None:
    """SLOW (about 20 s): builds the wheel, installs it in a fresh venv in a temp folder and
    runs `reconcile eval --case seeds` in an empty folder, away from the checkout.

    The wheel is installed with --no-deps; its dependencies (spaCy and the rest, already
    installed for the tests) are made importable through a .pth file naming this venv's
    site-packages, so nothing is downloaded. Only the wheel's own `agent` package is on the
    path: a .pth file in a folder it names is not read, so the checkout's editable install
    is not.
    """
    wheels, venv, empty = tmp_path / "wheels", tmp_path / "venv", tmp_path / "empty"
    empty.mkdir()
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(wheels), str(REPO)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    [wheel] = wheels.glob("reconcile-*.whl")
    # Test helpers (the fake OpenAI server, the synthetic corpus) are not installed.
    names = zipfile.ZipFile(wheel).namelist()
    assert not [n for n in names if n.startswith("tests/") or "fake_openai" in n or "corpus" in n]
    assert "agent/eval_suite/fixtures/seeds/labels.yaml" in names
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
         "--no-index", "-q", str(wheel)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    ours = next(p for p in sys.path if p.endswith("site-packages") and Path(p).is_dir())
    (Path(site) / "_test_dependencies.pth").write_text(ours + "\n")
    where = subprocess.run(
        [str(python), "-c", "import agent; print(agent.__file__)"],
        cwd=empty, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    assert where.startswith(site), where  # the wheel's code, not the checkout's
    result = subprocess.run(
        [str(venv / "bin" / "reconcile"), "eval", "--case", "seeds"],
        cwd=empty,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "COLUMNS": "100"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "fixture error" not in result.stdout
    assert "(the copy shipped with reconcile)" in result.stdout
    assert re.search(r"^\s*seeds\s+\d\.\d\d", result.stdout, re.MULTILINE), result.stdout
    assert "Baseline " in result.stdout and "REGRESSION" not in result.stdout
    assert sorted(p.name for p in empty.rglob("*")) == ["eval.json", "reconcile-out"]
