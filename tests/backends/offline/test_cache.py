"""The offline claim cache: same article, same claims, without parsing; any change to what
the claims depend on misses."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from agent.backends.base import ExtractOutcome
from agent.backends.offline import OfflineBackend
from agent.backends.offline.cache import ClaimCache, extraction_files
from tests.backends.cache_damage import DAMAGES, corrupt_values, damaged
from tests.backends.offline.helpers import article

TEXT = (
    "The harbour master said the pier would reopen on Monday. "
    "Dock workers said only the north berth was damaged.\n"
)


def _extract(backend: OfflineBackend, *articles_: object) -> list[ExtractOutcome]:
    outcomes: list[ExtractOutcome] = []
    backend.extract_all(articles_, outcomes.append)  # type: ignore[arg-type]
    return outcomes


def test_second_read_comes_from_the_cache_with_every_field(tmp_path: Path) -> None:
    backend = OfflineBackend(cache_dir=tmp_path / "cache", workers=1)
    first = _extract(backend, article("a", TEXT))
    frames = dict(backend.frames)
    fresh = OfflineBackend(cache_dir=tmp_path / "cache", workers=1)
    again = _extract(fresh, article("a", TEXT))
    assert not first[0].from_cache and again[0].from_cache
    assert again[0].claims == first[0].claims and first[0].claims
    # Pairing and judging read the frames, kept out of report.json: they survive the cache.
    assert {c.id: fresh.frames[c.id] for c in again[0].claims} == frames


def test_a_different_id_text_or_date_misses(tmp_path: Path) -> None:
    import datetime as dt

    backend = OfflineBackend(cache_dir=tmp_path / "cache", workers=1)
    _extract(backend, article("a", TEXT))
    misses = [
        article("b", TEXT),
        article("a", TEXT + "More text here, the council said.\n"),
        article("a", TEXT, published=dt.date(2031, 5, 2)),
    ]
    assert [o.from_cache for o in _extract(backend, *misses)] == [False, False, False]


def test_unreadable_cache_entry_is_read_again(tmp_path: Path) -> None:
    cache = ClaimCache(tmp_path / "cache")
    item = article("a", TEXT)
    cache._cache.set(ClaimCache.key(item), [{"not": "a claim"}])
    assert cache.get(item) is None


def test_code_hash_covers_every_module_extraction_imports() -> None:
    # In a fresh interpreter: which agent modules does making claims load?
    code = (
        "import sys, agent.backends.offline.extract, agent.backends.offline;"
        "print('\\n'.join(m.__file__ for n, m in sys.modules.items()"
        " if n.startswith('agent') and getattr(m, '__file__', None)))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    covered = {p.resolve() for p in extraction_files()}
    root = Path(str(__import__("agent").__file__)).resolve().parent
    # Loaded on the way in, but nothing in them shapes a claim: package inits, the backend
    # protocol and its choice of backend (with the LLM settings it reads), pairing.
    irrelevant = {
        "__init__.py",
        "backends/__init__.py",
        "backends/base.py",
        "backends/disk_cache.py",
        "backends/registry.py",
        "backends/llm/__init__.py",
        "backends/llm/config.py",
        "paths.py",
        "pairing.py",
    }
    missing = [
        f
        for f in loaded
        if Path(f).resolve() not in covered
        and Path(f).resolve().relative_to(root).as_posix() not in irrelevant
    ]
    assert missing == []


@pytest.mark.parametrize("kind", DAMAGES)
def test_a_damaged_claim_cache_is_warned_of_and_bypassed(
    tmp_path: Path, kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    with damaged(tmp_path / "cache", kind) as folder:
        if kind == "corrupt-value":  # claims of a real read, then spoilt
            _extract(OfflineBackend(cache_dir=folder, workers=1), article("a", TEXT))
            assert corrupt_values(folder) >= 1
        with caplog.at_level(logging.WARNING, logger="agent.cache"):
            [outcome] = _extract(OfflineBackend(cache_dir=folder, workers=1), article("a", TEXT))
    assert outcome.claims and not outcome.from_cache and outcome.errors == []
    warnings = [r.getMessage() for r in caplog.records if r.name == "agent.cache"]
    assert len(warnings) == 1 and warnings[0].startswith(f"cache {folder}: "), warnings


def _forget_wordnet() -> None:
    """Empty every cache that remembers whether (and what) WordNet's data was read."""
    from agent.backends.offline import alignment, cache
    from agent.backends.offline import wordnet as wn

    for remembered in (
        cache.code_version, wn.wordnet, wn.available, wn.lookup, wn.senses, wn.offsets_of,
        wn.synset_at, wn.antonyms, alignment.events_align, alignment.things_align,
        alignment.same_thing_counted, alignment.opposed,
    ):  # fmt: skip
        remembered.cache_clear()


def test_claims_read_without_wordnet_are_not_served_once_it_is_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from agent.backends.offline import alignment
    from agent.backends.offline import wordnet as wn

    _forget_wordnet()
    with monkeypatch.context() as broken:
        broken.setattr(wn, "_FOLDER", ("data", "no-such-wordnet"))
        broken.setattr(alignment, "_warned", [True])  # its warning is tested elsewhere
        without = _extract(
            OfflineBackend(cache_dir=tmp_path / "cache", workers=1), article("a", TEXT)
        )
    _forget_wordnet()
    try:
        again = _extract(
            OfflineBackend(cache_dir=tmp_path / "cache", workers=1), article("a", TEXT)
        )
    finally:
        _forget_wordnet()
    assert not without[0].from_cache
    assert not again[0].from_cache
