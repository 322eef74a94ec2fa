"""20 concurrent signed-in sessions on the demo while `fanzha run` publishes (benchmarks/scope_load.py drives it).

Asserts correctness only: no session fails or shows an exception, none sees a village outside its scope, the
publish succeeds and every session goes on working on the new warehouse (its sidebar names the new run).
How fast the pages were is the benchmark's to report (`benchmarks/scope_load.py`), not a test's to assert.
Every session signs in through the sign-in page as a real account of the copied demo home (127.0.0.1 only;
the load is bounded: benchmarks/scope_load.py stops every session after MAX_SECONDS).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from tests.fixtures.browser import CHROMIUM

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="system Chromium not installed at /usr/bin/chromium"),
]

DRIVER = Path(__file__).resolve().parent.parent / "benchmarks" / "scope_load.py"
SESSIONS = 20


def load_driver() -> object:
    spec = importlib.util.spec_from_file_location("scope_load", DRIVER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


def test_twenty_sessions_during_a_publish_keep_their_scopes(demo_home: Path, tmp_path: Path) -> None:
    driver = load_driver()
    home = driver.copy_home(demo_home, tmp_path / "home")  # type: ignore[attr-defined]
    users = driver.demo_users(home / "warehouse.duckdb", SESSIONS)  # type: ignore[attr-defined]
    assert len(users) == SESSIONS
    assert any(driver.forbidden_villages(home / "warehouse.duckdb", u) for u in users)  # type: ignore[attr-defined]
    load = driver.run_load(home, SESSIONS)  # type: ignore[attr-defined]
    print(driver.summary(load))  # type: ignore[attr-defined]  (the timings, for the log)

    assert load.errors == []
    assert load.publish_rc == 0, "fanzha run --force did not publish"
    assert {v.user for v in load.visits} == {u.name for u in users}
    assert [v for v in load.visits if v.exceptions] == []
    assert [(v.user, v.page, v.leaked) for v in load.visits if v.leaked] == []
    after = [v for v in load.visits if v.after_publish]
    assert {v.user for v in after} == {u.name for u in users}  # every session went on after the publish
    assert {v.run_id_seen for v in after} == {load.new_run_id}  # ... on the new warehouse
    assert load.old_run_id != load.new_run_id
    assert load.old_run_id in {v.run_id_seen for v in load.visits if not v.after_publish}  # started on the old one
