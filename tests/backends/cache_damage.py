"""Damaged cache folders, made for real (issue 10, item 21): random bytes as `cache.db`, a
database cut in half, a corrupt value file, a file where the folder should be, and a
read-only folder (a read-only bind mount: chmod does not stop root)."""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

DAMAGES = ["random-db", "malformed-db", "corrupt-value", "file", "read-only"]


def _fill(folder: Path, **settings: int) -> None:
    import diskcache

    with diskcache.Cache(str(folder), **settings) as cache:
        for i in range(300):
            cache.set(f"filler-{i}", "v" * 200)


def damage(folder: Path, kind: str) -> None:
    """Leave `folder` damaged in the way `kind` names ("read-only" is `read_only_mount`)."""
    rng = random.Random(kind)
    if kind == "random-db":
        folder.mkdir(parents=True)
        (folder / "cache.db").write_bytes(rng.randbytes(8192))
    elif kind == "malformed-db":
        folder.mkdir(parents=True)
        _fill(folder)
        db = folder / "cache.db"
        data = db.read_bytes()
        db.write_bytes(data[: len(data) // 3] + rng.randbytes(len(data) // 3))
        for extra in ("cache.db-wal", "cache.db-shm"):
            (folder / extra).unlink(missing_ok=True)
    elif kind == "corrupt-value":
        folder.mkdir(parents=True)
        # Every value in a file of its own (the setting is kept in the database, so the next
        # run's values land in files too: `corrupt_values` spoils those after a first run).
        _fill(folder, disk_min_file_size=0)
        corrupt_values(folder)
    elif kind == "file":
        folder.parent.mkdir(parents=True, exist_ok=True)
        folder.write_text("a file of the user's where the cache folder should be\n")
    else:
        raise ValueError(kind)


def corrupt_values(folder: Path) -> int:
    """Overwrite every value file under `folder` with garbage; how many there were."""
    files = list(folder.rglob("*.val"))
    for value in files:
        value.write_bytes(b"\x80\x05garbage, not a pickle \xff")
    return len(files)


@contextlib.contextmanager
def read_only_mount(name: str = "cache") -> Iterator[Path]:
    """A folder `name` holding a working cache, bind-mounted read-only over itself. It lives in a
    private temporary folder, not under pytest's shared basetemp: pytest runs of other
    checkouts prune old basetemp folders and would move the mount point away."""
    if os.geteuid() != 0:
        pytest.skip("a read-only bind mount needs root")
    base = Path(tempfile.mkdtemp(prefix="reconcile-ro-"))
    folder = base / name
    folder.mkdir()
    _fill(folder)
    mounted = subprocess.run(["mount", "--bind", str(folder), str(folder)], capture_output=True)
    if mounted.returncode != 0:
        shutil.rmtree(base)
        pytest.skip(f"cannot bind-mount here: {mounted.stderr.decode().strip()}")
    try:
        subprocess.run(
            ["mount", "-o", "remount,bind,ro", str(folder)], check=True, capture_output=True
        )
        yield folder
    finally:
        # Lazily: a cache that failed to open may leave its sqlite file descriptor to the
        # garbage collector, which would make a plain umount "busy".
        subprocess.run(["umount", "-l", str(folder)], check=False, capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


@contextlib.contextmanager
def damaged(folder: Path, kind: str) -> Iterator[Path]:
    """A cache folder damaged as `kind` says, for the duration of the block: `folder`
    itself, except for "read-only", which yields a mounted folder of its own (with the same
    name, in another parent folder)."""
    if kind == "read-only":
        with read_only_mount(folder.name) as mounted:
            yield mounted
    else:
        damage(folder, kind)
        yield folder
