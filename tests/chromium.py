"""Debian's Chromium, headless and off the network, driven by Playwright (no downloaded browser).

Used by the browser tests and by `scripts/screenshots.py`. Each launch gets a fresh profile in a
new temporary folder and the flags that keep Chromium from calling home (without the
background-networking flags it floods a closed network with retries).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--metrics-recording-only",
    "--no-default-browser-check",
)


def unavailable() -> str | None:
    """Why the browser cannot run here, or None when it can."""
    if not Path(CHROMIUM).is_file():
        return f"{CHROMIUM} is missing: install it with `scripts/system-deps.sh --browser` (Debian chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed: pip install -e '.[dev]'"
    return None


@contextmanager
def browser_context(width: int = 1400, height: int = 900) -> Iterator[Any]:
    """A Playwright browser context in a fresh headless Chromium; its profile is removed afterwards."""
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    try:
        with sync_playwright() as pw:
            context = pw.chromium.launch_persistent_context(
                profile,
                executable_path=CHROMIUM,
                headless=True,
                args=list(FLAGS),
                viewport={"width": width, "height": height},
                offline=True,
            )
            try:
                yield context
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


@contextmanager
def browser_page(width: int = 1400, height: int = 900) -> Iterator[Any]:
    """One page of a fresh `browser_context`."""
    with browser_context(width, height) as context:
        yield context.new_page()
