"""Wall time of `reconcile seeds/` on the offline backend, model load included.

Runs the installed command in fresh processes (so each run pays for imports and the spaCy
model load, as a user does) and prints the figures. A benchmark, not a test: the target
(under 5 s on the 2-core reference machine) is read by a person, never asserted.

    python bench/seeds_wall_time.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    times: list[float] = []
    with tempfile.TemporaryDirectory() as out:
        for _ in range(args.runs):
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "agent", str(SEEDS), "--out", out, "--quiet", "--no-cache"],
                check=True,
            )
            times.append(time.perf_counter() - start)
    print(f"reconcile seeds/ (offline, {args.runs} runs, fresh process each, model load included)")
    median, low, high = statistics.median(times), min(times), max(times)
    print(f"  median {median:.2f} s   min {low:.2f} s   max {high:.2f} s")


if __name__ == "__main__":
    main()
