"""The judge alone (before and after issue 13's prompt) and the eval for each extract/judge mix,
against one OpenAI-compatible endpoint.

    python -m bench.llm_matrix                       # OPENAI_BASE_URL / RECONCILE_MODEL, else
                                                     # the project's fake endpoint (plumbing)
    python -m bench.llm_matrix --cases seeds,port-strike --pairs 3 --max-judged 40
    python -m bench.llm_matrix --only judge          # the judge stage alone

The endpoint is --base-url (default OPENAI_BASE_URL) and --model (default RECONCILE_MODEL);
with neither, or with --fake, it is tests/support/fake_openai.py's stand-in model, which
quotes sentences and judges every pair unrelated: its figures say the plumbing works, nothing
about a model. This script never starts a model server.

1. One calibration request measures the endpoint's generation speed (completion tokens a
   second, a short prompt asking for a long answer): the machine's tokens/s.
2. The judge stage (`reconcile eval --stage judge`, through the eval's own code): the
   fixtures' labelled pairs sent to the offline judge, to the model with the current judge,
   and to the model with the judge as it was before issue 13 (bench/judge_before.py: main's
   prompt and schema at 3e9588f, kept for this measurement only). Accuracy per class
   (contradictions, traps, agreements), type accuracy, calls, seconds, tokens/s.
3. The eval (`reconcile eval`) for each extract/judge combination: offline/offline,
   offline/llm, llm/offline, llm/llm. P, R (required), F1, extraction coverage, candidate
   recall, judge accuracy, calls, tokens, seconds, tokens/s.

Limits, for a slow local model and a fixed time budget:
- `--cases a,b`: only these eval cases (both stages);
- `--pairs N`: the judge stage sends at most N labelled pairs of each class per case (the
  first N in the labels file; the scores count only the pairs sent);
- `--max-judged N`: in the eval, at most N candidate pairs a case are judged (those the
  pairing ranks most similar), the same cap for every combination so their figures compare;
  the pairs left out are unjudged, counted in the table and lowering recall, never taken as
  "unrelated";
- `--combos offline/llm,llm/llm`: only these combinations; `--only judge|pipeline`.
Each run gets a fresh cache unless --cache-dir names one to share (a re-run then skips what
was answered). Results go to bench/results/llm-matrix-<model>.json (or --out).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

import openai
import yaml
from rich.console import Console

from agent.backends.base import Backend, BackendInfo, Estimate, OutcomeHook, ProgressHook
from agent.backends.llm.config import LLMConfig, load_config
from agent.backends.registry import Settings, make_backend
from agent.evals.baseline import model_slug
from agent.evals.command import eval_command
from agent.evals.fixtures import LABELS_FILE, SCHEMA_COMMENT, Case
from agent.evals.judge_stage import judge_predictor
from agent.evals.runner import Prediction, Predictor
from agent.models import Article, Claim, InputError, Judgement, Report
from agent.pairing import Candidate
from agent.trace import PipelineTrace
from bench.judge_before import before_predictor
from tests.support.fake_openai import FakeOpenAI, RecordedRequest, Reply, quoting_model

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "evals" / "fixtures"
COMBINATIONS = ["offline/offline", "offline/llm", "llm/offline", "llm/llm"]
CALIBRATION = (
    "Write the numbers from one to eighty in words, separated by commas, and nothing else."
)
Row = dict[str, Any]


# -- the endpoint -------------------------------------------------------------------------------


def _fake_model(request: RecordedRequest) -> Reply:
    if CALIBRATION in request.message_text():
        return Reply.content(", ".join(["word"] * 80), completion_tokens=160)
    return quoting_model(request)


@contextmanager
def endpoint(args: argparse.Namespace) -> Iterator[tuple[str, str, bool]]:
    """(base URL, model, fake) while the block runs: the given endpoint, else the fake."""
    base_url = args.base_url or os.environ.get("OPENAI_BASE_URL")
    if base_url and not args.fake:
        yield base_url, args.model or os.environ.get("RECONCILE_MODEL") or "gpt-4o-mini", False
        return
    with FakeOpenAI() as server:
        server.handler = _fake_model
        yield server.base_url, "fake-quoting-model", True


def tokens_per_second(config: LLMConfig) -> float | None:
    """Completion tokens a second of one request asking for a long answer to a short prompt."""
    client = openai.OpenAI(
        base_url=config.base_url,
        api_key=config.api_key.get_secret_value() or "not-needed",
        timeout=config.timeout,
        max_retries=0,
    )
    started = time.perf_counter()
    try:
        answer = client.chat.completions.create(
            model=config.model,
            messages=[{"role": "user", "content": CALIBRATION}],
            max_tokens=256,
            temperature=0.0,
        )
    except openai.OpenAIError as exc:
        print(f"calibration request failed: {exc}", file=sys.stderr)
        return None
    seconds = time.perf_counter() - started
    tokens = answer.usage.completion_tokens if answer.usage else 0
    return round(tokens / seconds, 1) if seconds > 0 and tokens else None


# -- limits -------------------------------------------------------------------------------------


def trimmed_fixtures(cases: Sequence[str] | None, pairs: int, tmp: Path) -> Path:
    """A copy of the fixtures holding at most `pairs` required contradictions, traps and
    agreements per case (the first ones of the labels file; other labels kept), so the judge
    stage sends and scores only those."""
    root = tmp / "fixtures-trimmed"
    names = cases or sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())
    for name in names:
        if not (FIXTURES / name).is_dir():
            continue  # the eval itself names the unknown case
        shutil.copytree(FIXTURES / name, root / name)
        path = root / name / LABELS_FILE
        labels = yaml.safe_load(path.read_text(encoding="utf-8"))
        required = [c for c in labels.get("contradictions") or [] if c.get("required", True)]
        optional = [c for c in labels.get("contradictions") or [] if not c.get("required", True)]
        labels["contradictions"] = required[:pairs] + optional
        for kind in ("traps", "agreements"):
            if labels.get(kind):
                labels[kind] = labels[kind][:pairs]
        body = yaml.safe_dump(labels, allow_unicode=True, sort_keys=False, width=1000)
        path.write_text(SCHEMA_COMMENT + "\n" + body, encoding="utf-8")
    return root


class CappedJudging:
    """A backend judging at most `cap` candidate pairs (the most similar first); the others
    are unjudged. A measuring aid for a slow model, never part of the tool."""

    def __init__(self, inner: Backend, cap: int) -> None:
        self.inner = inner
        self.cap = cap
        self.left_out = 0

    def info(self) -> BackendInfo:
        return self.inner.info()

    def extract_all(
        self, articles: Sequence[Article], emit: OutcomeHook, progress: ProgressHook | None = None
    ) -> None:
        self.inner.extract_all(articles, emit, progress)

    def pair(
        self, claims: Sequence[Claim], copies: Mapping[str, str] | None = None
    ) -> list[Candidate]:
        return self.inner.pair(claims, copies)

    def judge(
        self,
        candidates: Sequence[Candidate],
        articles: dict[str, Article],
        progress: ProgressHook | None = None,
    ) -> tuple[list[Judgement], list[InputError]]:
        ranked = sorted(candidates, key=lambda c: (-c.similarity, -c.overlap))
        kept, rest = ranked[: self.cap], ranked[self.cap :]
        self.left_out += len(rest)
        judgements, errors = self.inner.judge(kept, articles, progress)
        unjudged = [Judgement(a=c.a.id, b=c.b.id, relation="unjudged") for c in rest]
        return judgements + unjudged, errors

    def forecast_claims(self, articles: Sequence[Article]) -> tuple[list[Claim], Estimate]:
        return self.inner.forecast_claims(articles)

    def forecast_judging(
        self, candidates: Sequence[Candidate], articles: dict[str, Article]
    ) -> Estimate:
        return self.inner.forecast_judging(candidates, articles)


def capped_predictor(
    config: LLMConfig, extract: str, judge: str, cap: int | None, capped: list[CappedJudging]
) -> Predictor:
    """The eval's pipeline predictor, with judging capped at `cap` pairs a case."""

    def predict(case: Case) -> Prediction:
        from agent.pipeline import run_pipeline

        engine: Backend = make_backend("offline", extract, judge, Settings(llm=config))
        if cap is not None:
            wrapped = CappedJudging(engine, cap)
            capped.append(wrapped)
            engine = wrapped
        paths = [case.article_paths[aid] for aid in sorted(case.article_paths)]
        trace = PipelineTrace()
        report = run_pipeline(paths, backend=engine, llm=config, trace=trace)
        return Prediction(report, trace)

    return predict


# -- running the eval ---------------------------------------------------------------------------


class Recorder:
    """Wraps a predictor: each case's model usage and wall time; `model_stages` are the
    report's timed stages that called the model (for tokens/s)."""

    def __init__(self, model_stages: Sequence[str]) -> None:
        self.reports: list[Report] = []
        self.seconds = 0.0
        self.model_stages = model_stages

    def wrap(self, inner: Predictor) -> Predictor:
        def predict(case: Case) -> Report | Prediction:
            started = time.perf_counter()
            predicted = inner(case)
            self.seconds += time.perf_counter() - started
            self.reports.append(
                predicted.report if isinstance(predicted, Prediction) else predicted
            )
            return predicted

        return predict

    def totals(self) -> dict[str, Any]:
        usages = [r.llm for r in self.reports if r.llm is not None]
        completion = sum(u.total.completion_tokens for u in usages)
        model_seconds = sum(
            r.stats.seconds.get(stage, 0.0) for r in self.reports for stage in self.model_stages
        )
        return {
            "calls": sum(u.total.calls for u in usages),
            "prompt_tokens": sum(u.total.prompt_tokens for u in usages),
            "completion_tokens": completion,
            "unjudged_pairs": sum(r.stats.unjudged_pairs for r in self.reports),
            "seconds": round(self.seconds, 1),
            # Over the stages that called the model (an offline stage's time left out).
            "completion_tokens_per_s": round(completion / model_seconds, 1)
            if model_seconds and completion
            else None,
        }


def run_eval(
    args: argparse.Namespace,
    config: LLMConfig,
    tmp: Path,
    name: str,
    stage: Literal["pipeline", "judge"],
    predictor: Predictor,
    fixtures: Path,
    extract: str | None = None,
    judge: str | None = None,
) -> Row:
    """One eval through the eval's own command (nothing gated); its figures and usage."""
    if stage == "judge":
        model_stages = ["judge"] if judge == "llm" else []
    else:  # the pipeline times extraction, then pairing and judging as "reconcile"
        model_stages = [s for s, b in (("extract", extract), ("reconcile", judge)) if b == "llm"]
    recorder = Recorder(model_stages)
    out = tmp / f"{name}.json"
    console = Console(file=sys.stdout if args.verbose else io.StringIO(), width=200)
    started = time.perf_counter()
    eval_command(
        "offline",
        fixtures,
        args.cases or None,
        tmp / "no-baseline.json",  # nothing is gated here
        False,
        out,
        console,
        predict=recorder.wrap(predictor),
        llm=config,
        extract=extract,
        judge=judge,
        stage=stage,
    )
    results = json.loads(out.read_text())
    print(f"  {name}: {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return {"name": name, "figures": results["overall"]["figures"], **recorder.totals()}


def own_cache(args: argparse.Namespace, config: LLMConfig, tmp: Path, name: str) -> LLMConfig:
    """A fresh cache per run (one run's answers never make another look cheap), unless
    --cache-dir names one to share and keep."""
    if args.cache_dir is not None:
        return config
    return config.model_copy(update={"cache_dir": tmp / f"cache-{name}"})


def judge_rows(args: argparse.Namespace, config: LLMConfig, tmp: Path, model: str) -> list[Row]:
    fixtures = trimmed_fixtures(args.cases, args.pairs, tmp) if args.pairs else FIXTURES
    runs: list[tuple[str, str, Callable[[LLMConfig], Predictor], str | None]] = [
        ("offline judge", "judge-offline", lambda c: judge_predictor("offline", c), "offline"),
        (f"llm:{model}, judge before issue 13", "judge-before", before_predictor, "llm"),
        (f"llm:{model}, current judge", "judge-llm", lambda c: judge_predictor("llm", c), "llm"),
    ]
    rows: list[Row] = []
    for shown, name, make, judge in runs:
        if args.no_before and name == "judge-before":
            continue
        run_config = own_cache(args, config, tmp, name)
        predictor = make(run_config)
        row = run_eval(args, run_config, tmp, name, "judge", predictor, fixtures, None, judge)
        rows.append({**row, "name": shown})
    return rows


def pipeline_rows(args: argparse.Namespace, config: LLMConfig, tmp: Path) -> list[Row]:
    rows: list[Row] = []
    for combo in args.combos:
        extract, judge = combo.split("/")
        name = f"{extract}-{judge}"
        run_config = own_cache(args, config, tmp, name)
        capped: list[CappedJudging] = []
        predictor = capped_predictor(run_config, extract, judge, args.max_judged, capped)
        row = run_eval(args, run_config, tmp, name, "pipeline", predictor, FIXTURES, extract, judge)
        rows.append({**row, "name": combo, "left_out_by_cap": sum(c.left_out for c in capped)})
    return rows


# -- printing -----------------------------------------------------------------------------------

Column = tuple[str, Callable[[Row], object]]
PIPELINE_COLUMNS: list[Column] = [
    ("extract/judge", lambda r: r["name"]),
    ("P", lambda r: r["figures"].get("precision")),
    ("R (required)", lambda r: r["figures"].get("recall")),
    ("F1", lambda r: r["figures"].get("f1")),
    ("extraction coverage", lambda r: r["figures"].get("extraction_coverage")),
    ("candidate recall", lambda r: r["figures"].get("candidate_recall")),
    ("judge accuracy", lambda r: r["figures"].get("judge_accuracy")),
    ("unjudged", lambda r: r["unjudged_pairs"]),
    ("calls", lambda r: r["calls"]),
    ("tokens", lambda r: r["prompt_tokens"] + r["completion_tokens"]),
    ("seconds", lambda r: r["seconds"]),
    ("out tok/s", lambda r: r["completion_tokens_per_s"]),
]
JUDGE_COLUMNS: list[Column] = [
    ("judge", lambda r: r["name"]),
    ("contradictions", lambda r: r["figures"].get("stage_contradiction_accuracy")),
    ("traps", lambda r: r["figures"].get("stage_trap_accuracy")),
    ("agreements", lambda r: r["figures"].get("stage_agreement_accuracy")),
    ("type", lambda r: r["figures"].get("stage_type_accuracy")),
    ("pairs", lambda r: r["figures"].get("stage_pairs")),
    ("unjudged", lambda r: r["unjudged_pairs"]),
    ("calls", lambda r: r["calls"]),
    ("seconds", lambda r: r["seconds"]),
    ("out tok/s", lambda r: r["completion_tokens_per_s"]),
]


def _cell(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def table(rows: list[Row], columns: list[Column]) -> str:
    """A Markdown table (paste it into the README)."""
    lines = ["| " + " | ".join(title for title, _ in columns) + " |"]
    lines.append("|" + "---|" * len(columns))
    for row in rows:
        lines.append("| " + " | ".join(_cell(get(row)) for _, get in columns) + " |")
    return "\n".join(lines)


def _csv(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--base-url", help="the endpoint, …/v1 (default OPENAI_BASE_URL)")
    parser.add_argument("--model", help="the model the endpoint serves (default RECONCILE_MODEL)")
    parser.add_argument("--fake", action="store_true", help="the project's fake endpoint")
    parser.add_argument("--cases", type=_csv, help="only these eval cases: a,b")
    parser.add_argument("--pairs", type=int, help="judge stage: at most N pairs a class a case")
    parser.add_argument("--max-judged", type=int, help="eval: at most N pairs judged a case")
    parser.add_argument("--combos", type=_csv, default=COMBINATIONS, help="extract/judge,...")
    parser.add_argument("--only", choices=["judge", "pipeline"], help="one part only")
    parser.add_argument("--no-before", action="store_true", help="skip the judge before issue 13")
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--pairs-per-call", type=int, default=None)
    parser.add_argument("--cache-dir", type=Path, help="share this LLM cache (default: fresh)")
    parser.add_argument("--out", type=Path, help="results JSON")
    parser.add_argument("--verbose", action="store_true", help="print each eval's own output")
    args = parser.parse_args(argv)
    unknown = [c for c in args.combos if c not in COMBINATIONS]
    if unknown:
        parser.error(f"unknown combination(s) {', '.join(unknown)}: use {', '.join(COMBINATIONS)}")
    return args


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    started = time.perf_counter()
    with (
        tempfile.TemporaryDirectory(prefix="llm-matrix-") as tmp_name,
        endpoint(args) as (url, model, fake),
    ):
        tmp = Path(tmp_name)
        config = load_config(
            model=model,
            base_url=url,
            concurrency=args.concurrency,
            timeout=args.timeout,
            max_attempts=2,
            pairs_per_call=args.pairs_per_call,
            cache_dir=args.cache_dir or tmp / "cache",
        )
        where = "the project's fake endpoint, plumbing only" if fake else url
        print(f"{model} at {where}", file=sys.stderr)
        speed = tokens_per_second(config)
        print(f"  calibration: {speed} completion tokens/s", file=sys.stderr)
        judged = judge_rows(args, config, tmp, model) if args.only != "pipeline" else []
        pipeline = pipeline_rows(args, config, tmp) if args.only != "judge" else []
    limits = {"cases": args.cases, "pairs": args.pairs, "max_judged": args.max_judged}
    print(f"\n{model} ({where}): {speed} completion tokens/s (calibration)")
    print(f"limits: {json.dumps(limits)}; {time.perf_counter() - started:.0f} s in all")
    if judged:
        print("\nThe judge alone on the labelled pairs (reconcile eval --stage judge)\n")
        print(table(judged, JUDGE_COLUMNS))
    if pipeline:
        print("\nThe eval per extract/judge combination (reconcile eval --extract X --judge Y)\n")
        print(table(pipeline, PIPELINE_COLUMNS))
    out = args.out or ROOT / "bench" / "results" / f"llm-matrix-{model_slug(model)}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    results = {"model": model, "endpoint": where, "fake": fake, "tokens_per_s": speed}
    results |= {"limits": limits, "judge": judged, "pipeline": pipeline}
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nResults: {out}")


if __name__ == "__main__":
    main()
