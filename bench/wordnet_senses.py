"""Which word pairs WordNet aligns for the offline judge, and how many senses it should read.

Runs the offline pipeline on the seeds and on every eval case (one backend instance, no
claim cache) once for each number of senses K, and records each pair of different words
that the judge asked about and that only WordNet made one event, one thing, one counted
thing or opposites (the same word and the hand lexicon's sets are not counted). Prints,
per K, how many distinct pairs of each kind were made and lists them, so the pairs a
larger K adds can be read and judged by eye: the choice of alignment.SENSES rests on it.
The flags each K gives are the eval's business (`reconcile eval`); this bench shows why.

    python -m bench.wordnet_senses [--k 1 2 3] [--list] [FOLDER ...]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

import agent.backends.offline.judge as offline_judge
from agent.backends import get_backend
from agent.backends.offline import alignment, wordnet
from agent.pipeline import run_pipeline

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("events_align", "things_align", "same_thing_counted", "opposed")


def _folders() -> list[Path]:
    cases = sorted(p for p in (ROOT / "evals" / "fixtures").iterdir() if p.is_dir())
    return [ROOT / "seeds", *cases]


class _Clock:
    """Seconds spent inside the alignment functions (outermost calls only)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.depth = 0


def _recording(
    name: str,
    func: Callable[[str, str], bool],
    made: dict[str, set[tuple[str, str]]],
    clock: _Clock,
) -> Callable[[str, str], bool]:
    def wrapper(a: str, b: str) -> bool:
        clock.depth += 1
        start = time.perf_counter()
        try:
            result = func(a, b)
        finally:
            clock.depth -= 1
            if clock.depth == 0:
                clock.seconds += time.perf_counter() - start
        if result and a != b:
            made[name].add((min(a, b), max(a, b)))
        return result

    return wrapper


def measure(k: int, folders: list[Path]) -> tuple[dict[str, set[tuple[str, str]]], float, float]:
    """The WordNet-made pairs of each kind with K senses, the run time and the seconds
    spent aligning (WordNet's reading included: its caches start empty)."""
    alignment.SENSES = k
    for name in KINDS:
        getattr(alignment, name).cache_clear()
    wordnet.senses.cache_clear()
    wordnet.antonyms.cache_clear()
    wordnet.lookup.cache_clear()
    wordnet.synset_at.cache_clear()
    clock = _Clock()
    made: dict[str, set[tuple[str, str]]] = {name: set() for name in KINDS}
    originals = {name: getattr(alignment, name) for name in KINDS}
    # The judge calls events_align and opposed directly and things_align through common.
    for name in KINDS:
        wrapped = _recording(name, originals[name], made, clock)
        setattr(alignment, name, wrapped)
        if hasattr(offline_judge, name):
            setattr(offline_judge, name, wrapped)
    engine = get_backend("offline")
    start = time.perf_counter()
    try:
        for folder in folders:
            run_pipeline([folder], backend=engine)
    finally:
        for name in KINDS:
            setattr(alignment, name, originals[name])
            if hasattr(offline_judge, name):
                setattr(offline_judge, name, originals[name])
    return made, time.perf_counter() - start, clock.seconds


def _hand(name: str, a: str, b: str) -> bool:
    """The pair is already one by the hand lexicon (its canonical words are equal)."""
    from agent.backends.offline.features import canon, canon_noun

    if name == "opposed":
        return alignment._HAND_ANTONYMS.get(a) == b
    return canon(a) == canon(b) or canon_noun(a) == canon_noun(b)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--k", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--list", action="store_true", help="list every pair")
    parser.add_argument(
        "folders", nargs="*", type=Path, help="folders to run (default: seeds/ and each eval case)"
    )
    args = parser.parse_args(argv)
    folders = args.folders or _folders()
    previous: dict[str, set[tuple[str, str]]] = {name: set() for name in KINDS}
    for k in args.k:
        made, seconds, aligning = measure(k, folders)
        made = {n: {p for p in pairs if not _hand(n, *p)} for n, pairs in made.items()}
        counts = ", ".join(f"{n} {len(made[n])}" for n in KINDS)
        where = f"{len(folders)} folders: {seconds:.1f} s, aligning {aligning:.2f} s"
        print(f"K={k}: {counts} ({where})")
        for name in KINDS:
            new = sorted(made[name] - previous[name]) if not args.list else sorted(made[name])
            if new:
                label = "all" if args.list else "new at this K"
                print(f"  {name} ({label}): " + "; ".join(f"{a}/{b}" for a, b in new))
        previous = made
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
