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

Stories and disputes (issue 12): each offline row also gives the stories, near-duplicate
copies, folded claims, disputes, disputes or flags that join two stories (must be 0), the time
the grouping takes (copies, stories and folding before pairing, disputes after judging) as a
share of the run, and the size of report.json, report.md, report.html and the whole output
folder (as rendered, article copies included). Extra rows: the seeds (the aid dispute's sides,
the truce-scope dispute's positions) and feeds of real-size articles: copies of seeds/ with
light, seeded edits (tests/support/seed_copies.py; --seed-copies 200 2000), near-copies that
contradict each other everywhere. Each offline row also gives the CPU time (on a shared
machine the wall time measures the other load as well), the flags the caps dropped, and the
output folder as written on disk. The targets of issue 12 are printed last.

Prints one table per backend and writes everything as JSON, so two commits can be compared
(`--compare OLD.json`). A benchmark that prints figures; nothing here is asserted.

    python -m bench.scale [--sizes 10 100 1000] [--seed-copies 200 2000] [--skip-seeds]
                          [--workers N] [--llm-articles 60] [--latency 0.3]
                          [--concurrency 1 8 32] [--skip-llm] [--skip-offline]
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
from agent.models import Report
from agent.pipeline import estimate_run, run_pipeline
from agent.report_files import publish, report_files
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
                **story_figures(report, seconds),
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


def story_figures(report: Report, seconds: float) -> Row:
    """Stories, copies, disputes, what crosses two stories, the grouping's time and the size of
    the output (rendered as it would be written; report.md, report.json and report.html)."""
    story_of = {aid: s.id for s in report.stories for aid in s.article_ids}
    crossing = sum(
        1
        for d in report.disputes
        if len({story_of[s.article_id] for p in d.positions for s in p.sides}) > 1
    )
    flags_crossing = sum(
        1 for c in report.contradictions if len({story_of[s.article_id] for s in c.sides}) > 1
    )
    grouping = report.stats.seconds.get("stories", 0.0) + report.stats.seconds.get("disputes", 0.0)
    files = report_files(report)
    return {
        "stories": len(report.stories),
        "copies": report.stats.copies,
        "folded_claims": report.stats.folded_claims,
        "disputes": len(report.disputes),
        "disputes_crossing": crossing,
        "flags_crossing": flags_crossing,
        "grouping_s": round(grouping, 2),
        "grouping_share": round(grouping / seconds, 3),
        "json_mb": round(len(files["report.json"]) / 1e6, 2),
        "md_mb": round(len(files["report.md"]) / 1e6, 2),
        "html_mb": round(len(files["report.html"]) / 1e6, 2),
        "out_mb": round(sum(len(b) for b in files.values()) / 1e6, 1),
    }


def seeds_child(folder: Path) -> None:
    """Run in a fresh process: the seeds' two disputes the issue names, as JSON."""
    start = time.perf_counter()
    report = run_pipeline([folder], backend=OfflineBackend())
    seconds = time.perf_counter() - start

    def dispute_of(words: str) -> Any:
        for d in report.disputes:
            if any(words in s.quote for p in d.positions for s in p.sides):
                return d
        return None

    aid = dispute_of("complete cessation of foreign military aid")
    truce = dispute_of("only covered energy plants")
    sides = [s for p in aid.positions for s in p.sides] if aid else []
    named = ("cessation of foreign military aid", "who joined Trump in denying", "at all")
    print(
        json.dumps(
            {
                **story_figures(report, seconds),
                "articles": report.stats.articles,
                "seconds": round(seconds, 2),
                "contradictions": len(report.contradictions),
                "aid_sides": len(sides),
                "aid_named_sides": sum(1 for n in named if any(n in s.quote for s in sides)),
                "aid_positions": len(aid.positions) if aid else 0,
                "truce_claimants": sorted(c for p in truce.positions for c in p.claimants)
                if truce
                else [],
                "truce_positions": len(truce.positions) if truce else 0,
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


def offline_rows(
    sizes: list[int], workers: int | None, tmp: Path, copies: list[int] | None = None
) -> list[Row]:
    runs: list[tuple[str, Corpus | int]] = [(str(n), generate(n)) for n in sizes]
    if sizes and max(sizes) >= 1000:
        runs.append(("1000, one story", generate(1000, story_size=(1000, 1000))))
    for n in copies or []:
        runs.append((f"{n} seed copies", n))
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


def seeds_row(tmp: Path) -> Row:
    folder = tmp / "seeds"
    folder.mkdir()
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        (folder / path.name).write_bytes(path.read_bytes())
    command = [sys.executable, "-m", "bench.scale", "--child-seeds", str(folder)]
    done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
    return {"corpus": "seeds", **json.loads(done.stdout.strip().splitlines()[-1])}


def targets(results: dict[str, Any]) -> list[str]:
    """The targets of issue 12, each with what was measured and whether it is met."""
    rows = {row["corpus"]: row for row in results["offline"]}
    lines: list[str] = []

    def check(name: str, ok: bool | None, measured: str) -> None:
        verdict = "n/a" if ok is None else ("met" if ok else "NOT MET")
        lines.append(f"  {verdict:>7}  {name}: {measured}")

    seeds = results.get("seeds") or {}
    if seeds:
        check(
            "seeds: the aid dispute is one dispute, >= 3 sides (readout, Waltz, Trump)",
            seeds["aid_named_sides"] == 3,
            f"{seeds['aid_sides']} sides in {seeds['aid_positions']} positions, "
            f"{seeds['aid_named_sides']} of the 3 named",
        )
        check(
            "seeds: the energy-truce scope is one dispute, Moscow's and US officials' positions",
            seeds["truce_claimants"] == ["Moscow", "US officials"],
            f"{seeds['truce_positions']} positions held by {', '.join(seeds['truce_claimants'])}",
        )
    if seeds and "200 seed copies" in rows:
        n = rows["200 seed copies"]["disputes"]
        check(
            "200 edited seed copies: at most 3x the seeds' disputes",
            n <= 3 * seeds["disputes"],
            f"{n} disputes (seeds: {seeds['disputes']})",
        )
    if "1000" in rows:
        row = rows["1000"]
        check(
            "1,000 synthetic articles: every dispute inside one story",
            row["disputes_crossing"] == 0 and row["flags_crossing"] == 0,
            f"{row['disputes_crossing']} disputes, {row['flags_crossing']} flags cross a story",
        )
        check(
            "1,000 synthetic articles: planted found >= 302 of 662",
            row["planted_found"] >= 302,
            f"{row['planted_found']} of {row['planted']}",
        )
        check(
            "1,000 synthetic articles: report.html <= 10 MB",
            row["html_mb"] <= 10,
            f"{row['html_mb']} MB (report.json {row['json_mb']} MB, report.md {row['md_mb']} MB)",
        )
        check(
            "speed: the grouping adds <= 20% to the run at 1,000 articles",
            row["grouping_share"] <= 0.2,
            f"{row['grouping_s']} s of {row['seconds']} s ({row['grouping_share']:.1%})",
        )
    for label, row in rows.items():
        if label.endswith("seed copies") and label.startswith("2000"):
            check(
                "2,000 seed copies: peak memory <= 1.5 GB",
                row["peak_mb"] + row["worker_peak_mb"] <= 1536,
                f"{row['peak_mb']} MB + worker {row['worker_peak_mb']} MB",
            )
            check(
                "2,000 seed copies: output folder <= 50 MB",
                row["output_mb"] <= 50,
                f"{row['output_mb']} MB on disk, article copies included",
            )
    return lines


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
STORY_COLUMNS = [
    ("corpus", "articles"),
    ("stories", "stories"),
    ("copies", "copies"),
    ("folded_claims", "folded"),
    ("disputes", "disputes"),
    ("disputes_crossing", "cross disp."),
    ("flags_crossing", "cross flags"),
    ("grouping_s", "grouping s"),
    ("grouping_share", "group share"),
    ("json_mb", "json MB"),
    ("md_mb", "md MB"),
    ("html_mb", "html MB"),
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
    parser.add_argument("--workers", type=int, default=None, help="offline parsing processes")
    parser.add_argument("--llm-articles", type=int, default=60)
    parser.add_argument("--latency", type=float, default=0.3)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--skip-llm", action="store_true")
    parser.add_argument("--skip-offline", action="store_true")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "scale.json")
    parser.add_argument("--compare", type=Path, help="an earlier results file")
    parser.add_argument(
        "--seed-copies", type=int, nargs="*", default=[200, 2000], help="seed-copies rows"
    )
    parser.add_argument("--skip-seeds", action="store_true", help="no seeds row")
    parser.add_argument("--child-offline", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-seeds", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_offline:
        offline_child(args.child_offline, args.workers)
        return
    if args.child_seeds:
        seeds_child(args.child_seeds)
        return
    old = json.loads(args.compare.read_text()) if args.compare else {}
    results: dict[str, Any] = {
        "commit": git_commit(),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "offline_workers": args.workers,
        "offline": [],
        "seeds": {},
        "llm": [],
        "llm_latency_s": args.latency,
    }
    with tempfile.TemporaryDirectory() as tmp:
        if not args.skip_offline:
            if not args.skip_seeds:
                results["seeds"] = seeds_row(Path(tmp))
            results["offline"] = offline_rows(args.sizes, args.workers, Path(tmp), args.seed_copies)
        if not args.skip_llm:
            results["llm"] = llm_rows(args.llm_articles, args.latency, args.concurrency, Path(tmp))
    against = f", compared with {old.get('commit')} in brackets" if old else ""
    print(f"reconcile at {results['commit']} on {results['cpus']} CPUs{against}")
    if results["offline"]:
        print("\nOffline backend (fresh process per corpus, model load included)")
        print(table(results["offline"], OFFLINE_COLUMNS, old.get("offline")))
        print("\nStories and disputes (grouping: copies, stories and folding, then disputes)")
        print(table(results["offline"], STORY_COLUMNS, old.get("offline")))
    if results.get("seeds"):
        seeds = results["seeds"]
        print(
            f"\nSeeds: {seeds['disputes']} disputes from {seeds['contradictions']} flags; "
            f"aid dispute {seeds['aid_sides']} sides in {seeds['aid_positions']} positions; "
            f"truce scope {seeds['truce_positions']} positions "
            f"({', '.join(seeds['truce_claimants'])})"
        )
    lines = targets(results)
    if lines:
        print("\nTargets (issue 12)")
        print("\n".join(lines))
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
