"""Per-stage scorers: where a required contradiction is lost on its way to the report.

Each looks at one stage of the pipeline through the labels of the required contradictions
(and, for the judge, the traps), so a miss can be put down to extraction, pairing or judging:

- **extraction coverage**: sides of required contradictions covered by an extracted claim
  with the right claimant. A side is covered when some claim lands on one of its spans (the
  rule of agent.evals.scorers.lands) and that claim's claimant matches the span's labelled
  claimant (a span without a claimant label is covered by any claim landing on it).
- **candidate recall**: required contradictions whose two sides became a candidate pair: the
  two claims of some pair land on the two different sides.
- **judge accuracy**: of the required contradictions and traps that reached the judge (some
  candidate pair landing on both sides), how many were judged right. A contradiction is right
  when some such pair was judged `contradict` (its type is counted apart); a trap is right
  when no such pair was judged `contradict`, a pair that also covers a gold contradiction
  excepted (the contradiction scorer does not call that a trap hit either).

Candidate recall and judge accuracy need the run's trace (agent.trace); without one their
counts are 0 and their figures None.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from pydantic import computed_field

from agent.evals.fixtures import Case, Location, Span
from agent.evals.scorers import CONTRADICTIONS, claimant_matches, covers_two, gold_sides, lands
from agent.evals.scoring import Metric, Scorer, ScoreResult, micro, ratio, total
from agent.models import Claim, Judgement, Report
from agent.trace import PipelineTrace

# --- extraction ---------------------------------------------------------------------------


class UncoveredSide(ScoreResult):
    """A side of a required contradiction that no claim with the right claimant covers."""

    id: str
    """The gold contradiction's id."""
    side: int
    """Which side (0 or 1)."""
    expected: list[str]
    """The labelled claimants of the side's spans."""
    got: list[str]
    """Claimants of the claims that landed on it (empty: no claim landed at all)."""


class CoverageScore(ScoreResult):
    """Extraction coverage of the required contradictions' sides for one case."""

    sides: int
    """Sides of required contradictions (two each)."""
    landed: int
    """Sides some extracted claim lands on, whoever it credits."""
    covered: int
    """Sides some landing claim covers with the labelled claimant."""
    uncovered: list[UncoveredSide]
    """The sides not covered."""

    @computed_field  # type: ignore[prop-decorator]
    @property
    def coverage(self) -> float | None:
        return ratio(self.covered, self.sides)


def _span_covered(case: Case, claims: Sequence[Claim], span: Span) -> tuple[bool, list[str]]:
    """(covered with the right claimant, claimants of the claims landing on the span)."""
    where = [case.locate(span)]
    landing = [c for c in claims if lands(case, c, where)]
    right = any(
        span.claimant is None or claimant_matches(c.claimant, span.claimant, span.aliases)
        for c in landing
    )
    return bool(landing) and right, [c.claimant for c in landing]


def score_coverage(case: Case, report: Report, trace: PipelineTrace | None) -> CoverageScore:
    """Extraction coverage (needs only the report's claims)."""
    sides = landed = covered = 0
    uncovered: list[UncoveredSide] = []
    for label in case.labels.contradictions:
        if not label.required:
            continue
        for n, side in enumerate(label.sides):
            sides += 1
            results = [_span_covered(case, report.claims, span) for span in side]
            got = sorted({name for _, names in results for name in names})
            landed += bool(got)
            if any(ok for ok, _ in results):
                covered += 1
                continue
            expected = [s.claimant for s in side if s.claimant is not None]
            uncovered.append(UncoveredSide(id=label.id, side=n, expected=expected, got=got))
    return CoverageScore(sides=sides, landed=landed, covered=covered, uncovered=uncovered)


# --- pairing ------------------------------------------------------------------------------


class CandidateScore(ScoreResult):
    """Candidate recall of the required contradictions for one case."""

    traced: bool
    """Whether the run kept a trace (without one nothing here is measured)."""
    pairs: int
    """Candidate pairs the run proposed."""
    contradictions: int
    """Required gold contradictions (0 without a trace)."""
    paired: int
    """Those whose two sides some candidate pair's two claims land on."""
    unpaired: list[str]
    """Ids of the required contradictions no pair reached."""

    @computed_field  # type: ignore[prop-decorator]
    @property
    def recall(self) -> float | None:
        return ratio(self.paired, self.contradictions)


def _reaching(
    case: Case, pairs: Sequence[tuple[Claim, Claim]], sides: Sequence[Sequence[Location]]
) -> list[tuple[Claim, Claim]]:
    """The pairs whose two claims land on two different sides."""
    return [(a, b) for a, b in pairs if covers_two(case, [a, b], sides)]


def _pairs(report: Report, trace: PipelineTrace) -> list[tuple[Claim, Claim]]:
    """The trace's pairs as claims (a pair whose claim the report lacks is left out)."""
    by_id = {c.id: c for c in report.claims}
    return [(by_id[p.a], by_id[p.b]) for p in trace.pairs if p.a in by_id and p.b in by_id]


def score_candidates(case: Case, report: Report, trace: PipelineTrace | None) -> CandidateScore:
    """Candidate recall (needs the trace)."""
    if trace is None:
        return CandidateScore(traced=False, pairs=0, contradictions=0, paired=0, unpaired=[])
    pairs = _pairs(report, trace)
    required = [c for c in case.labels.contradictions if c.required]
    unpaired = [c.id for c in required if not _reaching(case, pairs, gold_sides(case, c.sides))]
    return CandidateScore(
        traced=True,
        pairs=len(trace.pairs),
        contradictions=len(required),
        paired=len(required) - len(unpaired),
        unpaired=unpaired,
    )


# --- judging ------------------------------------------------------------------------------


class Misjudged(ScoreResult):
    """A labelled item that reached the judge and was judged wrong."""

    id: str
    """The gold contradiction's or trap's id."""
    kind: Literal["contradiction", "trap"]
    """Which it is."""
    verdicts: list[str]
    """The judge's verdicts on the pairs that reached it ("unrelated", "contradict:number")."""


class JudgeScore(ScoreResult):
    """Judge accuracy on the required contradictions and traps that reached it, one case."""

    traced: bool
    """Whether the run kept a trace (without one nothing here is measured)."""
    contradictions_reached: int
    """Required gold contradictions some candidate pair reached."""
    contradictions_right: int
    """Of those, judged `contradict` on some reaching pair."""
    typed_right: int
    """Of those, with the labelled type on some pair judged `contradict`."""
    traps_reached: int
    """Traps some candidate pair reached."""
    traps_right: int
    """Of those, never judged `contradict` (pairs covering a gold contradiction aside)."""
    misjudged: list[Misjudged]
    """The reached items judged wrong."""

    @computed_field  # type: ignore[prop-decorator]
    @property
    def accuracy(self) -> float | None:
        return ratio(
            self.contradictions_right + self.traps_right,
            self.contradictions_reached + self.traps_reached,
        )


def verdict_text(j: Judgement | None) -> str:
    """A verdict as the eval prints it ("contradict:number", "unrelated (events not aligned:
    ...)", "no verdict")."""
    if j is None:
        return "no verdict"
    if j.relation == "contradict" and j.type:
        return f"contradict:{j.type}"
    # The offline judge says where an "unrelated" stopped: the one clue to a miss's cause.
    return f"{j.relation} ({j.cues[0]})" if j.relation == "unrelated" and j.cues else j.relation


def score_judge(case: Case, report: Report, trace: PipelineTrace | None) -> JudgeScore:
    """Judge accuracy (needs the trace)."""
    if trace is None:
        return JudgeScore(
            traced=False,
            contradictions_reached=0,
            contradictions_right=0,
            typed_right=0,
            traps_reached=0,
            traps_right=0,
            misjudged=[],
        )
    pairs = _pairs(report, trace)
    verdicts = {frozenset((j.a, j.b)): j for j in trace.judgements}

    def judged(pair: tuple[Claim, Claim]) -> Judgement | None:
        return verdicts.get(frozenset((pair[0].id, pair[1].id)))

    def contradicting(pairs: Sequence[tuple[Claim, Claim]]) -> list[Judgement]:
        found = [judged(p) for p in pairs]
        return [j for j in found if j is not None and j.relation == "contradict"]

    reached = right = typed = traps_reached = traps_right = 0
    wrong: list[Misjudged] = []
    gold = [gold_sides(case, c.sides) for c in case.labels.contradictions]
    for label in case.labels.contradictions:
        if not label.required:
            continue
        hits = _reaching(case, pairs, gold_sides(case, label.sides))
        if not hits:
            continue
        reached += 1
        flagged = contradicting(hits)
        if flagged:
            right += 1
            typed += any(j.type == label.type for j in flagged)
        else:
            verdict_list = sorted({verdict_text(judged(p)) for p in hits})
            wrong.append(Misjudged(id=label.id, kind="contradiction", verdicts=verdict_list))
    for trap in case.labels.traps:
        hits = _reaching(case, pairs, gold_sides(case, trap.sides))
        if not hits:
            continue
        traps_reached += 1
        fell = contradicting(
            [p for p in hits if not any(covers_two(case, list(p), sides) for sides in gold)]
        )
        if fell:
            verdict_list = sorted({verdict_text(j) for j in fell})
            wrong.append(Misjudged(id=trap.id, kind="trap", verdicts=verdict_list))
        else:
            traps_right += 1
    return JudgeScore(
        traced=True,
        contradictions_reached=reached,
        contradictions_right=right,
        typed_right=typed,
        traps_reached=traps_reached,
        traps_right=traps_right,
        misjudged=wrong,
    )


# --- the scorers --------------------------------------------------------------------------

EXTRACTION: Scorer[CoverageScore] = Scorer(
    name="extraction",
    result_type=CoverageScore,
    score=score_coverage,
    metrics=(
        Metric(
            "extraction_coverage",
            "extraction coverage",
            micro(lambda s: s.covered, lambda s: s.sides),
            "coverage",
            gated=True,
            key=True,
        ),
        Metric(
            "extraction_landed",
            "sides with a claim (any claimant)",
            micro(lambda s: s.landed, lambda s: s.sides),
        ),
    ),
)
"""Extraction coverage of the required contradictions' sides."""

CANDIDATES: Scorer[CandidateScore] = Scorer(
    name="candidates",
    result_type=CandidateScore,
    score=score_candidates,
    metrics=(
        Metric(
            "candidate_recall",
            "candidate recall",
            micro(lambda s: s.paired, lambda s: s.contradictions),
            "cand. recall",
            gated=True,
            key=True,
        ),
        Metric("candidate_pairs", "candidate pairs", total(lambda s: s.pairs)),
    ),
)
"""Candidate recall of the required contradictions."""

JUDGE: Scorer[JudgeScore] = Scorer(
    name="judge",
    result_type=JudgeScore,
    score=score_judge,
    metrics=(
        Metric(
            "judge_accuracy",
            "judge accuracy",
            micro(
                lambda s: s.contradictions_right + s.traps_right,
                lambda s: s.contradictions_reached + s.traps_reached,
            ),
            "judge acc",
            gated=True,
            key=True,
        ),
        Metric(
            "judge_contradiction_accuracy",
            "reached contradictions judged contradict",
            micro(lambda s: s.contradictions_right, lambda s: s.contradictions_reached),
        ),
        Metric(
            "judge_trap_accuracy",
            "reached traps judged not contradict",
            micro(lambda s: s.traps_right, lambda s: s.traps_reached),
        ),
        Metric(
            "judge_type_accuracy",
            "judged contradictions with the labelled type",
            micro(lambda s: s.typed_right, lambda s: s.contradictions_right),
        ),
    ),
)
"""Judge accuracy on what reached the judge, its type accuracy reported apart."""


def where_lost(scores: Mapping[str, ScoreResult]) -> list[tuple[str, str]]:
    """(gold id, the stage it was lost at) for each required contradiction the report missed,
    from one case's scores: "extraction" when a side has no claim at all, "pairing" when no
    candidate pair reached it, "judge" with the verdicts, or "after judging" when it was
    judged a contradiction but the report does not match it. Empty without a trace."""
    candidates, judge = CANDIDATES.get(scores), JUDGE.get(scores)
    coverage, contradictions = EXTRACTION.get(scores), CONTRADICTIONS.get(scores)
    if not (candidates and judge and coverage and contradictions):
        return []  # a suite without these scorers
    if not (candidates.traced and judge.traced):
        return []
    misjudged = {m.id: m for m in judge.misjudged if m.kind == "contradiction"}
    found: list[tuple[str, str]] = []
    for miss in contradictions.missed:
        bare = [u.side for u in coverage.uncovered if u.id == miss.id and not u.got]
        if miss.id in candidates.unpaired:
            stage = (
                "extraction: no claim on side " + " and ".join(str(n) for n in bare)
                if bare
                else "pairing: no candidate pair on both sides"
            )
        elif miss.id in misjudged:
            stage = "judge: " + ", ".join(misjudged[miss.id].verdicts)
        else:
            stage = "after judging: judged a contradiction, not in the report"
        wrong = [u for u in coverage.uncovered if u.id == miss.id and u.got]
        for u in wrong:
            stage += f" (side {u.side} credited to {', '.join(u.got)})"
        found.append((miss.id, stage))
    return found
