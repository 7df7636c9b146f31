"""The eval's figures for the LLM backend's plumbing, against the project's fake endpoint.

Plumbing, not a model: the fake server (tests/support/fake_openai.py, `quoting_model`)
"extracts" up to 8 of each article's own sentences as claims credited to the outlet and judges
every pair unrelated. So its figures say what the LLM path does around a model (grounding,
pairing, the stages' bookkeeping), nothing about any model's judgement: expect grounding 1.0,
some extraction coverage and candidate recall, no contradiction found.

Starts the fake server on 127.0.0.1, runs the real command in a fresh process,
`reconcile eval --backend llm --base-url <fake>`, with a temporary cache (XDG_CACHE_HOME) and
no baseline, and prints its table; arguments after `--` go to `reconcile eval`:

    python -m bench.eval_fake_llm [-- --case seeds --out reconcile-out/eval-fake-llm.json]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from tests.support.fake_openai import FakeOpenAI, quoting_model

ROOT = Path(__file__).resolve().parent.parent
MODEL = "fake-quoting-model"


def main(argv: Sequence[str] | None = None) -> int:
    extra = list(sys.argv[1:] if argv is None else argv)
    if extra[:1] == ["--"]:
        extra = extra[1:]
    with tempfile.TemporaryDirectory(prefix="eval-fake-llm-") as tmp, FakeOpenAI() as server:
        server.handler = quoting_model
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"OPENAI_API_KEY", "OPENAI_BASE_URL", "RECONCILE_MODEL"}
        }
        env["XDG_CACHE_HOME"] = str(Path(tmp) / "cache")  # a cold cache: every call is made
        command = [
            sys.executable,
            "-m",
            "agent",
            "eval",
            "--backend",
            "llm",
            "--base-url",
            server.base_url,
            "--model",
            MODEL,
            "--fixtures",
            str(ROOT / "evals" / "fixtures"),
            "--baseline",
            str(Path(tmp) / "no-baseline.json"),  # plumbing has no baseline to gate against
        ]
        if "--out" not in extra:
            command += ["--out", str(Path(tmp) / "eval.json")]
        done = subprocess.run([*command, *extra], env=env, cwd=ROOT, check=False)
        print(f"fake endpoint answered {len(server.requests)} requests", file=sys.stderr)
        return done.returncode


if __name__ == "__main__":
    raise SystemExit(main())
