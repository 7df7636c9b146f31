"""WikiContradict (dev half): how many real Wikipedia contradictions the pipeline finds.

Reads `../shared/benchmarks/wikicontradict/dev.jsonl` (its README gives the source and the
scoring rules; the data is never copied into the project) and runs every row's articles
through `run_pipeline` in this process, with one backend instance (spaCy loads once):

- a "Different" row: `context1` and `context2` become two articles, each `Wikipedia: <title>`,
  a blank line, then the passage; detected when a contradiction has one side in each article;
- a "Same" row: one article of that shape whose passage is `context1 + " " + context2`;
  detected when a contradiction has one side overlapping context1's span and another side
  overlapping context2's span;
- the negative control: `context1` of row i with `context2` of row i+1 (the last row with the
  first) where the two titles differ, as two articles; a row flagged anyway (a contradiction
  with one side in each) is a false positive.

Rows often ask several questions about the same two passages, so each distinct passage pair
is run once and detection is reported for rows and for distinct pairs. Prints detection for
Explicit and Implicit rows apart and the control's false-positive rate; `--json OUT` writes
the figures and each row's outcome (ids and flags' types, no text). A benchmark to learn
from, not a test and not part of CI.

With `--one-story` each pair of passages (the control's too) is run as one story, as a user
who knows the articles are about one subject runs them: it measures the judge without the
story grouping, which may set two passages of one page apart as two stories.

    python -m bench.wikicontradict [--data PATH] [--backend offline|llm] [--json OUT] [--one-story]
                                   [--model M] [--base-url URL] [--concurrency N]
                                   [--timeout S] [--cache-dir DIR] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent.backends import Backend, get_backend
from agent.backends.llm.config import load_config
from agent.models import Contradiction
from agent.pipeline import run_pipeline

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "benchmarks" / "wikicontradict" / "dev.jsonl"
HEADER = "Wikipedia: {title}\n\n"
EXPLICIT, IMPLICIT = "Explicit", "Implicit"


@dataclass(frozen=True)
class Row:
    """The fields of one benchmark row that the scoring needs."""

    qid: str
    kind: str
    """EXPLICIT or IMPLICIT (the README's "Implicit (reasoning required)")."""
    same: bool
    """Both contexts come from one passage ("Same")."""
    title: str
    context1: str
    context2: str

    @property
    def passages(self) -> tuple[bool, str, str, str]:
        """What a run depends on: rows sharing it share the outcome."""
        return self.same, self.title, self.context1, self.context2


@dataclass
class Outcome:
    """One run of the pipeline on one passage pair."""

    detected: bool
    flagged: list[str] = field(default_factory=list)
    """Types of the contradictions that counted."""
    contradictions: int = 0
    """All contradictions the run reported."""
    errors: list[str] = field(default_factory=list)


def load_rows(path: Path) -> list[Row]:
    rows: list[Row] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            kind = EXPLICIT if raw["contradictType"].startswith("Explicit") else IMPLICIT
            rows.append(
                Row(
                    qid=str(raw["question_ID"]),
                    kind=kind,
                    same=raw["samepassage"] == "Same",
                    title=raw["WikipediaArticleTitle"],
                    context1=raw["context1"],
                    context2=raw["context2"],
                )
            )
        except (ValueError, KeyError, AttributeError) as exc:
            raise SystemExit(f"error: {path}:{n}: not a WikiContradict row ({exc})") from None
    return rows


def _one_in_each(found: Sequence[Contradiction], a: str, b: str) -> list[Contradiction]:
    return [c for c in found if {s.article_id for s in c.sides} >= {a, b}]


def run_two(
    engine: Backend,
    folder: Path,
    first: tuple[str, str],
    second: tuple[str, str],
    one_story: bool = False,
) -> Outcome:
    """Two articles ((title, passage) each); detected when a flag has a side in each.
    `one_story`: the two are one story whatever the story grouping says."""
    folder.mkdir()
    paths = []
    for name, (title, passage) in (("passage-a", first), ("passage-b", second)):
        path = folder / f"{name}.txt"
        path.write_text(HEADER.format(title=title) + passage + "\n", encoding="utf-8")
        paths.append(path)
    report = run_pipeline(paths, backend=engine, one_story=one_story)
    hits = _one_in_each(report.contradictions, "passage-a", "passage-b")
    return Outcome(
        detected=bool(hits),
        flagged=sorted(c.type.value for c in hits),
        contradictions=len(report.contradictions),
        errors=[f"{e.path}: {e.error}" for e in report.errors],
    )


def run_same(engine: Backend, folder: Path, row: Row) -> Outcome:
    """One article holding both contexts; detected when a flag's sides overlap both spans."""
    folder.mkdir()
    head = HEADER.format(title=row.title)
    text = head + row.context1 + " " + row.context2 + "\n"
    one = (len(head), len(head) + len(row.context1))
    two = (one[1] + 1, one[1] + 1 + len(row.context2))
    path = folder / "passage.txt"
    path.write_text(text, encoding="utf-8")
    report = run_pipeline([path], backend=engine)

    def overlaps(start: int, end: int, span: tuple[int, int]) -> bool:
        return start < span[1] and span[0] < end

    hits = [
        c
        for c in report.contradictions
        if any(
            overlaps(x.start, x.end, one) and overlaps(y.start, y.end, two)
            for i, x in enumerate(c.sides)
            for j, y in enumerate(c.sides)
            if i != j
        )
    ]
    return Outcome(
        detected=bool(hits),
        flagged=sorted(c.type.value for c in hits),
        contradictions=len(report.contradictions),
        errors=[f"{e.path}: {e.error}" for e in report.errors],
    )


def _share(hits: int, total: int) -> str:
    return f"{hits} of {total} ({100 * hits / total:.1f}%)" if total else "0 of 0"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help="the dev.jsonl file")
    parser.add_argument("--backend", choices=("offline", "llm"), default="offline")
    parser.add_argument("--json", type=Path, help="write the figures and outcomes here")
    parser.add_argument("--limit", type=int, help="only the first N rows (a quick look)")
    parser.add_argument(
        "--one-story",
        action="store_true",
        help="run each pair of passages as one story (the judge alone, without the grouping)",
    )
    parser.add_argument("--model")
    parser.add_argument("--base-url")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--cache-dir", type=Path, help="LLM answer cache [default ~/.cache]")
    args = parser.parse_args(argv)
    if not args.data.is_file():
        raise SystemExit(f"error: {args.data}: no such file (give --data PATH)")
    rows = load_rows(args.data)[: args.limit]

    llm = None
    if args.backend == "llm":
        llm = load_config(
            model=args.model,
            base_url=args.base_url,
            concurrency=args.concurrency,
            timeout=args.timeout,
        )
        if args.cache_dir:
            llm = llm.model_copy(update={"cache_dir": args.cache_dir})
    engine = get_backend(args.backend, llm)
    started = time.perf_counter()

    outcomes: dict[tuple[bool, str, str, str], Outcome] = {}
    control: list[tuple[Row, Row, Outcome]] = []
    with tempfile.TemporaryDirectory(prefix="wikicontradict-") as tmp:
        folders = (Path(tmp) / f"run-{n}" for n in range(10**9))
        for n, row in enumerate(rows, 1):
            if row.passages not in outcomes:
                outcomes[row.passages] = (
                    run_same(engine, next(folders), row)
                    if row.same
                    else run_two(
                        engine,
                        next(folders),
                        (row.title, row.context1),
                        (row.title, row.context2),
                        args.one_story,
                    )
                )
            print(f"\r  rows {n}/{len(rows)}", end="", file=sys.stderr, flush=True)
        for n, row in enumerate(rows):
            after = rows[(n + 1) % len(rows)]
            if row.title == after.title:
                continue
            got = run_two(
                engine,
                next(folders),
                (row.title, row.context1),
                (after.title, after.context2),
                args.one_story,
            )
            control.append((row, after, got))
            print(f"\r  control {len(control)}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    seconds = time.perf_counter() - started

    figures: dict[str, Any] = {
        "backend": engine.info().name,
        "rows": len(rows),
        "seconds": round(seconds, 1),
        "one_story": args.one_story,
    }
    grouping = "as one story" if args.one_story else "grouped into stories as a run does"
    print(
        f"WikiContradict dev: {len(rows)} rows, backend {engine.info().name}, "
        f"passages {grouping}, {seconds:.0f} s"
    )
    print(f"  {'':10} {'rows detected':>22}   {'distinct passage pairs':>22}")
    for label, kinds in (
        ("Explicit", {EXPLICIT}),
        ("Implicit", {IMPLICIT}),
        ("All", {EXPLICIT, IMPLICIT}),
    ):
        mine = [r for r in rows if r.kind in kinds]
        hits = sum(outcomes[r.passages].detected for r in mine)
        pairs = {r.passages for r in mine}
        pair_hits = sum(outcomes[p].detected for p in pairs)
        print(f"  {label:10} {_share(hits, len(mine)):>22}   {_share(pair_hits, len(pairs)):>22}")
        figures[label.lower()] = {
            "rows": len(mine),
            "detected": hits,
            "pairs": len(pairs),
            "pairs_detected": pair_hits,
        }
    false_pos = sum(o.detected for _, _, o in control)
    print(f"  control: {_share(false_pos, len(control))} flagged (false positives)")
    figures["control"] = {"rows": len(control), "flagged": false_pos}
    errors = sorted({e for o in [*outcomes.values(), *(o for *_, o in control)] for e in o.errors})
    if errors:
        print(f"  {len(errors)} input errors, e.g. {errors[0]}")

    if args.json:
        figures["outcomes"] = [
            {
                "question_ID": r.qid,
                "type": r.kind,
                "samepassage": "Same" if r.same else "Different",
                "detected": outcomes[r.passages].detected,
                "flagged": outcomes[r.passages].flagged,
                "contradictions": outcomes[r.passages].contradictions,
            }
            for r in rows
        ]
        figures["control_outcomes"] = [
            {"question_ID": a.qid, "next_question_ID": b.qid, "flagged": o.flagged}
            for a, b, o in control
        ]
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
        print(f"  figures written to {args.json}")


if __name__ == "__main__":
    main()
