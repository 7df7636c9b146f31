"""The regression gate: compare eval results with a committed baseline.

Gated figures (overall, micro-averaged) are the metrics marked `gated` in the eval's scorers:
contradiction F1, required-contradiction recall, grounding rate, extraction coverage,
candidate recall and judge accuracy. A gated figure more than the tolerance below its
baseline is a regression; one the baseline (or the run) does not measure is left out, with a
note saying so.

Tolerance: a deterministic backend (the registry says which: the offline one, or a mix of
deterministic ones) gives the same report for the same input, so any real change moves a
figure by at least one item in a few dozen, far above 0.005; 0.005 only absorbs float
rounding. LLM backends sample, and the same model on the same fixtures moves by a few points
from run to run, so they, and any mix with one, get 0.05.

Baseline files sit next to the fixtures folder: `evals/baseline.json` for the offline backend
and `evals/baseline-<backend-slug>.json` for any other (`baseline-llm-<model>.json`,
`baseline-offline-llm-<model>.json` for offline extraction with an LLM judge); the judge
stage's are `baseline-judge-<backend-slug>.json`. A baseline holds full results,
so when the run covers other cases than the baseline (`--cases`, or a fixture added), both
sides are re-aggregated over the cases they share before comparing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from agent.base import Strict
from agent.evals.runner import SCORERS, EvalResults, aggregate
from agent.evals.scoring import Metric, Scorer

OFFLINE_TOLERANCE = 0.005
LLM_TOLERANCE = 0.05


def gated_metrics(scorers: Sequence[Scorer[Any]] = SCORERS) -> list[Metric[Any]]:
    """The gated metrics of the scorers, in their order."""
    return [m for s in scorers for m in s.metrics if m.gated]


class GateRow(Strict):
    """One gated figure, then and now."""

    figure: str
    """What is compared."""
    baseline: float
    """The baseline's value."""
    now: float
    """This run's value."""
    tolerance: float
    """How far below the baseline it may fall."""

    @property
    def delta(self) -> float:
        return self.now - self.baseline

    @property
    def regression(self) -> bool:
        return self.now < self.baseline - self.tolerance


class Comparison(Strict):
    """The gate's verdict."""

    rows: list[GateRow]
    """One row per gated figure (empty when the runs share no case)."""
    notes: list[str]
    """What the reader should know: cases compared, backend mismatch."""

    @property
    def regressed(self) -> bool:
        return any(row.regression for row in self.rows)


def tolerance_for(deterministic: bool | None) -> float:
    """0.005 for a deterministic backend, 0.05 for one that samples (or is not known not
    to)."""
    return OFFLINE_TOLERANCE if deterministic else LLM_TOLERANCE


def model_slug(model: str) -> str:
    """A file-name-safe model name: "Qwen2.5:7B" -> "qwen2-5-7b"."""
    return re.sub(r"[^a-z0-9]+", "-", model.lower()).strip("-") or "model"


DEFAULT_BASELINE = "baseline.json"
"""The committed gate's file: the pipeline eval of the default backend (`offline`)."""


def baseline_path(evals_dir: Path, backend: str, stage: str = "pipeline") -> Path:
    """`baseline.json` for the pipeline eval of "offline", else `baseline-<slug>.json` with
    the backend's name as slug ("llm:Qwen2.5:7B" -> `baseline-llm-qwen2-5-7b.json`), prefixed
    `judge-` for the judge stage."""
    if stage == "pipeline" and backend == "offline":
        return evals_dir / DEFAULT_BASELINE
    prefix = "" if stage == "pipeline" else f"{stage}-"
    return evals_dir / f"baseline-{prefix}{model_slug(backend)}.json"


def load_baseline(path: Path) -> EvalResults:
    """Read a baseline file (the JSON of an earlier EvalResults)."""
    return EvalResults.model_validate_json(path.read_bytes())


def save_baseline(path: Path, results: EvalResults) -> None:
    """Write results as the new baseline (deliberately: `--update-baseline`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(results.model_dump_json(indent=2) + "\n", encoding="utf-8")


def compare(
    results: EvalResults,
    baseline: EvalResults,
    tolerance: float | None = None,
    scorers: Sequence[Scorer[Any]] = SCORERS,
) -> Comparison:
    """Gate `results` against `baseline`, over the cases both contain."""
    tol = tolerance_for(results.deterministic) if tolerance is None else tolerance
    notes: list[str] = []
    if baseline.backend != results.backend:
        notes.append(f"baseline backend is {baseline.backend!r}, this run {results.backend!r}")
    now = {c.case: c for c in results.cases}
    then = {c.case: c for c in baseline.cases}
    shared = sorted(now.keys() & then.keys())
    if not shared:
        notes.append("no case in common with the baseline: nothing compared")
        return Comparison(rows=[], notes=notes)
    if set(shared) != now.keys() or set(shared) != then.keys():
        only_now, only_then = sorted(now.keys() - then.keys()), sorted(then.keys() - now.keys())
        notes.append(f"compared over the {len(shared)} shared cases only")
        if only_now:
            notes.append(f"not in the baseline: {', '.join(only_now)}")
        if only_then:
            notes.append(f"in the baseline, not run: {', '.join(only_then)}")
    ours = aggregate([now[name] for name in shared], scorers)
    theirs = aggregate([then[name] for name in shared], scorers)
    rows: list[GateRow] = []
    for metric in gated_metrics(scorers):
        before, after = theirs.figure(metric.name), ours.figure(metric.name)
        if before is None or after is None:
            # Not measured on one side: a baseline older than the figure, or nothing to
            # measure (no trace, nothing labelled). Said, never silently passed.
            where = "the baseline" if before is None else "this run"
            notes.append(f"{metric.label}: not measured in {where}, not compared")
            continue
        rows.append(GateRow(figure=metric.label, baseline=before, now=after, tolerance=tol))
    return Comparison(rows=rows, notes=notes)
