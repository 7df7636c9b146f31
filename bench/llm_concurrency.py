"""LLM backend throughput against the project's fake OpenAI-compatible server with a
simulated latency per call: wall time at several concurrencies, calls and tokens per article,
and the re-run from cache (its time and the number of HTTP requests, which must be 0).

A benchmark that prints figures, not a test. The fake model answers every article with a few
claims whose quotes are real sentences of the article (so grounding works as in a real run),
and every judged pair as unrelated.

    python bench/llm_concurrency.py [--articles 12] [--latency 0.3] [--concurrency 1 8 32]
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
import time
from pathlib import Path

from pydantic import SecretStr

from agent.backends.llm.config import LLMConfig
from agent.pipeline import run_pipeline
from agent.testing.fake_openai import FakeOpenAI, RecordedRequest, Reply

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def fake_model(request: RecordedRequest) -> Reply:
    body = request.body if isinstance(request.body, dict) else {}
    text = "\n".join(m["content"] for m in body.get("messages", []) if m["role"] == "user")
    if "<claim pair=" in text:
        pairs = sorted({int(n) for n in re.findall(r'<claim pair="(\d+)"', text)})
        return Reply.json({"verdicts": [{"pair": n, "relation": "unrelated"} for n in pairs]})
    article = text[text.rindex("<article id=") :]  # after the prompt's invented example
    sentences = re.findall(r"^\[(\d+)\] (.+)$", article, re.M)
    claims = [
        {
            "claimant": "the outlet",
            "stance": "asserts",
            "statement": sentence,
            "quote": sentence,
            "sentences": [int(n)],
            "time": None,
            "quantities": [],
        }
        for n, sentence in sentences[:8]
        if len(sentence.split()) >= 6
    ]
    return Reply.json({"claims": claims})


def corpus(folder: Path, n: int) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    for i in range(n):
        # A distinct first line per copy keeps the articles (and the cache keys) distinct.
        (folder / f"a{i:03d}.txt").write_text(f"Copy {i}.\n{texts[i % len(texts)]}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=12)
    parser.add_argument("--latency", type=float, default=0.3)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8])
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp, FakeOpenAI(latency=args.latency) as server:
        server.handler = fake_model
        folder = Path(tmp) / "articles"
        folder.mkdir()
        corpus(folder, args.articles)
        for conc in args.concurrency:
            config = LLMConfig(
                model="bench-model",
                base_url=server.base_url,
                api_key=SecretStr("bench"),
                concurrency=conc,
                cache_dir=Path(tmp) / f"cache-{conc}",
            )
            start = time.perf_counter()
            report = run_pipeline([folder], backend="llm", llm=config)
            first = time.perf_counter() - start
            sent = len(server.requests)
            start = time.perf_counter()
            again = run_pipeline([folder], backend="llm", llm=config)
            second = time.perf_counter() - start
            assert report.llm is not None and again.llm is not None
            total = report.llm.total
            rows.append(
                {
                    "concurrency": conc,
                    "articles": args.articles,
                    "seconds": round(first, 2),
                    "calls_per_article": round(total.calls / args.articles, 2),
                    "tokens_per_article": round(
                        (total.prompt_tokens + total.completion_tokens) / args.articles
                    ),
                    "rerun_seconds": round(second, 2),
                    "rerun_share": round(second / first, 3),
                    "rerun_http_requests": len(server.requests) - sent,
                }
            )
    print(f"LLM backend vs fake server, {args.latency * 1000:.0f} ms per call")
    header = list(rows[0])
    print("  ".join(f"{h:>18}" for h in header))
    for row in rows:
        print("  ".join(f"{row[h]!s:>18}" for h in header))
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
