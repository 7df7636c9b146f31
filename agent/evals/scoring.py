"""The scorer framework: a scorer scores one case, its metrics say how to sum it over cases.

A `Scorer` has a name (the key of its result in a case's `scores`), a score function
(case, report, trace) -> its result, and the `Metric`s it contributes. A metric's `compute`
takes the results of any number of cases and returns one figure, so the same function gives
a case's own figure (a list of one) and the overall figure (micro-averaged: counts summed over
the cases, then divided). Whether a figure is gated, and the column and format it has in the
eval table, are the metric's too; the runner, the table and the gate read them from the list
of scorers, so a new figure is one scorer (or one metric), nothing else.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import model_validator

from agent.base import Strict
from agent.models import Report

if TYPE_CHECKING:
    from agent.evals.fixtures import Case
    from agent.trace import PipelineTrace

Figure = int | float | None
"""One figure: a count, a ratio, or None when there is nothing to measure."""


class ScoreResult(Strict):
    """A scorer's result for one case: counts (and the items behind them)."""

    @model_validator(mode="before")
    @classmethod
    def _drop_computed(cls, data: Any) -> Any:
        # Figures derived from the counts are written to JSON for readers, and recomputed
        # (not trusted) when results are read back, e.g. from a baseline file.
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if k not in cls.model_computed_fields}
        return data


R = TypeVar("R", bound=ScoreResult)

ScoreFn = Callable[["Case", Report, "PipelineTrace | None"], R]
"""(case, report, trace) -> the result; the trace is None when the run kept none."""


# --- ratios -------------------------------------------------------------------------------


def ratio(hits: int, total: int) -> float | None:
    """hits / total, or None when there is nothing to measure."""
    return hits / total if total else None


def precision(matched: int, predicted: int, required: int) -> float:
    """Matched predictions / predictions (1 when nothing is predicted and nothing required,
    0 when nothing is predicted but something is)."""
    if predicted == 0:
        return 1.0 if required == 0 else 0.0
    return matched / predicted


def recall(found: int, required: int) -> float:
    """Required gold items found / required (1 when nothing is required)."""
    return found / required if required else 1.0


def f1(p: float, r: float) -> float:
    """The harmonic mean of precision and recall (0 when both are 0)."""
    return 2 * p * r / (p + r) if p + r else 0.0


def micro(
    numerator: Callable[[R], int], denominator: Callable[[R], int]
) -> Callable[[Sequence[R]], float | None]:
    """A micro-averaged ratio: both counts summed over the results, then divided (None when
    the summed denominator is 0)."""

    def compute(results: Sequence[R]) -> float | None:
        return ratio(sum(numerator(r) for r in results), sum(denominator(r) for r in results))

    return compute


def total(count: Callable[[R], int]) -> Callable[[Sequence[R]], int]:
    """A count summed over the results."""

    def compute(results: Sequence[R]) -> int:
        return sum(count(r) for r in results)

    return compute


BOOTSTRAP_RESAMPLES = 1000
BOOTSTRAP_SEED = 20261123


def bootstrap(
    compute: Callable[[Sequence[R]], float],
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
) -> Callable[[Sequence[R]], tuple[float, float] | None]:
    """A percentile 95% interval of `compute`, resampling cases with replacement; the fixed
    seed makes the same results always give the same interval. None with fewer than two
    cases: one case resampled is always itself."""

    def interval(results: Sequence[R]) -> tuple[float, float] | None:
        if len(results) < 2:
            return None
        rng = random.Random(seed)
        values = sorted(compute(rng.choices(results, k=len(results))) for _ in range(resamples))
        return _quantile(values, 0.025), _quantile(values, 0.975)

    return interval


def _quantile(ordered: Sequence[float], q: float) -> float:
    """Linear interpolation between the closest ranks (numpy's default method)."""
    pos = q * (len(ordered) - 1)
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


# --- metrics and scorers ------------------------------------------------------------------


@dataclass(frozen=True)
class Metric(Generic[R]):
    """One figure a scorer contributes."""

    name: str
    """Its key in the overall figures and in JSON ("candidate_recall")."""
    label: str
    """How people read it: the gate table's row ("candidate recall")."""
    compute: Callable[[Sequence[R]], Figure]
    """The figure over the given cases' results (one case: that case's figure)."""
    column: str | None = None
    """Its column header in the per-case table; None: only in the JSON."""
    digits: int | None = 2
    """Decimals shown; None for a count."""
    gated: bool = False
    """Compared with the baseline: falling more than the tolerance below it fails the eval."""
    interval: Callable[[Sequence[R]], tuple[float, float] | None] | None = None
    """An optional confidence interval over cases, shown beside the overall figure."""
    key: bool = False
    """One of the key figures: a column of the terminal's eval table (which fits the
    terminal); the other columns are shown with --details, and every figure is in the JSON."""

    def format(self, value: Figure) -> str:
        """The figure as the table shows it ("—" when there is nothing to measure)."""
        if value is None:
            return "—"
        if self.digits is None:
            return str(int(value))
        return f"{value:.{self.digits}f}"


_RESULT_TYPES: dict[str, type[ScoreResult]] = {}
"""Scorer name -> its result type, so results read back from JSON get their own type."""


@dataclass(frozen=True)
class Scorer(Generic[R]):
    """A name, a score function and the metrics it contributes."""

    name: str
    """The key of its result in a case's scores ("contradictions")."""
    result_type: type[R]
    """The model of its result."""
    score: ScoreFn[R]
    """Scores one case."""
    metrics: tuple[Metric[R], ...] = field(default=())
    """The figures it contributes, in table order."""

    def __post_init__(self) -> None:
        known = _RESULT_TYPES.setdefault(self.name, self.result_type)
        if known is not self.result_type:
            raise ValueError(f"two scorers named {self.name!r} with different result types")

    def of(self, scores: Mapping[str, ScoreResult]) -> R:
        """This scorer's result among one case's scores."""
        result = scores[self.name]
        if not isinstance(result, self.result_type):
            raise TypeError(f"score {self.name!r} is a {type(result).__name__}")
        return result

    def get(self, scores: Mapping[str, ScoreResult]) -> R | None:
        """This scorer's result among one case's scores, None when it was not run."""
        return self.of(scores) if self.name in scores else None

    def figures(self, results: Sequence[R]) -> dict[str, Figure]:
        """Every metric of this scorer over the given results."""
        return {m.name: m.compute(results) for m in self.metrics}


def result_type(name: str) -> type[ScoreResult]:
    """The result type of the scorer called `name`; KeyError for an unknown name."""
    return _RESULT_TYPES[name]


def report_only(fn: Callable[[Case, Report], R]) -> ScoreFn[R]:
    """A score function for a scorer that needs only the report, not the trace."""

    def score(case: Case, report: Report, trace: PipelineTrace | None) -> R:
        return fn(case, report)

    return score
