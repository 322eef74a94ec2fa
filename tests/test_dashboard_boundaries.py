"""The dashboard stays thin: never imports dbt or Great Expectations, reads only through fanzha.core.read_api
(via the scoped read layer, fanzha.access), and `fanzha dashboard` serves the app."""

from __future__ import annotations

import ast
import json
import socket
import subprocess
import sys
import textwrap
import urllib.request
from pathlib import Path

import pytest

from fanzha import dashboard_command
from tests.fixtures import dashboard as fx
from tests.fixtures.cli import fanzha_env, run_fanzha

REPO = Path(__file__).resolve().parent.parent
DASHBOARDS = REPO / "dashboards"
FORBIDDEN = ("dbt", "great_expectations", "expectations", "ingestion")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_no_dashboard_module_imports_dbt_gx_or_duckdb_directly() -> None:
    files = sorted(DASHBOARDS.rglob("*.py"))
    assert len(files) >= 10
    for path in files:
        for name in _imports(path):
            top = name.split(".")[0]
            assert top not in FORBIDDEN, f"{path.name} imports {name}"
            assert top != "duckdb", f"{path.name} opens DuckDB itself instead of using fanzha.core.read_api"


def test_running_every_page_loads_neither_dbt_nor_gx(tmp_path: Path) -> None:
    fx.build(tmp_path / "warehouse.duckdb")
    script = textwrap.dedent(f"""
        import json, sys
        from streamlit.testing.v1 import AppTest
        from fanzha.access.grants import Grant
        at = AppTest.from_file({str(DASHBOARDS / 'app.py')!r}, default_timeout=60)
        at.session_state["fanzha_grant"] = Grant("zfw", "committee")
        at.query_params["month"] = "2024-06"
        at.run()
        errors = [e.value for e in at.exception]
        for page in ("ranking", "unit", "leads", "cases", "quality"):
            at.switch_page(f"views/{{page}}.py").run()
            errors += [e.value for e in at.exception]
        loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("dbt", "great_expectations"))
        print(json.dumps({{"errors": errors, "loaded": loaded}}))
    """)
    result = subprocess.run([sys.executable, "-c", script], env=fanzha_env(tmp_path), cwd=REPO,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["errors"] == []
    assert report["loaded"] == []


def test_dashboard_rejects_a_bad_port(tmp_path: Path) -> None:
    result = run_fanzha(tmp_path, "dashboard", "--port", "70000", check=False)
    assert result.returncode == 2
    assert "--port must be between 1 and 65535" in result.stderr
    assert "Traceback" not in result.stderr


def test_dashboard_reports_a_busy_port(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_fanzha(tmp_path, "dashboard", "--port", str(port), check=False)
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_start_serves_the_app_for_the_data_home(tmp_path: Path) -> None:
    fx.build(tmp_path / "warehouse.duckdb")
    port = free_port()
    proc = dashboard_command.start(tmp_path, port, "127.0.0.1", quiet=True)
    try:
        dashboard_command.wait_ready(proc, "127.0.0.1", port)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
            assert response.status == 200
            assert b"<html" in response.read().lower()
    finally:
        dashboard_command.stop(proc)
    assert proc.poll() is not None


@pytest.mark.parametrize(("host", "url"), [("localhost", "http://localhost:8501/"),
                                           ("0.0.0.0", "http://localhost:8501/"),
                                           ("10.1.2.3", "http://10.1.2.3:8501/")])
def test_printed_url(host: str, url: str) -> None:
    assert dashboard_command.url_for(host, 8501) == url


# SQL: the pages write none; every read is a registered dataset planned by fanzha.access.scope
# (tests/test_access_registry.py scans dashboards/ for it).
