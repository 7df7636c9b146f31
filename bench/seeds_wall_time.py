"""Wall and CPU time of `reconcile seeds/` on the offline backend, model load included.

Runs the installed command in fresh processes, each into a fresh output folder (so each run
pays for imports and the spaCy model load and writes every file, as a new user's first run
does) and prints the figures. On a shared machine the wall time measures the other load as
well, so the CPU time (user + system of the run's processes) is printed beside it. A
benchmark, not a test: the target (under 3 s on the 2-core reference machine, issue 11) is
read by a person, never asserted.

    python -m bench.seeds_wall_time [--runs 5]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    walls: list[float] = []
    cpus: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            out = Path(tmp) / f"out-{run}"  # a fresh folder: a refresh of a report does less
            cpu, start = _children_cpu(), time.perf_counter()
            command = [sys.executable, "-m", "agent", str(SEEDS), "--out", str(out)]
            subprocess.run([*command, "--quiet", "--no-cache"], check=True)
            walls.append(time.perf_counter() - start)
            cpus.append(_children_cpu() - cpu)
    print(f"reconcile seeds/ (offline, {args.runs} runs, fresh process each, model load included)")
    for name, times in (("wall", walls), ("CPU", cpus)):
        median, low, high = statistics.median(times), min(times), max(times)
        print(f"  {name:4} median {median:.2f} s   min {low:.2f} s   max {high:.2f} s")


if __name__ == "__main__":
    main()
