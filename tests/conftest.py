"""Shared fixtures. The full pipeline on the demo scenario runs once per test session (`demo_home`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixtures.cli import run_fanzha


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
