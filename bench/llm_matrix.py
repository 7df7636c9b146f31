"""Every extract/judge combination on the eval, and the judge alone, against one endpoint.

    python -m bench.llm_matrix --base-url URL --model M [--case NAME]... [--concurrency 1]
                               [--timeout 600] [--before REV] [--cache-dir DIR] [--out FILE]
    python -m bench.llm_matrix --fake            # the project's fake endpoint: plumbing only

First one calibration request measures the endpoint's generation speed (completion tokens a
second, a short prompt asking for a long answer): the machine's tokens/s. Then, for each of
offline/offline, offline/llm, llm/offline and llm/llm (extraction/judging), the eval's own
code (agent.evals.command.eval_command, in this process, nothing gated, a fresh cache for
each run unless --cache-dir) over the fixtures, printing P, R (required), F1, extraction
coverage, candidate recall, judge accuracy, calls, tokens, seconds and tokens/s of the run.
Then `--stage judge` for the offline judge and the model, accuracy per class (contradictions, traps, agreements),
type accuracy, calls and seconds; with `--before REV`, also the model judged with the judge
prompt and schema of that git revision (the prompt before issue 13 is at ac6dc83): the
"before" of the prompt change.

With --fake the endpoint is tests/support/fake_openai.py's stand-in model (it quotes sentences
and judges every pair unrelated): the figures say the plumbing works, nothing about a model.
The results are written as JSON (default bench/results/llm-matrix-<model>.json).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any, Literal

import openai
from jinja2 import Template
from pydantic import Field
from rich.console import Console

from agent.backends.llm import prompts
from agent.backends.llm.client import StructuredClient
from agent.backends.llm.config import LLMConfig, load_config
from agent.base import Lenient
from agent.evals.baseline import model_slug
from agent.evals.command import eval_command
from agent.evals.fixtures import Case
from agent.evals.judge_stage import judge_predictor, labelled_pairs
from agent.evals.runner import Prediction, Predictor, pipeline_predictor
from agent.ingest import ingest
from agent.models import ContradictionType, Judgement, LLMRunInfo, Report, RunStats
from agent.pairing import Candidate
from agent.trace import PipelineTrace
from tests.support.fake_openai import FakeOpenAI, RecordedRequest, Reply, quoting_model

ROOT = Path(__file__).resolve().parent.parent
COMBINATIONS = [("offline", "offline"), ("offline", "llm"), ("llm", "offline"), ("llm", "llm")]
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
def endpoint(args: argparse.Namespace) -> Iterator[tuple[str, str]]:
    """(base URL, model): the fake server's while the block runs, or the given ones."""
    if not args.fake:
        yield args.base_url, args.model
        return
    with FakeOpenAI() as server:
        server.handler = _fake_model
        yield server.base_url, "fake-quoting-model"


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


# -- running the eval ---------------------------------------------------------------------------


class Recorder:
    """Wraps a predictor: each case's model usage and wall time."""

    def __init__(self) -> None:
        self.usages: list[LLMRunInfo] = []
        self.seconds = 0.0

    def wrap(self, inner: Predictor) -> Predictor:
        def predict(case: Case) -> Report | Prediction:
            started = time.perf_counter()
            predicted = inner(case)
            self.seconds += time.perf_counter() - started
            report = predicted.report if isinstance(predicted, Prediction) else predicted
            if report.llm is not None:
                self.usages.append(report.llm)
            return predicted

        return predict

    def totals(self) -> dict[str, Any]:
        calls = sum(u.total.calls for u in self.usages)
        prompt = sum(u.total.prompt_tokens for u in self.usages)
        completion = sum(u.total.completion_tokens for u in self.usages)
        return {
            "calls": calls,
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "seconds": round(self.seconds, 1),
            "completion_tokens_per_s": round(completion / self.seconds, 1)
            if self.seconds and completion
            else None,
        }


def run_eval(
    args: argparse.Namespace,
    config: LLMConfig,
    tmp: Path,
    name: str,
    stage: Literal["pipeline", "judge"],
    make_predictor: Callable[[LLMConfig], Predictor],
    backend: str = "offline",
    extract: str | None = None,
    judge: str | None = None,
) -> Row:
    """One eval through the eval's own command; its figures and the recorded usage. Each run
    gets a cache of its own (so one combination's answers never make another's calls look
    cheap), unless --cache-dir names one to share and keep."""
    recorder = Recorder()
    if args.cache_dir is None:
        config = config.model_copy(update={"cache_dir": tmp / f"cache-{name}"})
    out = tmp / f"{name}.json"
    console = Console(file=sys.stdout if args.verbose else io.StringIO(), width=200)
    eval_command(
        backend,
        ROOT / "evals" / "fixtures",
        args.case or None,
        tmp / "no-baseline.json",  # nothing is gated here
        False,
        out,
        console,
        predict=recorder.wrap(make_predictor(config)),
        llm=config,
        extract=extract,
        judge=judge,
        stage=stage,
    )
    results = json.loads(out.read_text())
    print(f"  {name}: {recorder.seconds:.0f} s", file=sys.stderr)
    return {"name": name, "figures": results["overall"]["figures"], **recorder.totals()}


# -- the judge before issue 13 (for --before) ---------------------------------------------------


class OldVerdict(Lenient):
    """The verdict schema before issue 13 (copied from agent/backends/llm/schemas.py at
    ac6dc83): summary and a confidence number, no disputed element."""

    pair: int = Field(ge=1)
    """The pair's number in the prompt."""
    relation: Literal["agree", "contradict", "unrelated"]
    """How the two claims relate."""
    type: ContradictionType | None = None
    """The contradiction type, when relation is contradict."""
    summary: str = Field(default="", max_length=300)
    """One sentence on what is agreed or disputed."""
    confidence: float = Field(default=0.5, ge=0.0, le=1.0)
    """How sure the model is."""


class OldJudging(Lenient):
    """The model's answer to the judging prompt (before issue 13)."""

    verdicts: list[OldVerdict] = Field(max_length=20)
    """One verdict per pair."""


def _template_at(rev: str, name: str) -> str:
    done = subprocess.run(
        ["git", "show", f"{rev}:prompts/{name}.j2"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def old_judge_predictor(rev: str, config: LLMConfig) -> Predictor:
    """The labelled pairs judged as the judge of revision `rev` did: its system and judge
    templates (rendered with today's fence), its schema, 8 pairs a call."""
    env = prompts.environment()
    system = env.from_string(_template_at(rev, "system")).render()
    judge_t: Template = env.from_string(_template_at(rev, "judge"))

    def predict(case: Case) -> Prediction:
        paths = [case.article_paths[aid] for aid in sorted(case.article_paths)]
        articles = {a.id: a for a in ingest(paths).articles}
        pairs = labelled_pairs(case, articles)
        candidates = [Candidate(p.a, p.b, 0.0, 0.0, (), "lexical") for p in pairs]

        def date(article_id: str) -> str:
            published = articles[article_id].published
            return published.isoformat() if published else ""

        async def work(client: StructuredClient) -> list[Judgement]:
            out: list[Judgement] = []
            for start in range(0, len(candidates), 8):
                batch = candidates[start : start + 8]
                shown = [
                    {
                        "a": c.a,
                        "b": c.b,
                        "a_date": date(c.a.article_id),
                        "b_date": date(c.b.article_id),
                    }
                    for c in batch
                ]
                messages = [
                    {"role": "system", "content": system},
                    {"role": "user", "content": judge_t.render(pairs=shown)},
                ]
                answer = await client.structured("judge", messages, OldJudging, f"before:{rev}")
                given = {v.pair: v for v in answer.verdicts}
                for n, c in enumerate(batch, start=1):
                    v = given.get(n)
                    relation = v.relation if v is not None else "unjudged"
                    out.append(
                        Judgement(
                            a=c.a.id,
                            b=c.b.id,
                            relation=relation,
                            type=v.type if v is not None and relation == "contradict" else None,
                            confidence=v.confidence if v is not None else 0.0,
                        )
                    )
            return out

        async def main() -> tuple[list[Judgement], StructuredClient]:
            client = StructuredClient(config, None)
            try:
                return await work(client), client
            finally:
                await client.close()

        started = time.perf_counter()
        judgements, client = asyncio.run(main())
        seconds = time.perf_counter() - started
        usage = LLMRunInfo(
            model=config.model,
            endpoint=config.endpoint,
            stages=dict(client.accounting.stages),
            total=client.accounting.total(),
            requests=client.requests_sent,
        )
        claims = {c.id: c for p in pairs for c in (p.a, p.b)}
        report = Report(
            backend=f"llm:{config.model}",
            articles=sorted(articles.values(), key=lambda a: a.id),
            claims=list(claims.values()),
            stats=RunStats(seconds={"judge": round(seconds, 3)}),
            llm=usage,
        )
        trace = PipelineTrace()
        trace.record(candidates, judgements)
        return Prediction(report, trace)

    return predict


# -- printing -----------------------------------------------------------------------------------

PIPELINE_COLUMNS: list[tuple[str, str, Callable[[Row], object]]] = [
    ("extract/judge", "name", lambda r: r["name"]),
    ("P", "", lambda r: r["figures"].get("precision")),
    ("R (req)", "", lambda r: r["figures"].get("recall")),
    ("F1", "", lambda r: r["figures"].get("f1")),
    ("extr. cov.", "", lambda r: r["figures"].get("extraction_coverage")),
    ("cand. recall", "", lambda r: r["figures"].get("candidate_recall")),
    ("judge acc", "", lambda r: r["figures"].get("judge_accuracy")),
    ("calls", "", lambda r: r["calls"]),
    ("tokens", "", lambda r: r["prompt_tokens"] + r["completion_tokens"]),
    ("seconds", "", lambda r: r["seconds"]),
    ("out tok/s", "", lambda r: r["completion_tokens_per_s"]),
]
JUDGE_COLUMNS: list[tuple[str, str, Callable[[Row], object]]] = [
    ("judge", "name", lambda r: r["name"]),
    ("contradictions", "", lambda r: r["figures"].get("stage_contradiction_accuracy")),
    ("traps", "", lambda r: r["figures"].get("stage_trap_accuracy")),
    ("agreements", "", lambda r: r["figures"].get("stage_agreement_accuracy")),
    ("type", "", lambda r: r["figures"].get("stage_type_accuracy")),
    ("pairs", "", lambda r: r["figures"].get("stage_pairs")),
    ("calls", "", lambda r: r["calls"]),
    ("seconds", "", lambda r: r["seconds"]),
]


def _cell(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def table(rows: list[Row], columns: list[tuple[str, str, Callable[[Row], object]]]) -> str:
    """A Markdown table (paste it into the README)."""
    lines = ["| " + " | ".join(title for title, _, _ in columns) + " |"]
    lines.append("|" + "---|" * len(columns))
    for row in rows:
        lines.append("| " + " | ".join(_cell(get(row)) for _, _, get in columns) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", help="the endpoint (…/v1)")
    parser.add_argument("--model", help="the model name the endpoint serves")
    parser.add_argument("--fake", action="store_true", help="the project's fake endpoint")
    parser.add_argument("--case", action="append", help="only this eval case (repeatable)")
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--pairs-per-call", type=int, default=None)
    parser.add_argument("--before", metavar="REV", help="also judge with the prompt of REV")
    parser.add_argument("--skip-pipeline", action="store_true", help="only the judge stage")
    parser.add_argument("--cache-dir", type=Path, help="reuse this LLM cache (default: fresh)")
    parser.add_argument("--out", type=Path, help="results JSON")
    parser.add_argument("--verbose", action="store_true", help="print each eval's own output")
    args = parser.parse_args()
    if not args.fake and not (args.base_url and args.model):
        parser.error("give --base-url and --model, or --fake")
    with (
        tempfile.TemporaryDirectory(prefix="llm-matrix-") as tmp_name,
        endpoint(args) as (
            url,
            model,
        ),
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
        speed = tokens_per_second(config)
        print(f"{model} at {url}: {speed} completion tokens/s (calibration)", file=sys.stderr)
        pipeline: list[Row] = []
        if not args.skip_pipeline:
            for extract, judge in COMBINATIONS:
                predictor = partial(pipeline_predictor, "offline", extract=extract, judge=judge)
                name = f"{extract}/{judge}"
                row = run_eval(
                    args,
                    config,
                    tmp,
                    name.replace("/", "-"),
                    "pipeline",
                    predictor,
                    extract=extract,
                    judge=judge,
                )
                pipeline.append({**row, "name": name})
        judged: list[Row] = []
        for judge in ("offline", "llm"):
            row = run_eval(
                args,
                config,
                tmp,
                f"judge-{judge}",
                "judge",
                partial(judge_predictor, "offline", judge=judge),
                judge=judge,
            )
            judged.append({**row, "name": judge if judge == "offline" else f"llm:{model}"})
        if args.before:
            row = run_eval(
                args,
                config,
                tmp,
                "judge-before",
                "judge",
                partial(old_judge_predictor, args.before),
                backend="llm",
            )
            judged.append({**row, "name": f"llm:{model}, prompt of {args.before}"})
    print(f"\n{model} ({'fake endpoint, plumbing only' if args.fake else url}), {speed} tokens/s")
    if pipeline:
        print("\nThe eval per extract/judge combination\n")
        print(table(pipeline, PIPELINE_COLUMNS))
    print("\nThe judge alone on the labelled pairs (reconcile eval --stage judge)\n")
    print(table(judged, JUDGE_COLUMNS))
    out = args.out or ROOT / "bench" / "results" / f"llm-matrix-{model_slug(model)}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    results = {"model": model, "fake": args.fake, "tokens_per_s": speed}
    out.write_text(json.dumps({**results, "pipeline": pipeline, "judge": judged}, indent=2) + "\n")
    print(f"\nResults: {out}")


if __name__ == "__main__":
    main()
