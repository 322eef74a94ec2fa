"""Shared fixtures. The full pipeline on the demo scenario runs once per test session (`demo_home`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fixtures.browser import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS
from tests.fixtures.cli import run_fanzha


@pytest.fixture
def ingest_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data home with the tests' pseudonymisation key set (the ingestion tests)."""
    from tests.fixtures.ingest.files import TEST_PII_KEY

    monkeypatch.setenv("FANZHA_PII_KEY", TEST_PII_KEY)
    root = tmp_path / "home"
    root.mkdir()
    return root


@pytest.fixture(scope="session")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data home after `fanzha generate --out inbox` and the monthly run on the Nanhe scenario.

    Holds landing.duckdb, the published warehouse.duckdb, notices/ and logs/. Read-only for tests:
    a test that changes data makes its own home.
    """
    home = tmp_path_factory.mktemp("demo_home")
    run_fanzha(home, "generate", "--out", str(home / "inbox"))
    run_fanzha(home, "run", "--inbox", str(home / "inbox"))
    return home


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless system Chromium (Playwright), one per test module (browser tests only)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A fresh browser context (own cookies), Chinese locale, downloads allowed; closed after the test."""
    context = browser.new_context(viewport={"width": 1400, "height": 2400}, locale="zh-CN",  # type: ignore[attr-defined]
                                  accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    yield page
    context.close()
