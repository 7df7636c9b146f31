"""A diskcache folder that a damaged disk cannot turn into a crash.

Both caches (validated LLM answers, the offline backend's claims) are only ever a shortcut:
a run without them gives the same report, slower. So a cache that cannot be opened (a
random or malformed `cache.db`, a path that is a file, a read-only folder, a database locked
by another process) or stops working mid-run is bypassed with one warning naming its folder,
and a value that cannot be read back (a corrupt value file) is a miss. Nothing in the folder
is deleted or rewritten to "repair" it: the folder may be one the user pointed at.

Warnings go to the `agent.cache` logger; the command line prints them as `warning: ...`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from pathlib import Path
from typing import Any

log = logging.getLogger("agent.cache")

# What a broken database, file system or lock raises; anything else while reading one value
# (unpickling a corrupt file can raise nearly anything) only loses that value.
_BROKEN = (OSError, sqlite3.Error)


_START_AGAIN = "remove that folder or pass another --cache-dir to start a new cache"


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:200]


class DiskCache:
    """get / set / close over a diskcache.Cache in `folder`, never raising."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.problem: str | None = None
        """Why the cache is bypassed, once it is."""
        self._cache: Any | None = None
        self._warned_values = False
        import diskcache

        if folder.exists() and not folder.is_dir():
            self._bypass("the path is a file, not a folder", "pass another --cache-dir")
            return
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self._cache = diskcache.Cache(str(folder))
        except (*_BROKEN, diskcache.Timeout) as exc:
            # sqlite says only "unable to open database file" on a read-only folder.
            read_only = folder.is_dir() and not os.access(folder, os.W_OK)
            self._bypass(f"cannot be opened ({'read-only' if read_only else _reason(exc)})")

    @property
    def usable(self) -> bool:
        return self._cache is not None

    def _bypass(self, problem: str, advice: str = _START_AGAIN) -> None:
        self.problem = problem
        log.warning("cache %s: %s; running without it (%s)", self.folder, problem, advice)
        self._close_quietly()
        self._cache = None

    def get(self, key: str, default: Any = None) -> Any:
        if self._cache is None:
            return default
        try:
            return self._cache.get(key, default)
        except _BROKEN as exc:
            self._bypass(f"cannot be read ({_reason(exc)})")
        except Exception as exc:  # one damaged value file: a miss, said once
            if not self._warned_values:
                self._warned_values = True
                log.warning(
                    "cache %s: a stored value cannot be read (%s); it is computed again",
                    self.folder,
                    _reason(exc),
                )
        return default

    def set(self, key: str, value: Any, expire: float | None = None) -> None:
        if self._cache is None:
            return
        try:
            self._cache.set(key, value, expire=expire)
        except Exception as exc:  # a broken database, a full or read-only disk, a held lock
            self._bypass(f"cannot be written ({_reason(exc)})")

    def __len__(self) -> int:
        if self._cache is None:
            return 0
        try:
            return len(self._cache)
        except _BROKEN:
            return 0

    def _close_quietly(self) -> None:
        if self._cache is not None:
            # Closing a broken database must not hide the first problem.
            with contextlib.suppress(Exception):
                self._cache.close()

    def close(self) -> None:
        self._close_quietly()
        self._cache = None
