"""A damaged cache folder is warned of (naming it) and bypassed, never a crash (issue 10,
item 21); the tests damage real folders (tests/backends/cache_damage.py). DiskCache is
imported in each test, so the command-line test also runs against a checkout without it."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from tests.backends.cache_damage import DAMAGES, corrupt_values, damaged


@pytest.mark.parametrize("kind", DAMAGES)
def test_a_damaged_cache_is_bypassed_with_one_warning_naming_it(
    tmp_path: Path, kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    from agent.backends.disk_cache import DiskCache

    with (
        damaged(tmp_path / "cache", kind) as folder,
        caplog.at_level(logging.WARNING, logger="agent.cache"),
    ):
        cache = DiskCache(folder)
        for _ in range(3):
            assert cache.get("filler-1", "miss") in ("miss", "v" * 200)
            cache.set("new", "value")
        cache.close()
    warnings = [r.getMessage() for r in caplog.records]
    assert warnings, "the damage went unnoticed"
    assert len(warnings) == 1, warnings  # once, not once per call
    assert warnings[0].startswith(f"cache {folder}: ")
    assert "running without it" in warnings[0] or "computed again" in warnings[0]


def test_a_corrupt_value_is_a_miss_and_the_cache_keeps_working(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import diskcache

    from agent.backends.disk_cache import DiskCache

    folder = tmp_path / "cache"
    diskcache.Cache(str(folder), disk_min_file_size=0).close()
    cache = DiskCache(folder)
    cache.set("a", {"claims": ["x" * 100]})
    cache.set("b", "text value")
    cache.close()
    assert corrupt_values(folder) == 2
    with caplog.at_level(logging.WARNING, logger="agent.cache"):
        cache = DiskCache(folder)
        assert cache.get("a") is None and cache.get("b", "miss") == "miss"
        cache.set("a", {"claims": []})
        assert cache.get("a") == {"claims": []}  # still usable
    [warning] = [r.getMessage() for r in caplog.records]
    assert warning.startswith(f"cache {folder}: a stored value cannot be read (")
    assert warning.endswith("); it is computed again")


def test_a_cache_path_that_is_a_file_is_left_as_it_is(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from agent.backends.disk_cache import DiskCache

    user_file = tmp_path / "notes"
    user_file.write_text("mine\n")
    with caplog.at_level(logging.WARNING, logger="agent.cache"):
        cache = DiskCache(user_file)
        cache.set("k", "v")
    assert not cache.usable and user_file.read_text() == "mine\n"
    assert "is a file, not a folder" in caplog.records[0].getMessage()
    assert "pass another --cache-dir" in caplog.records[0].getMessage()


def test_a_random_cache_db_is_not_touched(tmp_path: Path) -> None:
    from agent.backends.disk_cache import DiskCache

    with damaged(tmp_path / "cache", "random-db") as folder:
        before = (folder / "cache.db").read_bytes()
        DiskCache(folder).set("k", "v")
        assert (folder / "cache.db").read_bytes() == before


@pytest.mark.parametrize("kind", DAMAGES)
def test_cli_a_damaged_cache_is_one_warning_line_and_the_run_goes_on(
    tmp_path: Path, kind: str
) -> None:
    (tmp_path / "a.txt").write_text(
        "The harbour master said the pier would reopen on Monday. "
        "Dock workers said only the north berth was damaged.\n"
    )
    caches = tmp_path / "caches"
    with damaged(caches / "offline", kind) as folder:
        caches = folder.parent  # another parent for the read-only mount
        if kind == "corrupt-value":
            first = _reconcile(tmp_path, caches)
            assert first.returncode == 0, first.stderr
            corrupt_values(folder)
        result = _reconcile(tmp_path, caches)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 1 and warnings[0].startswith(f"warning: cache {folder}: ")
    assert json.loads((tmp_path / "out" / "report.json").read_text())["claims"]


def _reconcile(cwd: Path, caches: Path) -> subprocess.CompletedProcess[str]:
    args = ["a.txt", "--backend", "offline", "--cache-dir", str(caches), "--out", "out"]
    return subprocess.run(
        [sys.executable, "-m", "agent", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )
