"""Real file-system faults for tests: a small tmpfs that fills up, and a read-only one.

Simulating ENOSPC or EROFS in-process would test our idea of the kernel; these are the
kernel's own answers (short writes included). They need `mount`, which the test machines
allow (the tests run as root); where it is refused the test is skipped, saying why. A
read-only bind mount or remount is used because chmod does not stop root.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

PAGE = 4096
"""tmpfs hands out space in pages."""


def _mount(*args: str) -> None:
    result = subprocess.run(["mount", *args], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        problem = (result.stderr or result.stdout).strip() or f"exit {result.returncode}"
        pytest.skip(f"this test needs a real tmpfs and `mount {' '.join(args)}` failed: {problem}")


@contextlib.contextmanager
def small_tmpfs(folder: Path, size: str) -> Iterator[Path]:
    """A tmpfs of `size` (mount's syntax, "1m") mounted on `folder`, unmounted afterwards."""
    if shutil.which("mount") is None:
        pytest.skip("this test needs a real tmpfs and there is no `mount` command")
    folder.mkdir(parents=True, exist_ok=True)
    _mount("-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder))
    try:
        yield folder
    finally:
        # Lazily: a file still open (a child process killed mid-test) must not leave it behind.
        subprocess.run(["umount", "--lazy", str(folder)], check=True)


def remount_read_only(folder: Path) -> None:
    """Make the tmpfs mounted on `folder` read-only (EROFS for every write, even root's)."""
    _mount("-o", "remount,ro", str(folder))


def fill(folder: Path, leave: int = 0) -> Path:
    """Fill the file system of `folder` with a filler file, leaving `leave` bytes (rounded
    down to whole pages) free; returns the filler's path (delete it to free the space)."""
    filler = folder / "filler.bin"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        with contextlib.suppress(OSError):
            while True:
                os.write(fd, bytes(PAGE))
        os.ftruncate(fd, max(os.fstat(fd).st_size - leave // PAGE * PAGE, 0))
    finally:
        os.close(fd)
    return filler


def pad_to_page(path: Path, raw: bytes) -> None:
    """Append `raw` to `path`, then more of its last byte, so that the file ends exactly at a
    page boundary: on a full tmpfs even one more byte then fails with ENOSPC."""
    with path.open("ab") as f:
        f.write(raw)
        missing = -f.tell() % PAGE
        f.write(raw[-1:] * missing)
