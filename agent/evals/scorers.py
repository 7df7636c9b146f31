"""Scorers: small functions from (case, report) to a small result, composed by the runner.

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
from typing import Any, Protocol

from pydantic import computed_field, model_validator

from agent.base import Strict
from agent.evals.fixtures import Case, Location, Span
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


class _Result(Strict):
    """A scorer's counts."""

    @model_validator(mode="before")
    @classmethod
    def _drop_computed(cls, data: Any) -> Any:
        # Figures derived from the counts are written to JSON for readers, and recomputed
        # (not trusted) when results are read back, e.g. from a baseline file.
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if k not in cls.model_computed_fields}
        return data


# --- ratios -------------------------------------------------------------------------------


def ratio(hits: int, total: int) -> float | None:
    """hits / total, or None when there is nothing to measure."""
    return hits / total if total else None


def precision(matched: int, predicted: int, required: int) -> float:
    """Matched predictions / predictions (see the module docstring for empty cases)."""
    if predicted == 0:
        return 1.0 if required == 0 else 0.0
    return matched / predicted


def recall(found: int, required: int) -> float:
    """Required gold items found / required (1 when nothing is required)."""
    return found / required if required else 1.0


def f1(p: float, r: float) -> float:
    """The harmonic mean of precision and recall (0 when both are 0)."""
    return 2 * p * r / (p + r) if p + r else 0.0


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


class MissedContradiction(_Result):
    """A required gold contradiction no prediction matched."""

    id: str
    """The gold contradiction's id."""
    type: ContradictionType
    """Its labelled type."""
    description: str
    """What is disputed."""


class TrapHit(_Result):
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


class ContradictionScore(_Result):
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


class Misattributed(_Result):
    """A key claim found, but with no landing claim naming the right claimant."""

    id: str
    """The key claim's id."""
    expected: str
    """The canonical claimant."""
    got: list[str]
    """The claimants of the predicted claims that landed on it."""


class KeyClaimScore(_Result):
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


class GroundingScore(_Result):
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


class AgreementScore(_Result):
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
