"""How reconcile behaves as the work grows: synthetic corpora of 10, 100 and 1,000 articles.

Offline backend, each size in a fresh process (so peak memory is that run's own): wall time,
articles per second, peak memory (the main process and the largest parsing worker), claims,
candidate pairs judged, pairs per claim (it must stay flat: pairing is linear),
contradictions, the caps on flags that bit, the size of the output folder (report.json,
report.md, report.html, the article copies), and how many planted contradictions were found.
Plus one feed of 1,000 articles on a single story, where every word of the story is common
(the case a fixed cap on posting lists got wrong), and a feed of 2,000 real-size articles:
copies of seeds/ with light, seeded edits (tests/support/seed_copies.py), near-copies that
contradict each other everywhere.

LLM backend against the project's fake OpenAI-compatible server with a simulated latency per
call: wall time at several concurrencies, calls per article (and what the dry run forecast),
tokens per article, and the re-run from cache (its time as a share of the first run's, and its
HTTP requests, which must be 0); then offline extraction with the LLM judge.

Prints one table per backend and writes everything as JSON, so two commits can be compared
(`--compare OLD.json`). A benchmark that prints figures; nothing here is asserted.

    python -m bench.scale [--sizes 10 100 1000] [--seed-copies 2000] [--workers N]
                          [--llm-articles 60] [--latency 0.3] [--concurrency 1 8 32]
                          [--skip-llm] [--skip-offline]
                          [--out bench/results/scale.json] [--compare OLD.json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from agent.backends.llm.config import LLMConfig
from agent.backends.offline import OfflineBackend
from agent.pipeline import estimate_run, run_pipeline
from agent.report_files import publish
from tests.support.corpus import Corpus, generate
from tests.support.fake_openai import FakeOpenAI, quoting_model
from tests.support.seed_copies import write_copies

ROOT = Path(__file__).resolve().parent.parent
Row = dict[str, Any]


# -- offline ---------------------------------------------------------------------------------
def offline_child(folder: Path, workers: int | None) -> None:
    """Run in a fresh process: reconcile `folder` once and write the report files beside it,
    print the figures as JSON."""
    start = time.perf_counter()
    report = run_pipeline([folder], backend=OfflineBackend(workers=workers))
    out = folder.with_name(folder.name + "-out")
    publish(report, out)
    seconds = time.perf_counter() - start
    manifest = folder / "planted.json"
    planted = json.loads(manifest.read_text()) if manifest.exists() else []
    found = sum(1 for p in planted if _found(p, report.contradictions))
    output = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    usage = resource.getrusage(resource.RUSAGE_SELF)
    workers_usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    own, kids = usage.ru_maxrss / 1024, workers_usage.ru_maxrss / 1024
    # CPU time too: on a shared machine the wall time measures the other load as well.
    cpu = sum(u.ru_utime + u.ru_stime for u in (usage, workers_usage))
    stats = report.stats
    print(
        json.dumps(
            {
                "articles": stats.articles,
                "seconds": round(seconds, 2),
                "cpu_s": round(cpu, 1),
                "articles_per_s": round(stats.articles / seconds, 1),
                "peak_mb": round(own),
                "worker_peak_mb": round(kids),
                "claims": stats.claims,
                "pairs": stats.candidate_pairs,
                "pairs_per_claim": round(stats.candidate_pairs / max(stats.claims, 1), 2),
                "contradictions": len(report.contradictions),
                "capped": sum(hit["dropped"] for hit in stats.model_dump().get("capped", [])),
                "output_mb": round(output / 1e6, 1),
                "planted": len(planted),
                "planted_found": found,
                "stages": stats.seconds,
            }
        )
    )


def _found(planted: dict[str, Any], contradictions: list[Any]) -> bool:
    """A planted contradiction is found when one flag has a side in B's sentence and the other
    in A's (or in an article repeating A word for word)."""
    a_places = [planted["a"], *planted.get("a_repeats", [])]

    def inside(side: Any, where: list[Any]) -> bool:
        article, start, end = where
        return bool(side.article_id == article and side.start < end and start < side.end)

    def a_side(side: Any) -> bool:
        return any(inside(side, where) for where in a_places)

    return any(
        (a_side(x) and inside(y, planted["b"])) or (a_side(y) and inside(x, planted["b"]))
        for c in contradictions
        for x, y in [c.sides[:2]]
    )


def offline_rows(sizes: list[int], copies: int, workers: int | None, tmp: Path) -> list[Row]:
    runs: list[tuple[str, Corpus | int]] = [(str(n), generate(n)) for n in sizes]
    if sizes and max(sizes) >= 1000:
        runs.append(("1000, one story", generate(1000, story_size=(1000, 1000))))
    if copies:
        runs.append((f"{copies} seed copies", copies))
    rows: list[Row] = []
    for label, corpus in runs:
        folder = tmp / f"offline-{label.replace(', ', '-').replace(' ', '-')}"
        if isinstance(corpus, Corpus):
            corpus.write(folder)
        else:
            write_copies(ROOT / "seeds", folder, corpus)
        command = [sys.executable, "-m", "bench.scale", "--child-offline", str(folder)]
        if workers is not None:
            command += ["--workers", str(workers)]
        done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
        row = {"corpus": label, **json.loads(done.stdout.strip().splitlines()[-1])}
        rows.append(row)
        print(f"  offline {label}: {row['seconds']} s", file=sys.stderr)
    return rows


# -- LLM ---------------------------------------------------------------------------------------
def llm_rows(n: int, latency: float, levels: list[int], tmp: Path) -> list[Row]:
    """The LLM backend (extraction and judging) at each concurrency, then offline extraction
    with the LLM judge at the highest one; each with the dry run's forecast of its calls."""
    folder = tmp / "llm-articles"
    generate(n).write(folder)
    rows: list[Row] = []
    runs = [("llm", conc) for conc in levels] + [("offline", max(levels))]
    with FakeOpenAI(latency=latency) as server:
        server.handler = quoting_model
        for extract, conc in runs:
            config = LLMConfig(
                model="bench-model",
                base_url=server.base_url,
                api_key=SecretStr("bench"),
                concurrency=conc,
                cache_dir=tmp / f"llm-cache-{extract}-{conc}",
            )
            forecast = estimate_run([folder], config, backend="llm", extract=extract)
            predicted = int(str(forecast["extract_calls"])) + int(str(forecast["judge_calls"]))
            sent_before = len(server.requests)
            start = time.perf_counter()
            report = run_pipeline([folder], backend="llm", extract=extract, llm=config)
            first = time.perf_counter() - start
            sent = len(server.requests)
            start = time.perf_counter()
            run_pipeline([folder], backend="llm", extract=extract, llm=config)
            again = time.perf_counter() - start
            assert report.llm is not None
            total = report.llm.total
            rows.append(
                {
                    "articles": n,
                    "stages": f"{extract}/llm",
                    "concurrency": conc,
                    "seconds": round(first, 2),
                    "calls_per_article": round(total.calls / n, 2),
                    "dry_run_calls_per_article": round(predicted / n, 2),
                    "http_requests": sent - sent_before,
                    "tokens_per_article": round(
                        (total.prompt_tokens + total.completion_tokens) / n
                    ),
                    "rerun_seconds": round(again, 2),
                    "rerun_share": round(again / first, 3),
                    "rerun_http_requests": len(server.requests) - sent,
                }
            )
            print(f"  llm {extract}/llm concurrency {conc}: {first:.1f} s", file=sys.stderr)
    return rows


# -- output ----------------------------------------------------------------------------------
OFFLINE_COLUMNS = [
    ("corpus", "articles"),
    ("seconds", "wall s"),
    ("cpu_s", "CPU s"),
    ("articles_per_s", "art/s"),
    ("peak_mb", "peak MB"),
    ("worker_peak_mb", "worker MB"),
    ("claims", "claims"),
    ("pairs", "pairs"),
    ("pairs_per_claim", "pairs/claim"),
    ("contradictions", "flags"),
    ("capped", "flags capped"),
    ("output_mb", "output MB"),
    ("planted_found", "planted found"),
    ("planted", "of planted"),
]
LLM_COLUMNS = [
    ("stages", "extract/judge"),
    ("concurrency", "concurrency"),
    ("seconds", "wall s"),
    ("calls_per_article", "calls/art"),
    ("dry_run_calls_per_article", "dry run c/a"),
    ("tokens_per_article", "tokens/art"),
    ("rerun_seconds", "re-run s"),
    ("rerun_share", "re-run share"),
    ("rerun_http_requests", "re-run HTTP"),
]


def table(rows: list[Row], columns: list[tuple[str, str]], old: list[Row] | None) -> str:
    """A plain text table; with `old` rows (same order), each figure gets its old value."""
    lines = ["  ".join(f"{title:>13}" for _, title in columns)]
    for i, row in enumerate(rows):
        cells = []
        for key, _ in columns:
            cell = str(row.get(key, ""))
            before = old[i].get(key) if old and i < len(old) else None
            if isinstance(before, int | float) and before != row.get(key):
                cell += f" ({before})"
            cells.append(f"{cell:>13}")
        lines.append("  ".join(cells))
    return "\n".join(lines)


def git_commit() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    )
    return done.stdout.strip() or "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10, 100, 1000])
    parser.add_argument(
        "--seed-copies",
        type=int,
        default=2000,
        help="articles in the feed of seed copies (0: none)",
    )
    parser.add_argument("--workers", type=int, default=None, help="offline parsing processes")
    parser.add_argument("--llm-articles", type=int, default=60)
    parser.add_argument("--latency", type=float, default=0.3)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--skip-llm", action="store_true")
    parser.add_argument("--skip-offline", action="store_true")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "scale.json")
    parser.add_argument("--compare", type=Path, help="an earlier results file")
    parser.add_argument("--child-offline", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_offline:
        offline_child(args.child_offline, args.workers)
        return
    old = json.loads(args.compare.read_text()) if args.compare else {}
    results: dict[str, Any] = {
        "commit": git_commit(),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "offline_workers": args.workers,
        "offline": [],
        "llm": [],
        "llm_latency_s": args.latency,
    }
    with tempfile.TemporaryDirectory() as tmp:
        if not args.skip_offline:
            results["offline"] = offline_rows(args.sizes, args.seed_copies, args.workers, Path(tmp))
        if not args.skip_llm:
            results["llm"] = llm_rows(args.llm_articles, args.latency, args.concurrency, Path(tmp))
    against = f", compared with {old.get('commit')} in brackets" if old else ""
    print(f"reconcile at {results['commit']} on {results['cpus']} CPUs{against}")
    if results["offline"]:
        print("\nOffline backend (fresh process per corpus, model load included)")
        print(table(results["offline"], OFFLINE_COLUMNS, old.get("offline")))
    if results["llm"]:
        print(
            f"\nLLM backend vs the fake server, {args.latency * 1000:.0f} ms a call, "
            f"{args.llm_articles} articles"
        )
        print(table(results["llm"], LLM_COLUMNS, old.get("llm")))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nResults: {args.out}")


if __name__ == "__main__":
    main()
