"""A headless chromium driven by selenium, for the tests of report.html and the web review.

Debian's chromium and chromium-driver are expected at their packaged paths. Without them a
test is skipped, or fails when RECONCILE_REQUIRE_BROWSER=1 (CI sets it, so a missing browser
can never pass for a green run).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


def browser_or_skip() -> None:
    """Skip (or fail, under RECONCILE_REQUIRE_BROWSER=1) when chromium is not installed."""
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if not missing:
        return
    reason = (
        f"browser tests need Debian's chromium and chromium-driver ({', '.join(missing)} missing)"
    )
    if os.environ.get("RECONCILE_REQUIRE_BROWSER") == "1":
        pytest.fail(reason + " and RECONCILE_REQUIRE_BROWSER=1")
    pytest.skip(reason)


@contextmanager
def headless_chromium(profile: Path, extra: tuple[str, ...] = ()) -> Iterator[Any]:
    """A headless chromium with its own profile folder and `extra` arguments, its console log
    kept, quit on exit (tests call `browser_or_skip` first; bench/html_render.py uses it too)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--window-size=1300,1000",
        *extra,
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield browser
    finally:
        browser.quit()
