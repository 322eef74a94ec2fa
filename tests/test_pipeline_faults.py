"""`fanzha run` under faults: the GX gate, SIGKILL at each stage, a live lock, and readers during a publish.

All on a small scenario (2023-10 … 2023-12): a template home publishes October and November once per
module; each test copies it, offers December's exports, and runs `fanzha run` as a subprocess.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from fanzha.core.paths import DataHome
from fanzha.core.read_api import Reader
from tests.fixtures.cli import fanzha_env, run_fanzha

pytestmark = pytest.mark.dbt  # builds the warehouse with dbt: not in `make test-fast`

PAUSE_MARKER = "FANZHA_TEST_PAUSED"
PAUSED = Path(__file__).parent / "fixtures" / "paused.py"  # `fanzha run` with a pause hook at a stage's end


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    """(template home with Oct–Nov published, December's export files)."""
    root = tmp_path_factory.mktemp("pipeline_faults")
    generated = root / "generated"
    run_fanzha(root, "generate", "--start", "2023-10", "--end", "2023-12", "--out", str(generated))
    manifest = json.loads((generated / "manifest.json").read_text(encoding="utf-8"))
    december = [generated / f["file"] for f in manifest["files"] if f["month"] == "2023-12"]
    assert december, "the generator wrote no December files"
    home = root / "template"
    (home / "inbox").mkdir(parents=True)
    for f in manifest["files"]:
        if f["month"] != "2023-12":
            shutil.copy2(generated / f["file"], home / "inbox" / f["file"])
    result = run_fanzha(home, "run")
    assert "published" in result.stdout
    return home, december


def fresh_home(scenario: tuple[Path, list[Path]], tmp_path: Path, *, with_december: bool = True) -> DataHome:
    template, december = scenario
    home = tmp_path / "home"
    shutil.copytree(template, home)
    if with_december:
        for f in december:
            shutil.copy2(f, home / "inbox" / f.name)
    return DataHome(home)


def latest_month(reader: Reader) -> date:
    value = reader.query("select max(month) as m from kpi_district_monthly")["m"].iloc[0]
    return value.date() if hasattr(value, "date") else value


def start_run(home: DataHome, pause_at: str | None = None) -> subprocess.Popen[str]:
    command = ["-m", "fanzha.cli", "run"] if pause_at is None else [str(PAUSED), "run", pause_at]
    return subprocess.Popen(
        [sys.executable, *command],
        env=fanzha_env(home.root),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, killed as a whole
    )


def wait_for_line(proc: subprocess.Popen[str], wanted: str, timeout: float = 600) -> str:
    """Read the run's output until the line `wanted`; fail with the output if the run ends first."""
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            proc.wait()
            pytest.fail(f"run ended (exit {proc.returncode}) before {wanted!r}:\n{''.join(seen)}")
        seen.append(line)
        if line.strip() == wanted:
            return "".join(seen)
    pytest.fail(f"no {wanted!r} in time:\n{''.join(seen)}")


def wait_for_dbt_models(home: DataHome, since: float, timeout: float = 300) -> None:
    """Wait until dbt is executing models in the run's build folder (it writes target/run/ as it goes;
    the work folder keeps earlier runs' files, so only files written after `since` count)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(p.is_file() and p.stat().st_mtime > since for p in home.build.glob("*/dbt_target/run/**/*.sql")):
            return
        time.sleep(0.2)
    pytest.fail("dbt never started running models")


def kill_group(proc: subprocess.Popen[str]) -> None:
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL


def test_sigkill_at_every_stage_never_costs_the_published_warehouse(scenario, tmp_path: Path) -> None:
    """Kill a run during ingest, build, check and publish in turn; after each kill the published file is
    byte-identical and readable, and the next run clears the stale lock and goes on; the last one publishes
    while a reader holds the published warehouse open."""
    home = fresh_home(scenario, tmp_path)
    before = sha256(home.warehouse)
    with Reader(home) as reader:
        first_run = reader.publish_record()["run_id"]

    for stage in ("ingest", "build", "check", "publish"):
        if stage == "build":  # no pause point: kill it while dbt is writing the build file
            started = time.time()
            proc = start_run(home)
            output = wait_for_line(proc, "[build] ...")
            wait_for_dbt_models(home, since=started)
        else:  # pause at the end of the stage (for publish: record written and fsynced, not yet renamed)
            proc = start_run(home, pause_at=stage)
            output = wait_for_line(proc, f"{PAUSE_MARKER} {stage}")
        if stage == "ingest":
            second = run_fanzha(home.root, "run", check=False)  # a live run's lock is respected
            assert second.returncode == 1
            assert "another run is in progress" in second.stderr
        else:
            assert "cleared stale lock" in output  # left by the previous kill
        kill_group(proc)

        assert sha256(home.warehouse) == before, f"published warehouse changed by a kill during {stage}"
        with Reader(home) as reader:
            assert reader.publish_record()["run_id"] == first_run
            assert latest_month(reader) == date(2023, 11, 1)
        assert (home.root / "run.lock").exists()

    reader = Reader(home)
    assert latest_month(reader) == date(2023, 11, 1)
    result = run_fanzha(home.root, "run")
    assert "cleared stale lock" in result.stdout
    assert re.search(r"^run \S+: published$", result.stdout, re.M), result.stdout
    assert reader.publish_record()["run_id"] != first_run  # the same Reader re-attached to the new file
    assert latest_month(reader) == date(2023, 12, 1)
    reader.close()
    assert not (home.root / "run.lock").exists()
    assert sorted(p.name for p in home.build.iterdir() if p.name != "manual") == ["base", "work"]


# One fund-warning lead in the alerts export layout of docs (source-exports.md), dated 2024-03.
LATE_LEAD = {
    "线索编号": "YJ13050620240315999999",
    "下发时间": "2024-03-15 10:00:00",
    "预警级别": "高",
    "预警类型": "资金预警",
    "线索来源": "国家反诈大数据平台",
    "姓名": "王伟",
    "身份证号": "",
    "手机号": "13800001234",
    "性别": "男",
    "年龄": "40",
    "职业": "企业职工",
    "工作单位": "",
    "乡镇": "贾宋镇",
    "村(社区)": "井庄村",
    "涉诈类型": "刷单返利",
    "预警金额": "5000",
    "对方账户": "",
    "责任派出所": "贾宋派出所",
}


def test_stale_feeds_block_the_publish(scenario, tmp_path: Path) -> None:
    """One lead exported for 2024-03 makes every other feed ~4 months stale: exit 1, nothing published."""
    home = fresh_home(scenario, tmp_path, with_december=False)
    with (home.inbox / "预警线索_2024-03.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([list(LATE_LEAD), list(LATE_LEAD.values())])
    before = sha256(home.warehouse)

    result = run_fanzha(home.root, "run", check=False)

    assert result.returncode == 1, result.stdout + result.stderr
    # Latest month in the data is now 2024-03; contacts, interceptions, cases and activities end in
    # November 2023, more than 45 days before 2024-04-01.
    assert "dq_feed_freshness: expect_column_values_to_be_between(days_behind) failed on 4 rows" in result.stdout
    assert "failed on the built warehouse; not published, the published warehouse is unchanged" in result.stdout
    assert sha256(home.warehouse) == before
    assert "Traceback" not in result.stdout + result.stderr
