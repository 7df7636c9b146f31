"""Scorers of the report: contradictions, key claims, grounding, agreements (agent.evals.scoring).

Definitions (also in evals/README.md):

- A predicted span (article, start, end) *lands* on a gold side when, for one of that side's
  spans, it is in the same article and either the character ranges intersect or the two touch
  a common sentence (agent.evals.sentences).
- A predicted item *covers* two gold sides when one of its sides lands on one gold side and a
  different side of it lands on the other. A predicted contradiction matches a gold one (or
  hits a trap) when it covers both gold sides; a predicted agreement finds a gold agreement
  when it covers two different sides of it.
- Contradiction precision = predictions matching any gold contradiction (required or
  optional) / all predictions; recall = required gold contradictions matched / required.
- Empty denominators: precision with no predictions is 0, recall with nothing required is 1;
  when nothing is predicted and nothing is required both are 1 (nothing to find, nothing
  wrongly found). Other ratios are None when there is nothing to measure; a grounding rate
  with nothing to check is 1.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from pydantic import computed_field

from agent.evals.fixtures import Case, Location, Span
from agent.evals.scoring import (
    Metric,
    Scorer,
    ScoreResult,
    bootstrap,
    f1,
    micro,
    precision,
    ratio,
    recall,
    report_only,
    total,
)
from agent.evals.sentences import sentences_of
from agent.models import ContradictionType, Report


class Spanned(Protocol):
    """Anything with a place in an article: a Claim, a Side, an AgreementSide."""

    @property
    def article_id(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


# --- landing ------------------------------------------------------------------------------


def lands(case: Case, pred: Spanned, gold_side: Sequence[Location]) -> bool:
    """Whether a predicted span lands on a gold side (overlap or a shared sentence)."""
    starts = case.sentence_starts.get(pred.article_id)
    if starts is None:
        return False
    pred_sentences = sentences_of(starts, pred.start, pred.end)
    for gold in gold_side:
        if gold.article != pred.article_id:
            continue
        if pred.start < gold.end and gold.start < pred.end:
            return True
        gold_sentences = sentences_of(starts, gold.start, gold.end)
        if max(pred_sentences.start, gold_sentences.start) < min(
            pred_sentences.stop, gold_sentences.stop
        ):
            return True
    return False


def covers_two(
    case: Case, preds: Sequence[Spanned], gold_sides: Sequence[Sequence[Location]]
) -> bool:
    """Whether two different predicted sides land on two different gold sides."""
    hit = [{g for g, side in enumerate(gold_sides) if lands(case, p, side)} for p in preds]
    return any(
        a != b
        for i, mine in enumerate(hit)
        for j, theirs in enumerate(hit)
        if i != j
        for a in mine
        for b in theirs
    )


def gold_sides(case: Case, sides: Sequence[Sequence[Span]]) -> list[list[Location]]:
    """A label's sides as locations."""
    return [case.side(side) for side in sides]


# --- contradictions -----------------------------------------------------------------------


class MissedContradiction(ScoreResult):
    """A required gold contradiction no prediction matched."""

    id: str
    """The gold contradiction's id."""
    type: ContradictionType
    """Its labelled type."""
    description: str
    """What is disputed."""


class TrapHit(ScoreResult):
    """A predicted contradiction that matched no gold contradiction but covered a trap."""

    trap_id: str
    """The trap's id."""
    trap_kind: str
    """Why the trap only looks like a contradiction."""
    contradiction_id: str
    """The predicted contradiction's id."""
    type: ContradictionType
    """The predicted type."""
    summary: str
    """The predicted summary."""


class ContradictionScore(ScoreResult):
    """Contradiction figures for one case."""

    predicted: int
    """Predicted contradictions."""
    matched: int
    """Predictions matching a gold contradiction, required or optional (true positives)."""
    required: int
    """Required gold contradictions."""
    required_found: int
    """Required gold contradictions some prediction matched."""
    optional_found: int
    """Optional gold contradictions some prediction matched."""
    typed_right: int
    """Matched predictions whose type equals the type of a gold contradiction they match."""
    missed: list[MissedContradiction]
    """Required gold contradictions not found (the false negatives)."""
    trap_hits: list[TrapHit]
    """Unmatched predictions that covered a trap, one entry per (trap, prediction)."""

    @computed_field  # type: ignore[prop-decorator]
    @property
    def false_positives(self) -> int:
        """Predictions matching no gold contradiction."""
        return self.predicted - self.matched

    @computed_field  # type: ignore[prop-decorator]
    @property
    def precision(self) -> float:
        return precision(self.matched, self.predicted, self.required)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def recall(self) -> float:
        return recall(self.required_found, self.required)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def f1(self) -> float:
        return f1(self.precision, self.recall)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def type_accuracy(self) -> float | None:
        return ratio(self.typed_right, self.matched)


def score_contradictions(case: Case, report: Report) -> ContradictionScore:
    """Match predicted contradictions against the gold ones and the traps."""
    gold = [(c, gold_sides(case, c.sides)) for c in case.labels.contradictions]
    traps = [(t, gold_sides(case, t.sides)) for t in case.labels.traps]
    found: set[str] = set()
    matched = typed_right = 0
    hits: list[TrapHit] = []
    for pred in report.contradictions:
        labels = [c for c, sides in gold if covers_two(case, pred.sides, sides)]
        found.update(c.id for c in labels)
        if labels:
            matched += 1
            typed_right += any(c.type == pred.type for c in labels)
            continue
        hits += [
            TrapHit(
                trap_id=t.id,
                trap_kind=t.kind,
                contradiction_id=pred.id,
                type=pred.type,
                summary=pred.summary,
            )
            for t, sides in traps
            if covers_two(case, pred.sides, sides)
        ]
    required = [c for c, _ in gold if c.required]
    return ContradictionScore(
        predicted=len(report.contradictions),
        matched=matched,
        required=len(required),
        required_found=sum(c.id in found for c in required),
        optional_found=sum(c.id in found for c, _ in gold if not c.required),
        typed_right=typed_right,
        missed=[
            MissedContradiction(id=c.id, type=c.type, description=c.description)
            for c in required
            if c.id not in found
        ],
        trap_hits=hits,
    )


# --- extraction ---------------------------------------------------------------------------


_PUNCT = re.compile(r"[^\w\s]")


def normalise_name(name: str) -> str:
    """Lower case, punctuation turned to spaces, spaces collapsed, a leading "the " dropped.

    Spaces, not deletion, so a possessive keeps the name whole: "Jane Doe's office" gives
    "jane doe s office", which contains "jane doe".
    """
    words = _PUNCT.sub(" ", name.lower()).split()
    if words[:1] == ["the"]:
        words = words[1:]
    return " ".join(words)


def claimant_matches(predicted: str, canonical: str, aliases: Sequence[str]) -> bool:
    """Equal to the canonical name or an alias once normalised, or containing one as whole
    words ("Mayor Ana Lind" matches "Ana Lind")."""
    got = f" {normalise_name(predicted)} "
    names = {normalise_name(n) for n in (canonical, *aliases)} - {""}
    return any(f" {name} " in got for name in names)


class Misattributed(ScoreResult):
    """A key claim found, but with no landing claim naming the right claimant."""

    id: str
    """The key claim's id."""
    expected: str
    """The canonical claimant."""
    got: list[str]
    """The claimants of the predicted claims that landed on it."""


class KeyClaimScore(ScoreResult):
    """Extraction and attribution figures for one case."""

    key_claims: int
    """Labelled key claims."""
    found: int
    """Key claims some predicted claim landed on."""
    attributed: int
    """Found key claims where a landing claim's claimant matches the label."""
    missed: list[str]
    """Ids of key claims no predicted claim landed on."""
    misattributed: list[Misattributed]
    """Found key claims with no matching claimant."""

    @computed_field  # type: ignore[prop-decorator]
    @property
    def recall(self) -> float | None:
        return ratio(self.found, self.key_claims)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def attribution_accuracy(self) -> float | None:
        return ratio(self.attributed, self.found)


def score_key_claims(case: Case, report: Report) -> KeyClaimScore:
    """Key-claim recall and attribution accuracy."""
    missed: list[str] = []
    wrong: list[Misattributed] = []
    for key in case.labels.key_claims:
        where = [case.locate(Span(article=key.article, quote=key.quote))]
        landing = [c for c in report.claims if lands(case, c, where)]
        if not landing:
            missed.append(key.id)
        elif not any(claimant_matches(c.claimant, key.claimant, key.aliases) for c in landing):
            wrong.append(
                Misattributed(id=key.id, expected=key.claimant, got=[c.claimant for c in landing])
            )
    total = len(case.labels.key_claims)
    return KeyClaimScore(
        key_claims=total,
        found=total - len(missed),
        attributed=total - len(missed) - len(wrong),
        missed=missed,
        misattributed=wrong,
    )


class GroundingScore(ScoreResult):
    """Whether every reported quote is the article text at its offsets."""

    checked: int
    """Predicted claims plus contradiction and agreement sides."""
    grounded: int
    """Those whose text[start:end] equals their quote."""
    ungrounded: list[str]
    """Which ones were not ("claim <id>", "contradiction <id> side <n>")."""

    @computed_field  # type: ignore[prop-decorator]
    @property
    def rate(self) -> float:
        """Grounded share; anything below 1.0 is a bug."""
        return self.grounded / self.checked if self.checked else 1.0


def score_grounding(case: Case, report: Report) -> GroundingScore:
    """Check text[start:end] == quote against the case's own decoding of the articles."""
    items: list[tuple[str, Spanned, str]] = [(f"claim {c.id}", c, c.quote) for c in report.claims]
    for kind, found in (("contradiction", report.contradictions), ("agreement", report.agreements)):
        items += [
            (f"{kind} {item.id} side {n}", side, side.quote)
            for item in found
            for n, side in enumerate(item.sides)
        ]
    bad = [
        label
        for label, span, quote in items
        if span.article_id not in case.texts
        or case.texts[span.article_id][span.start : span.end] != quote
    ]
    return GroundingScore(checked=len(items), grounded=len(items) - len(bad), ungrounded=bad)


# --- agreements ---------------------------------------------------------------------------


class AgreementScore(ScoreResult):
    """Agreement recall for one case."""

    gold: int
    """Labelled agreements."""
    predicted: int
    """Predicted agreements."""
    found: int
    """Gold agreements some prediction covered on two different sides."""
    missed: list[str]
    """Ids of gold agreements not found."""

    @computed_field  # type: ignore[prop-decorator]
    @property
    def recall(self) -> float | None:
        return ratio(self.found, self.gold)


def score_agreements(case: Case, report: Report) -> AgreementScore:
    """Agreement recall: some predicted agreement lands on two different gold sides."""
    missed = [
        a.id
        for a in case.labels.agreements
        if not any(covers_two(case, p.sides, gold_sides(case, a.sides)) for p in report.agreements)
    ]
    total = len(case.labels.agreements)
    return AgreementScore(
        gold=total, predicted=len(report.agreements), found=total - len(missed), missed=missed
    )


# --- the scorers --------------------------------------------------------------------------


def micro_f1(scores: Sequence[ContradictionScore]) -> float:
    """Contradiction F1 from counts summed over cases."""
    return f1(micro_precision(scores), micro_recall(scores))


def micro_precision(scores: Sequence[ContradictionScore]) -> float:
    """Contradiction precision from counts summed over cases."""
    return precision(
        sum(s.matched for s in scores),
        sum(s.predicted for s in scores),
        sum(s.required for s in scores),
    )


def micro_recall(scores: Sequence[ContradictionScore]) -> float:
    """Required-contradiction recall from counts summed over cases."""
    return recall(sum(s.required_found for s in scores), sum(s.required for s in scores))


def _grounding_rate(scores: Sequence[GroundingScore]) -> float:
    checked = sum(g.checked for g in scores)
    return sum(g.grounded for g in scores) / checked if checked else 1.0


CONTRADICTIONS: Scorer[ContradictionScore] = Scorer(
    name="contradictions",
    result_type=ContradictionScore,
    score=report_only(score_contradictions),
    metrics=(
        Metric("predicted", "predicted contradictions", total(lambda s: s.predicted)),
        Metric("matched", "matched predictions", total(lambda s: s.matched), "TP", None),
        Metric(
            "false_positives", "false positives", total(lambda s: s.false_positives), "FP", None
        ),
        Metric("required", "required contradictions", total(lambda s: s.required)),
        Metric("required_found", "required found", total(lambda s: s.required_found)),
        Metric("missed", "required missed", total(lambda s: len(s.missed)), "FN", None),
        Metric("precision", "precision", micro_precision, "P", key=True),
        Metric("recall", "required recall", micro_recall, "R", gated=True, key=True),
        Metric(
            "f1",
            "contradiction F1",
            micro_f1,
            "F1",
            gated=True,
            interval=bootstrap(micro_f1),
            key=True,
        ),
        Metric(
            "type_accuracy",
            "type accuracy",
            micro(lambda s: s.typed_right, lambda s: s.matched),
        ),
        Metric("trap_hits", "trap hits", total(lambda s: len(s.trap_hits)), "traps", None),
    ),
)
"""Contradiction precision, recall and F1, type accuracy, misses and trap hits."""

KEY_CLAIMS: Scorer[KeyClaimScore] = Scorer(
    name="key_claims",
    result_type=KeyClaimScore,
    score=report_only(score_key_claims),
    metrics=(
        Metric(
            "key_claim_recall",
            "key-claim recall",
            micro(lambda k: k.found, lambda k: k.key_claims),
            "key claims",
        ),
        Metric(
            "attribution_accuracy",
            "attribution accuracy",
            micro(lambda k: k.attributed, lambda k: k.found),
            "attrib",
        ),
    ),
)
"""Key-claim recall and attribution accuracy."""

GROUNDING: Scorer[GroundingScore] = Scorer(
    name="grounding",
    result_type=GroundingScore,
    score=report_only(score_grounding),
    metrics=(
        Metric("grounding_rate", "grounding rate", _grounding_rate, "grounding", 3, gated=True),
    ),
)
"""Whether every quote is the text at its offsets."""

AGREEMENTS: Scorer[AgreementScore] = Scorer(
    name="agreements",
    result_type=AgreementScore,
    score=report_only(score_agreements),
    metrics=(
        Metric(
            "agreement_recall",
            "agreement recall",
            micro(lambda a: a.found, lambda a: a.gold),
        ),
    ),
)
"""Agreement recall."""
