"""What answers of unbounded size cost a run (issue 10, item 12): a fake endpoint that answers
every chat request with a valid extraction padded with 30 MB of spaces (valid JSON, valid
against the schema), for 7 articles. Prints the run's wall time, the peak memory of the
`reconcile` process, and the sizes of the call log and the answer cache.

A benchmark, not a test: the figures are read by a person. With the byte cap each answer is
cut at 1 MiB and is a failed attempt, so nothing big is kept.

    python -m bench.oversize_answers [--mb 30] [--articles 7] [--checkout DIR]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.support.fake_openai import FakeOpenAI, Reply

SENTENCE = "The harbour office said the ferry route number {n} covers only the northern islands."


def _size(root: Path) -> int:
    if root.is_file():
        return root.stat().st_size
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=30, help="padding per answer, in MB")
    parser.add_argument("--articles", type=int, default=7)
    parser.add_argument(
        "--checkout", type=Path, help="run the `agent` package of another checkout (before/after)"
    )
    args = parser.parse_args()
    env = {**os.environ}
    if args.checkout:
        env["PYTHONPATH"] = str(args.checkout.resolve())
    with tempfile.TemporaryDirectory() as tmp, FakeOpenAI() as server:
        work = Path(tmp)
        folder = work / "articles"
        folder.mkdir()
        for n in range(args.articles):
            (folder / f"a{n}.txt").write_text(SENTENCE.format(n=n) + "\n")
        quote = "the ferry route number 0 covers only the northern islands"
        answer = {
            "claims": [
                {"claimant": "the harbour office", "stance": "asserts", "statement": quote,
                 "quote": quote, "sentences": [1], "time": None, "quantities": []}
            ]
        }  # fmt: skip
        server.handler = lambda r: Reply.oversize(args.mb * 1_000_000, answer=answer)
        out, cache = work / "out", work / "cache"
        command = [sys.executable, "-m", "agent", str(folder), "--out", str(out)]
        command += ["--cache-dir", str(cache), "--max-attempts", "1", "--quiet"]
        start = time.perf_counter()
        env["OPENAI_BASE_URL"] = server.base_url
        subprocess.run(command, env=env, capture_output=True, cwd=tmp)
        seconds = time.perf_counter() - start
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        log_mb = _size(out / "llm-calls.jsonl") / 1e6
        cache_mb = _size(cache) / 1e6
    print(
        f"{args.articles} articles, every answer padded with {args.mb} MB "
        f"({server.count('chat/completions')} requests, --max-attempts 1)"
    )
    print(f"  wall {seconds:.1f} s   peak RSS {peak_mb:.0f} MB")
    print(f"  llm-calls.jsonl {log_mb:.1f} MB   answer cache {cache_mb:.1f} MB")


if __name__ == "__main__":
    main()
