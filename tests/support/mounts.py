"""Real read-only folders for tests.

chmod does not stop root (the tests run as root here), so a read-only folder is a read-only
bind mount of a prepared folder: writes fail with EROFS for every user, as on a read-only
medium or a share mounted read-only. Tests using it are skipped, with the reason, where
mounting is not permitted.
"""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


def _mount(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["mount", *args], capture_output=True, text=True, check=False)


@contextlib.contextmanager
def read_only_view(source: Path, at: Path) -> Iterator[Path]:
    """`source`'s content, seen read-only at `at` (created), until the block ends."""
    at.mkdir(parents=True)
    bound = _mount("--bind", str(source), str(at))
    if bound.returncode != 0:
        pytest.skip(f"cannot make a read-only folder (mount --bind): {bound.stderr.strip()}")
    try:
        remounted = _mount("-o", "remount,bind,ro", str(at))
        if remounted.returncode != 0:
            pytest.skip(f"cannot remount read-only: {remounted.stderr.strip()}")
        probe = at / ".write-probe"
        with contextlib.suppress(OSError):
            probe.touch()
            probe.unlink()
            pytest.skip("the read-only mount accepted a write")
        yield at
    finally:
        subprocess.run(["umount", str(at)], capture_output=True, check=False)
