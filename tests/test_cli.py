"""The CLI's contract: clear one-line errors and exit codes, never a traceback for a user mistake."""

import subprocess
import sys


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "fanzha.cli", *args], capture_output=True, text=True)


def test_unknown_subcommand_is_a_usage_error() -> None:
    result = run_cli("frobnicate")
    assert result.returncode == 2
    assert "invalid choice: 'frobnicate'" in result.stderr
    assert "Traceback" not in result.stderr


def test_no_subcommand_prints_help_and_exits_2() -> None:
    result = run_cli()
    assert result.returncode == 2
    assert "generate" in result.stdout and "ingest" in result.stdout

