"""Running the eval: predict each case, score it, and sum the figures over all cases.

Aggregates are micro-averaged: counts are summed over the cases and the ratios taken once,
so a case with many labels weighs more than a small one. The F1 confidence interval is a
percentile bootstrap over cases (the unit a new fixture adds), with a fixed seed so the same
results always give the same interval.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from agent.base import Strict
from agent.evals.fixtures import Case
from agent.evals.scorers import (
    AgreementScore,
    ContradictionScore,
    GroundingScore,
    KeyClaimScore,
    MissedContradiction,
    TrapHit,
    f1,
    precision,
    ratio,
    recall,
    score_agreements,
    score_contradictions,
    score_grounding,
    score_key_claims,
)
from agent.models import Report

Predictor = Callable[[Case], Report]
"""Produces the report for one case (the pipeline, or a hand-made report in tests)."""

BOOTSTRAP_RESAMPLES = 1000
BOOTSTRAP_SEED = 20261123


class CaseResult(Strict):
    """Every figure for one case."""

    case: str
    """The case name."""
    backend: str
    """The backend that produced the report ("offline", "llm:<model>")."""
    articles: int
    """Articles in the report."""
    claims: int
    """Claims the report extracted."""
    input_errors: list[str]
    """The report's input errors, one line each (a failed article skews every figure)."""
    contradictions: ContradictionScore
    """Contradiction precision, recall, type accuracy, misses and trap hits."""
    key_claims: KeyClaimScore
    """Key-claim recall and attribution accuracy."""
    grounding: GroundingScore
    """Whether every quote is the text at its offsets."""
    agreements: AgreementScore
    """Agreement recall."""


class Overall(Strict):
    """Figures over all cases, micro-averaged (counts summed, then divided)."""

    cases: int
    """Cases scored."""
    predicted: int
    """Predicted contradictions."""
    matched: int
    """Predictions matching a gold contradiction."""
    required: int
    """Required gold contradictions."""
    required_found: int
    """Required gold contradictions found."""
    precision: float
    """Contradiction precision."""
    recall: float
    """Required-contradiction recall."""
    f1: float
    """Contradiction F1."""
    f1_ci: tuple[float, float] | None
    """Bootstrap 95% interval of F1 over cases; None with fewer than two cases."""
    type_accuracy: float | None
    """Matched predictions with the right type / matched predictions."""
    key_claim_recall: float | None
    """Key claims found / key claims."""
    attribution_accuracy: float | None
    """Found key claims with a matching claimant / found key claims."""
    grounding_rate: float
    """Grounded quotes / quotes checked; below 1.0 is a bug."""
    agreement_recall: float | None
    """Gold agreements found / gold agreements."""
    trap_hits: int
    """(trap, prediction) pairs where a prediction covered a trap."""


class EvalResults(Strict):
    """The whole eval: per-case results and the overall figures (written as JSON)."""

    backend: str
    """The backend evaluated."""
    cases: list[CaseResult]
    """Per-case results, by case name."""
    overall: Overall
    """Figures over all cases."""

    def missed(self) -> list[tuple[str, MissedContradiction]]:
        """(case, miss) for every required contradiction not found."""
        return [(c.case, m) for c in self.cases for m in c.contradictions.missed]

    def trap_hits(self) -> list[tuple[str, TrapHit]]:
        """(case, hit) for every trap a prediction fell into."""
        return [(c.case, h) for c in self.cases for h in c.contradictions.trap_hits]


def score_case(case: Case, report: Report) -> CaseResult:
    """All scorers on one case's report."""
    return CaseResult(
        case=case.name,
        backend=report.backend,
        articles=len(report.articles),
        claims=len(report.claims),
        input_errors=[f"{e.path}: {e.error}" for e in report.errors],
        contradictions=score_contradictions(case, report),
        key_claims=score_key_claims(case, report),
        grounding=score_grounding(case, report),
        agreements=score_agreements(case, report),
    )


def run_eval(cases: Sequence[Case], predict: Predictor) -> EvalResults:
    """Predict and score every case; raises ValueError on no cases or mixed backends."""
    if not cases:
        raise ValueError("no cases to evaluate")
    results = [score_case(case, predict(case)) for case in cases]
    backends = sorted({r.backend for r in results})
    if len(backends) != 1:
        raise ValueError(f"the cases were run on different backends: {', '.join(backends)}")
    return EvalResults(backend=backends[0], cases=results, overall=aggregate(results))


def micro_f1(scores: Sequence[ContradictionScore]) -> float:
    """Contradiction F1 from counts summed over cases."""
    predicted = sum(s.predicted for s in scores)
    required = sum(s.required for s in scores)
    p = precision(sum(s.matched for s in scores), predicted, required)
    return f1(p, recall(sum(s.required_found for s in scores), required))


def bootstrap_ci(
    scores: Sequence[ContradictionScore],
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
) -> tuple[float, float] | None:
    """Percentile 95% interval of micro F1, resampling cases with replacement.

    None with fewer than two cases: one case resampled is always itself.
    """
    if len(scores) < 2:
        return None
    rng = random.Random(seed)
    values = sorted(micro_f1(rng.choices(scores, k=len(scores))) for _ in range(resamples))
    return _quantile(values, 0.025), _quantile(values, 0.975)


def _quantile(ordered: Sequence[float], q: float) -> float:
    """Linear interpolation between the closest ranks (numpy's default method)."""
    pos = q * (len(ordered) - 1)
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def aggregate(results: Sequence[CaseResult]) -> Overall:
    """Micro-averaged figures over the given case results."""
    con = [r.contradictions for r in results]
    keys = [r.key_claims for r in results]
    ground = [r.grounding for r in results]
    agree = [r.agreements for r in results]
    predicted, matched = sum(s.predicted for s in con), sum(s.matched for s in con)
    required, found = sum(s.required for s in con), sum(s.required_found for s in con)
    p, r = precision(matched, predicted, required), recall(found, required)
    checked = sum(g.checked for g in ground)
    key_found = sum(k.found for k in keys)
    return Overall(
        cases=len(results),
        predicted=predicted,
        matched=matched,
        required=required,
        required_found=found,
        precision=p,
        recall=r,
        f1=f1(p, r),
        f1_ci=bootstrap_ci(con),
        type_accuracy=ratio(sum(s.typed_right for s in con), matched),
        key_claim_recall=ratio(key_found, sum(k.key_claims for k in keys)),
        attribution_accuracy=ratio(sum(k.attributed for k in keys), key_found),
        grounding_rate=sum(g.grounded for g in ground) / checked if checked else 1.0,
        agreement_recall=ratio(sum(a.found for a in agree), sum(a.gold for a in agree)),
        trap_hits=sum(len(s.trap_hits) for s in con),
    )


if TYPE_CHECKING:
    from agent.backends.llm.config import LLMConfig


def pipeline_predictor(backend: str, llm: LLMConfig | None = None) -> Predictor:
    """A predictor that runs the real pipeline on a case's article files (not labels.yaml);
    `llm` configures the LLM backend (None: from the environment)."""

    def predict(case: Case) -> Report:
        # Imported here so the eval code loads even when the pipeline cannot (mid-edit, or
        # a backend's dependencies missing) and tests never pay for spaCy.
        from agent.pipeline import run_pipeline

        paths = [case.article_paths[aid] for aid in sorted(case.article_paths)]
        return run_pipeline(paths, backend=backend, llm=llm)

    return predict
