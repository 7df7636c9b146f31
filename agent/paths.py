"""Where reconcile keeps things of its own outside the output folder."""

from __future__ import annotations

import os
from pathlib import Path


def cache_root() -> Path:
    """The user's cache folder for reconcile (XDG_CACHE_HOME, else ~/.cache): LLM answers in
    `llm/`, the offline backend's claims in `offline/`."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "reconcile"


_PACKAGE = Path(__file__).resolve().parent


def packaged_evals() -> Path:
    """The eval suite that ships with reconcile: `agent/eval_suite` inside an installed wheel
    (evals/ copied there at build time: fixtures/, the baselines, the labels schema), else
    the source checkout's `evals/`."""
    installed = _PACKAGE / "eval_suite"
    return installed if installed.is_dir() else _PACKAGE.parent / "evals"


LOCAL_FIXTURES = Path("evals/fixtures")
"""The fixtures folder of the project in the current folder, when there is one."""


def default_fixtures() -> tuple[Path, bool]:
    """The eval cases to run when none are named, and whether they are the packaged copy:
    ./evals/fixtures when it exists, else the cases shipped with reconcile."""
    if LOCAL_FIXTURES.is_dir():
        return LOCAL_FIXTURES, False
    return packaged_evals() / "fixtures", True
