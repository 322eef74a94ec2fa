"""Shared fixtures. The full pipeline on the demo scenario runs once per test session (`demo_home`)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

# A fixed pseudonymisation key for tests (>= 32 bytes); never used outside tests.
TEST_PII_KEY = "fanzha-test-key-do-not-use-in-production-0123456789"


def fanzha_env(home: Path, **extra: str) -> dict[str, str]:
    """Environment for a `fanzha` subprocess working in `home`."""
    env = {**os.environ, "FANZHA_HOME": str(home), "FANZHA_PII_KEY": TEST_PII_KEY}
    env.update(extra)
    return env


def run_fanzha(home: Path, *args: str, check: bool = True, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    """Run `fanzha ARGS` as a subprocess in `home`; on failure with check=True, fail the test with its output."""
    result = subprocess.run(
        [sys.executable, "-m", "fanzha.cli", *args],
        env=fanzha_env(home),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check and result.returncode != 0:
        pytest.fail(
            f"fanzha {' '.join(args)} exited {result.returncode}\n--- stdout\n{result.stdout[-4000:]}"
            f"\n--- stderr\n{result.stderr[-4000:]}"
        )
    return result


@pytest.fixture(scope="session")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data home after `fanzha generate --out inbox` and the monthly run on the Nanhe scenario.

    Holds landing.duckdb, the published warehouse.duckdb, notices/ and logs/. Read-only for tests:
    a test that changes data makes its own home.
    """
    home = tmp_path_factory.mktemp("demo_home")
    run_fanzha(home, "generate", "--out", str(home / "inbox"))
    if importlib.util.find_spec("fanzha.pipeline.run") is not None:
        run_fanzha(home, "run", "--inbox", str(home / "inbox"))
    else:  # until the pipeline lands: ingest and build straight onto the published path
        run_fanzha(home, "ingest", str(home / "inbox"))
        run_fanzha(home, "build", "--out", str(home / "warehouse.duckdb"))
    return home
