"""What one review action costs on a big report: the review engine re-applies the whole log
to the report after every action (so the screen, report.json and a web page always show what
the log says), which is linear in the report's flags.

Builds a report of N flags in no dispute (the invented bridge report's flags, copied with new
fingerprints: the worst case, one review item per flag), opens the engine on it and times
three confirmations. A benchmark, not a test: the figures are read by a person.

    python -m bench.review_actions [--copies 5000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from agent.review.actions import ReviewEngine
from tests.review import invented


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=5000, help="copies of the 4 flags")
    args = parser.parse_args()
    base = invented.bridge_report()
    flags = [
        c.model_copy(
            update={"id": f"{c.id}-{n}", "fingerprint": f"{c.fingerprint}-{n}", "dispute_id": None}
        )
        for n in range(args.copies)
        for c in base.contradictions
    ]
    report = base.model_copy(update={"contradictions": flags, "disputes": []})
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        engine = ReviewEngine(report, Path(folder), "bench")
        opened = time.perf_counter() - start
        times = []
        for item in engine.items[:3]:
            start = time.perf_counter()
            engine.decide(item, "confirm")
            times.append(time.perf_counter() - start)
        engine.close()
    print(f"flags: {len(flags)}, review items: {len(engine.items)}")
    print(f"open the engine: {opened:.2f} s")
    print("one confirm (append, fsync, re-apply): " + ", ".join(f"{t:.2f} s" for t in times))


if __name__ == "__main__":
    main()
