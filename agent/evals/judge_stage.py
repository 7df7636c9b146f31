"""`reconcile eval --stage judge`: the judge alone, on the fixtures' labelled pairs.

Each required contradiction, trap and agreement of a case becomes one pair of claims made
from its labels, with no extraction or pairing in between: a side is its first span, the
claim's words are the article's own words at that span (the statement and the quote), and its
claimant is the span's labelled claimant, else the claimant of a key claim on the same words,
else the article's source, else "the outlet". The pairs go to the judge of the chosen backend
exactly as candidate pairs of a run would (an offline judge reads the same words itself, see
agent/backends/offline/foreign.py), and each verdict is scored against its label:

- contradiction: right when judged `contradict` (and typed right when with the labelled type);
- trap: right when not judged `contradict`;
- agreement: right when judged `agree`.

A pair the judge gave no verdict is wrong in its class and counted as unjudged. Calls and
seconds are the judge's own (the report's usage and its `judge` time). When most traps are
judged contradictions, the judge cannot tell a contradiction from a look-alike: the command
says so in plain words (`untrustworthy`).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from pydantic import computed_field

from agent.evals.fixtures import Case, Span
from agent.evals.scoring import Metric, Scorer, ScoreResult, micro, ratio, total
from agent.evals.stages import verdict_text
from agent.ids import stable_id
from agent.models import Article, Claim, ContradictionType, Judgement, Report, RunStats
from agent.pairing import Candidate
from agent.trace import PipelineTrace

if TYPE_CHECKING:
    from agent.backends.llm.config import LLMConfig
    from agent.evals.runner import Prediction, Predictor

Kind = Literal["contradiction", "trap", "agreement"]
OUTLET = "the outlet"
UNTRUSTED_TRAP_SHARE = 0.5
"""A judge calling more than this share of the traps contradictions cannot be trusted."""
UNTRUSTED_FOUND_SHARE = 0.25
"""Nor can one finding fewer than this share of the labelled contradictions (a judge that
answers "unrelated", or nothing, to everything scores 1.0 on traps)."""


@dataclass(frozen=True)
class LabelledPair:
    """One labelled item as a pair of claims for the judge."""

    kind: Kind
    id: str
    """The label's id."""
    type: ContradictionType | None
    """The labelled type (contradictions only)."""
    a: Claim
    b: Claim


def _claimant(case: Case, span: Span, articles: dict[str, Article]) -> str:
    if span.claimant:
        return span.claimant
    where = case.locate(span)
    for key in case.labels.key_claims:
        if key.article != span.article:
            continue
        other = case.locations.get((key.article, key.quote))
        if other is not None and other.start < where.end and where.start < other.end:
            return key.claimant
    article = articles.get(span.article)
    return (article.source if article is not None else None) or OUTLET


def _claim(
    case: Case, kind: Kind, label_id: str, span: Span, articles: dict[str, Article]
) -> Claim:
    where = case.locate(span)
    words = case.texts[span.article][where.start : where.end]
    claimant = _claimant(case, span, articles)
    return Claim(
        id=stable_id("lbl", case.name, kind, label_id, span.article, where.start, where.end),
        article_id=span.article,
        statement=words,
        claimant=claimant,
        claimant_kind="outlet" if claimant == OUTLET else "other",
        quote=words,
        start=where.start,
        end=where.end,
    )


def labelled_pairs(case: Case, articles: dict[str, Article]) -> list[LabelledPair]:
    """The case's required contradictions, traps and agreements as pairs, in label order (an
    agreement of several sides gives the pair of its first two)."""
    items: list[tuple[Kind, str, ContradictionType | None, list[list[Span]]]] = []
    items += [
        ("contradiction", c.id, c.type, c.sides) for c in case.labels.contradictions if c.required
    ]
    items += [("trap", t.id, None, t.sides) for t in case.labels.traps]
    items += [("agreement", a.id, None, a.sides[:2]) for a in case.labels.agreements]
    out: list[LabelledPair] = []
    for kind, label_id, kind_type, sides in items:
        a = _claim(case, kind, label_id, sides[0][0], articles)
        b = _claim(case, kind, label_id, sides[1][0], articles)
        out.append(LabelledPair(kind, label_id, kind_type, a, b))
    return out


def judge_predictor(
    backend: str, llm: LLMConfig | None = None, judge: str | None = None
) -> Predictor:
    """A predictor sending each case's labelled pairs to the judge of `judge` (else
    `backend`), one fresh backend per case so its usage is that case's own."""

    def predict(case: Case) -> Prediction:
        from agent.backends.registry import Settings, resolve
        from agent.evals.runner import Prediction
        from agent.ingest import ingest

        paths = [case.article_paths[aid] for aid in sorted(case.article_paths)]
        articles = {a.id: a for a in ingest(paths).articles}
        pairs = labelled_pairs(case, articles)
        engine = resolve(judge or backend, Settings(llm=llm)).factory(Settings(llm=llm))
        candidates = [Candidate(p.a, p.b, 0.0, 0.0, (), "lexical") for p in pairs]
        started = time.perf_counter()
        judgements, errors = engine.judge(candidates, articles)
        seconds = time.perf_counter() - started
        info = engine.info()
        claims = {c.id: c for p in pairs for c in (p.a, p.b)}
        report = Report(
            backend=info.name,
            articles=sorted(articles.values(), key=lambda a: a.id),
            claims=list(claims.values()),
            errors=errors,
            stats=RunStats(
                articles=len(articles),
                claims=len(claims),
                candidate_pairs=len(candidates),
                unjudged_pairs=sum(1 for j in judgements if j.relation == "unjudged"),
                seconds={"judge": round(seconds, 3)},
            ),
            llm=info.usage,
        )
        trace = PipelineTrace()
        trace.record(candidates, judgements)
        return Prediction(report, trace)

    return predict


# --- the scorer ---------------------------------------------------------------------------


class JudgedLabel(ScoreResult):
    """One labelled pair and what the judge said of it."""

    id: str
    """The label's id."""
    kind: Kind
    """Contradiction, trap or agreement."""
    expected: str
    """What would be right ("contradict:number", "not contradict", "agree")."""
    verdict: str
    """What the judge said ("unrelated", "contradict:scope", "no verdict")."""
    right: bool
    """Whether that is right for its class."""


class JudgeStageScore(ScoreResult):
    """The judge on one case's labelled pairs."""

    contradictions: int
    """Required contradictions sent."""
    contradictions_right: int
    """Judged `contradict`."""
    typed_right: int
    """Judged `contradict` with the labelled type."""
    traps: int
    """Traps sent."""
    traps_right: int
    """Not judged `contradict`."""
    agreements: int
    """Agreements sent."""
    agreements_right: int
    """Judged `agree`."""
    unjudged: int
    """Pairs given no verdict (wrong in their class)."""
    calls: int
    """Model requests the judge made (0 for a judge that calls none)."""
    seconds: float
    """Wall time of the judge on this case."""
    verdicts: list[JudgedLabel]
    """Every labelled pair with its verdict."""

    @computed_field  # type: ignore[prop-decorator]
    @property
    def accuracy(self) -> float | None:
        right = self.contradictions_right + self.traps_right + self.agreements_right
        return ratio(right, self.contradictions + self.traps + self.agreements)


def _verdict(j: Judgement | None) -> str:
    if j is None or j.relation == "unjudged":
        return "no verdict"
    return verdict_text(j)


def score_judge_stage(case: Case, report: Report, trace: PipelineTrace | None) -> JudgeStageScore:
    """Each labelled pair's verdict against its class (needs the trace of its verdicts)."""
    articles = {a.id: a for a in report.articles}
    verdicts = {(j.a, j.b): j for j in (trace.judgements if trace else [])}
    sent = {"contradiction": 0, "trap": 0, "agreement": 0}
    right_by = {"contradiction": 0, "trap": 0, "agreement": 0}
    typed = unjudged = 0
    judged: list[JudgedLabel] = []
    for pair in labelled_pairs(case, articles):
        j = verdicts.get((pair.a.id, pair.b.id))
        said = _verdict(j)
        contradicts = j is not None and j.relation == "contradict"
        if pair.kind == "contradiction":
            right, expected = contradicts, f"contradict:{pair.type}"
            typed += contradicts and j is not None and j.type == pair.type
        elif pair.kind == "trap":
            right, expected = said != "no verdict" and not contradicts, "not contradict"
        else:
            right, expected = j is not None and j.relation == "agree", "agree"
        sent[pair.kind] += 1
        right_by[pair.kind] += right
        unjudged += said == "no verdict"
        judged.append(
            JudgedLabel(id=pair.id, kind=pair.kind, expected=expected, verdict=said, right=right)
        )
    usage = report.llm.stages.get("judge") if report.llm is not None else None
    return JudgeStageScore(
        contradictions=sent["contradiction"],
        contradictions_right=right_by["contradiction"],
        typed_right=typed,
        traps=sent["trap"],
        traps_right=right_by["trap"],
        agreements=sent["agreement"],
        agreements_right=right_by["agreement"],
        unjudged=unjudged,
        calls=usage.calls if usage is not None else 0,
        seconds=report.stats.seconds.get("judge", 0.0),
        verdicts=judged,
    )


def _seconds(results: Sequence[JudgeStageScore]) -> float:
    return round(sum(r.seconds for r in results), 2)


JUDGE_STAGE: Scorer[JudgeStageScore] = Scorer(
    name="judge_stage",
    result_type=JudgeStageScore,
    score=score_judge_stage,
    metrics=(
        Metric(
            "stage_contradiction_accuracy",
            "contradictions judged contradict",
            micro(lambda s: s.contradictions_right, lambda s: s.contradictions),
            "contradictions",
            gated=True,
            key=True,
        ),
        Metric(
            "stage_trap_accuracy",
            "traps judged not contradict",
            micro(lambda s: s.traps_right, lambda s: s.traps),
            "traps",
            gated=True,
            key=True,
        ),
        Metric(
            "stage_agreement_accuracy",
            "agreements judged agree",
            micro(lambda s: s.agreements_right, lambda s: s.agreements),
            "agreements",
            key=True,
        ),
        Metric(
            "stage_type_accuracy",
            "contradictions judged contradict with the labelled type",
            micro(lambda s: s.typed_right, lambda s: s.contradictions_right),
            "type",
            key=True,
        ),
        Metric(
            "stage_accuracy",
            "labelled pairs judged right",
            micro(
                lambda s: s.contradictions_right + s.traps_right + s.agreements_right,
                lambda s: s.contradictions + s.traps + s.agreements,
            ),
            "all",
        ),
        Metric("stage_pairs", "labelled pairs", total(lambda s: len(s.verdicts)), "pairs", None),
        Metric("stage_unjudged", "pairs given no verdict", total(lambda s: s.unjudged), None, None),
        Metric("stage_calls", "judge calls", total(lambda s: s.calls), "calls", None, key=True),
        Metric("stage_seconds", "judge seconds", _seconds, "seconds", 1),
    ),
)
"""The judge alone on the labelled pairs, accuracy per class."""

SCORERS: tuple[Scorer[JudgeStageScore], ...] = (JUDGE_STAGE,)
"""What `--stage judge` scores."""


def untrustworthy(results: Sequence[JudgeStageScore]) -> str | None:
    """The plain-words warning when the judge called most traps contradictions, or found
    almost none of the labelled contradictions; else None."""
    traps = sum(r.traps for r in results)
    fell = traps - sum(r.traps_right for r in results)
    contradictions = sum(r.contradictions for r in results)
    found = sum(r.contradictions_right for r in results)
    unjudged = sum(r.unjudged for r in results)
    if traps and fell / traps > UNTRUSTED_TRAP_SHARE:
        return (
            f"This judge called {fell} of {traps} traps contradictions: it cannot tell a "
            "contradiction from statements that only look alike, so it cannot be trusted as a "
            "judge. Its flags would be mostly false alarms; choose another model or judge."
        )
    if contradictions and found / contradictions < UNTRUSTED_FOUND_SHARE:
        left = f", and left {unjudged} pairs unjudged" if unjudged else ""
        return (
            f"This judge found {found} of {contradictions} labelled contradictions{left}: it "
            "misses nearly all of them, so it cannot be trusted as a judge. A report with few "
            "flags from it means nothing; choose another model or judge."
        )
    return None
