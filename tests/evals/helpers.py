"""A tiny invented eval case and hand-made reports with known figures.

All people and places are invented. The sentence splitter puts each sentence of ALPHA and
BETA in its own sentence, so "same sentence" is easy to reason about in the tests.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml

from agent.evals.fixtures import SCHEMA_COMMENT, Case, load_case
from agent.evals.runner import Prediction
from agent.models import (
    Agreement,
    AgreementSide,
    Article,
    Claim,
    Contradiction,
    ContradictionType,
    Judgement,
    Report,
    Side,
)
from agent.trace import PipelineTrace, TracedPair

ALPHA = (
    "Officials said the order covers only Northtown. The mayor said 40 people were hurt. "
    "About 50 firefighters attended.\nThe fire began on Monday. The river bridge was closed."
)
BETA = (
    "Residents of Southtown were ordered out too. Medics said 52 people were hurt. "
    "Some 48 firefighters attended. The blaze began on Tuesday, a witness said. "
    "“It was chaos.” The river bridge was also shut."
)


def tiny_labels(case: str = "tiny") -> dict[str, Any]:
    """Labels for ALPHA/BETA: two required contradictions, one optional, a trap, an agreement
    and two key claims."""

    def span(article: str, quote: str, *claimant: str) -> dict[str, Any]:
        """A span; `claimant` is the labelled claimant and its aliases, when given."""
        found: dict[str, Any] = {"article": article, "quote": quote}
        if claimant:
            found["claimant"] = claimant[0]
            if claimant[1:]:
                found["aliases"] = list(claimant[1:])
        return found

    return {
        "case": case,
        "written_for_test": True,
        "provenance": "Invented for the eval tests.",
        "probes": "The scorers.",
        "contradictions": [
            {
                "id": "scope-towns",
                "type": "scope",
                "required": True,
                "description": "Only Northtown, or Southtown too.",
                "sides": [
                    [span("alpha", "the order covers only Northtown", "officials")],
                    # The outlet's own voice: no claimant labelled, any landing claim covers it.
                    [span("beta", "Residents of Southtown were ordered out too")],
                ],
            },
            {
                "id": "injured-count",
                "type": "number",
                "required": True,
                "description": "40 or 52 hurt.",
                "sides": [
                    [span("alpha", "40 people were hurt", "Jane Doe", "the mayor")],
                    [span("beta", "52 people were hurt", "medics")],
                ],
            },
            {
                "id": "start-day",
                "type": "date_time",
                "required": False,
                "description": "Monday or Tuesday.",
                "sides": [
                    [span("alpha", "The fire began on Monday")],
                    [span("beta", "The blaze began on Tuesday")],
                ],
            },
        ],
        "traps": [
            {
                "id": "firefighters-rounding",
                "kind": "rounding",
                "description": "About 50 and some 48 agree.",
                "sides": [
                    [span("alpha", "About 50 firefighters attended")],
                    [span("beta", "Some 48 firefighters attended")],
                ],
            }
        ],
        "agreements": [
            {
                "id": "bridge-closed",
                "description": "The bridge was closed.",
                "sides": [
                    [span("alpha", "The river bridge was closed")],
                    [span("beta", "The river bridge was also shut")],
                ],
            }
        ],
        "key_claims": [
            {
                "id": "mayor-hurt",
                "article": "alpha",
                "claimant": "Jane Doe",
                "aliases": ["the mayor", "Mayor Jane Doe"],
                "quote": "40 people were hurt",
            },
            {
                "id": "medics-hurt",
                "article": "beta",
                "claimant": "medics",
                "aliases": [],
                "quote": "52 people were hurt",
            },
        ],
    }


def write_case(
    root: Path,
    name: str,
    articles: dict[str, str],
    labels: dict[str, Any] | str,
) -> Path:
    """Write a case folder; `labels` as a dict is dumped to YAML under the schema comment."""
    folder = root / name
    folder.mkdir(parents=True)
    for article_id, text in articles.items():
        (folder / f"{article_id}.txt").write_bytes(text.encode("utf-8"))
    if isinstance(labels, dict):
        body = yaml.safe_dump(labels, sort_keys=False, allow_unicode=True)
        labels = f"{SCHEMA_COMMENT}\n{body}"
    (folder / "labels.yaml").write_text(labels, encoding="utf-8")
    return folder


def tiny_case(root: Path, name: str = "tiny") -> Case:
    return load_case(write_case(root, name, {"alpha": ALPHA, "beta": BETA}, tiny_labels(name)))


def _offsets(case: Case, article: str, quote: str) -> tuple[int, int]:
    start = case.texts[article].index(quote)
    return start, start + len(quote)


def side(case: Case, article: str, quote: str) -> Side:
    """A grounded side on `quote` (its first occurrence)."""
    start, end = _offsets(case, article, quote)
    return Side(
        claim_id=f"c-{article}-{start}",
        article_id=article,
        article_sha256=hashlib.sha256(case.texts[article].encode()).hexdigest(),
        claimant="someone",
        quote=quote,
        start=start,
        end=end,
    )


def contradiction(kind: str, *sides: Side, summary: str = "A dispute.") -> Contradiction:
    key = "|".join(f"{s.article_id}:{s.start}" for s in sides) + kind
    return Contradiction(
        id="x-" + hashlib.sha256(key.encode()).hexdigest()[:8],
        type=ContradictionType(kind),
        summary=summary,
        confidence=0.5,
        sides=list(sides),
    )


def agreement(*sides: Side) -> Agreement:
    return Agreement(
        id="ag-" + "-".join(str(s.start) for s in sides),
        summary="Agreed.",
        sides=[AgreementSide(**s.model_dump()) for s in sides],
    )


def claim(case: Case, article: str, quote: str, claimant: str = "someone") -> Claim:
    start, end = _offsets(case, article, quote)
    return Claim(
        id=f"claim-{article}-{start}",
        article_id=article,
        statement=quote,
        claimant=claimant,
        quote=quote,
        start=start,
        end=end,
    )


def report(
    case: Case,
    contradictions: list[Contradiction] | None = None,
    claims: list[Claim] | None = None,
    agreements: list[Agreement] | None = None,
    backend: str = "offline",
) -> Report:
    return Report(
        backend=backend,
        articles=[
            Article(id=aid, path=str(case.article_paths[aid]), sha256="0" * 64, text=text)
            for aid, text in sorted(case.texts.items())
        ],
        claims=claims or [],
        contradictions=contradictions or [],
        agreements=agreements or [],
    )


def perfect(case: Case) -> Report:
    """Finds both required contradictions with the right types, the agreement, the key
    claims and a claim with the right claimant on every side of a required contradiction."""
    return report(
        case,
        contradictions=[
            contradiction(
                "scope",
                side(case, "alpha", "the order covers only Northtown"),
                side(case, "beta", "Residents of Southtown were ordered out too"),
            ),
            contradiction(
                "number",
                side(case, "alpha", "40 people were hurt"),
                side(case, "beta", "52 people were hurt"),
            ),
        ],
        claims=[
            claim(case, "alpha", "The mayor said 40 people were hurt", "The Mayor"),
            claim(case, "beta", "Medics said 52 people were hurt", "Medics"),
            claim(case, "alpha", "the order covers only Northtown", "Officials"),
            claim(case, "beta", "Residents of Southtown were ordered out too", "the outlet"),
        ],
        agreements=[
            agreement(
                side(case, "alpha", "The river bridge was closed"),
                side(case, "beta", "The river bridge was also shut"),
            )
        ],
    )


def half(case: Case) -> Report:
    """One required contradiction (right type) and one false positive: P 1/2, R 1/2."""
    return report(
        case,
        [
            contradiction(
                "number",
                side(case, "alpha", "40 people were hurt"),
                side(case, "beta", "52 people were hurt"),
            ),
            contradiction(
                "number",
                side(case, "alpha", "About 50 firefighters attended"),
                side(case, "beta", "Some 48 firefighters attended"),
            ),
        ],
    )


def with_trace(rep: Report) -> Prediction:
    """`rep` with the trace a run that found its contradictions would have kept: for each
    predicted contradiction, the claims holding its sides paired and judged `contradict`
    with its type (a side no claim holds gives no pair)."""

    def holder(s: Side) -> Claim | None:
        return next(
            (
                c
                for c in rep.claims
                if c.article_id == s.article_id and c.start <= s.start and s.end <= c.end
            ),
            None,
        )

    trace = PipelineTrace()
    for flag in rep.contradictions:
        a, b = (holder(s) for s in flag.sides[:2])
        if a is None or b is None:
            continue
        trace.pairs.append(TracedPair(a=a.id, b=b.id, reason="lexical"))
        trace.judgements.append(
            Judgement(a=a.id, b=b.id, relation="contradict", type=flag.type, confidence=0.5)
        )
    return Prediction(rep, trace)
