"""How the offline backend's cost grows with the length of one line: an article of 25k, 200k
and 2M characters of prose without a line break (a file pasted from a web page, a transcript),
against the same prose laid out in paragraphs.

Each case runs `reconcile FILE --no-cache` in a fresh process (the command a user types, run
in-process so its own peak memory and its parsing workers' can be read apart, the model
loaded beforehand) and prints wall time and CPU time (this process and its workers) per 100k
characters, which must stay flat as the line grows, the stages' wall times, peak memory,
claims, pairs, flags and the size of the output folder. CPU time is given because the
machine may be shared: wall time then measures the other load as well. A benchmark that
prints figures; nothing here is asserted.

    python -m bench.long_lines [--sizes 25000 200000 2000000] [--paragraphs 200000]
                               [--out bench/results/long_lines.json]
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

from bench.scale import git_commit, table
from tests.support.long_text import one_line, paragraphs

ROOT = Path(__file__).resolve().parent.parent
Row = dict[str, Any]


def child(path: Path, out: Path) -> None:
    """Run in a fresh process: reconcile `path` once as the CLI does, print figures as JSON.
    The model is loaded first, outside the figures: they are the cost of the text."""
    from agent.backends.offline.nlp import load_nlp
    from agent.cli import app

    load_nlp()
    chars = len(path.read_text(encoding="utf-8"))
    before = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    code = app([str(path), "--out", str(out), "--no-cache", "--quiet"], standalone_mode=False)
    seconds = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = own.ru_utime + own.ru_stime - before.ru_utime - before.ru_stime
    cpu += kids.ru_utime + kids.ru_stime
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    stats = report["stats"]
    output = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    print(
        json.dumps(
            {
                "chars": chars,
                "exit": code or 0,
                "seconds": round(seconds, 2),
                "s_per_100k": round(seconds / chars * 100_000, 2),
                "cpu_s": round(cpu, 1),
                "cpu_s_per_100k": round(cpu / chars * 100_000, 2),
                "peak_mb": round(own.ru_maxrss / 1024),
                "worker_peak_mb": round(kids.ru_maxrss / 1024),
                "claims": stats["claims"],
                "pairs": stats["candidate_pairs"],
                "flags": len(report["contradictions"]),
                "capped": stats.get("capped", []),
                "output_mb": round(output / 1e6, 1),
                "errors": [e["error"] for e in report["errors"]],
                "stages": stats["seconds"],
            }
        )
    )


def run_case(label: str, text: str, tmp: Path) -> Row:
    path = tmp / f"{label.replace(' ', '-')}.txt"
    path.write_text(text, encoding="utf-8")
    command = [sys.executable, "-m", "bench.long_lines", "--child", str(path), str(tmp / label)]
    done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
    row: Row = {"case": label, **json.loads(done.stdout.strip().splitlines()[-1])}
    stages = row.pop("stages")
    row.update({f"{k}_s": v for k, v in stages.items() if k in ("extract", "reconcile")})
    print(f"  {label}: {row['seconds']} s", file=sys.stderr)
    return row


COLUMNS = [
    ("case", "case"),
    ("chars", "characters"),
    ("seconds", "wall s"),
    ("s_per_100k", "s/100k"),
    ("cpu_s_per_100k", "CPU s/100k"),
    ("extract_s", "extract s"),
    ("reconcile_s", "pair+judge s"),
    ("peak_mb", "peak MB"),
    ("worker_peak_mb", "worker MB"),
    ("claims", "claims"),
    ("pairs", "pairs"),
    ("flags", "flags"),
    ("output_mb", "output MB"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[25_000, 200_000, 2_000_000])
    parser.add_argument("--paragraphs", type=int, nargs="*", default=[200_000])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "long_lines.json")
    parser.add_argument("--child", type=Path, nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    cases = [(f"one line {n:,}", one_line(n)) for n in args.sizes]
    cases += [(f"paragraphs {n:,}", paragraphs(n)) for n in args.paragraphs]
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        rows = [run_case(label, text, Path(tmp)) for label, text in cases]
    results = {
        "commit": git_commit(),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "load_before": round(load, 2),
        "load_after": round(os.getloadavg()[0], 2),
        "rows": rows,
    }
    print(
        f"reconcile at {results['commit']} on {results['cpus']} CPUs "
        f"(load average {results['load_before']} before, {results['load_after']} after)"
    )
    print(table(rows, COLUMNS, None))
    for row in rows:
        for note in [*row["errors"], *(f"capped: {c}" for c in row["capped"])]:
            print(f"  {row['case']}: {note}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nResults: {args.out}")


if __name__ == "__main__":
    main()
