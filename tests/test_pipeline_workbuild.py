"""The monthly run's work build (fanzha/pipeline/workbuild.py): when it continues the last build, copy on
write, promotion. Small DuckDB files made by hand; no dbt."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from fanzha.core.paths import DataHome
from fanzha.pipeline import workbuild


def make_landing(path: Path, files: list[tuple[int, str]]) -> None:
    con = duckdb.connect(str(path))
    con.execute("create table ingest_log (_file_id bigint, sha256 varchar, status varchar)")
    con.executemany("insert into ingest_log values (?, ?, 'landed')", [list(f) for f in files])
    con.close()


def make_base(home: DataHome, code_version: str, files: list[tuple[int, str]], *, state: bool = True) -> Path:
    base = workbuild.base_file(home)
    base.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(base))
    con.execute("create schema intermediate")
    con.execute(f"create table intermediate.{workbuild.FILES_MODEL} (source_file_id bigint, sha256 varchar)")
    con.executemany(f"insert into intermediate.{workbuild.FILES_MODEL} values (?, ?)", [list(f) for f in files])
    con.close()
    if state:
        workbuild.record_state(base, code_version, "r1")
    return base


@pytest.fixture
def home(tmp_path: Path) -> DataHome:
    home = DataHome(tmp_path).ensure()
    make_landing(home.landing, [(1, "aa"), (2, "bb"), (3, "cc")])
    return home


def test_continues_a_base_built_by_the_same_code_from_files_still_landed(home: DataHome) -> None:
    make_base(home, "1.0+abc", [(1, "aa"), (2, "bb")])
    work = workbuild.prepare(home, "1.0+abc", full_refresh=False)
    assert work.continued, work.reason
    assert work.file == home.build / "work" / "warehouse.duckdb"
    assert work.file.read_bytes() == workbuild.base_file(home).read_bytes()  # a copy: the base stays as it was


@pytest.mark.parametrize(
    ("setup", "code", "full_refresh", "reason"),
    [
        (None, "1.0+abc", False, "no earlier build to continue"),
        ("ok", "1.0+abc", True, "--full-refresh"),
        ("ok", "1.0+def", False, "the code changed since the last build (1.0+abc → 1.0+def)"),
        ("changed_sha", "1.0+abc", False, "1 file(s) the last build took in are no longer in the landing"),
        ("no_state", "1.0+abc", False, "no earlier build to continue"),
    ],
)
def test_starts_afresh_when_the_base_cannot_be_trusted(home, setup, code, full_refresh, reason) -> None:
    if setup == "ok":
        make_base(home, "1.0+abc", [(1, "aa")])
    elif setup == "changed_sha":
        make_base(home, "1.0+abc", [(1, "aa"), (2, "XX")])  # file 2 re-landed with other content
    elif setup == "no_state":
        make_base(home, "1.0+abc", [(1, "aa")], state=False)
    work = workbuild.prepare(home, code, full_refresh=full_refresh)
    assert (work.continued, work.reason) == (False, reason)
    assert not work.file.exists()  # dbt starts an empty file


def test_a_failed_runs_work_file_is_never_continued(home: DataHome) -> None:
    make_base(home, "1.0+abc", [(1, "aa")])
    work = workbuild.work_file(home)
    work.parent.mkdir(parents=True, exist_ok=True)
    work.write_bytes(b"half-built by a killed run")
    work.with_name(work.name + ".wal").write_bytes(b"wal")
    prepared = workbuild.prepare(home, "1.0+abc", full_refresh=False)
    assert prepared.file.read_bytes() == workbuild.base_file(home).read_bytes()
    assert not work.with_name(work.name + ".wal").exists()


def test_promote_replaces_the_base_with_the_recorded_work_file(home: DataHome) -> None:
    make_base(home, "1.0+abc", [(1, "aa")])
    work = workbuild.prepare(home, "1.0+abc", full_refresh=False)
    workbuild.record_state(work.file, "1.0+abc", "r2")
    workbuild.promote(home, work.file)
    assert not work.file.exists()
    assert workbuild.base_state(workbuild.base_file(home))["run_id"] == "r2"
