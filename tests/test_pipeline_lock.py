"""The run lock: a live owner blocks (exit 1), a dead or reused PID is cleared with a log line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from fanzha.core.errors import UserError
from fanzha.pipeline.lock import STALE_AFTER_SECONDS, LockOwner, RunLock, read_owner, stale_reason


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def write_lock(path: Path, pid: int, started_at: float, created: float | None, run_id: str = "old") -> None:
    path.write_text(
        json.dumps({"pid": pid, "started_at": started_at, "process_created": created, "run_id": run_id})
    )


def test_lock_is_exclusive_and_released(tmp_path: Path) -> None:
    path = tmp_path / "run.lock"
    with RunLock(path, "r1"):
        owner = read_owner(path)
        assert owner is not None and owner.pid == os.getpid() and owner.run_id == "r1"
        with pytest.raises(UserError, match=r"another run is in progress \(pid \d+, run r1") as err:
            RunLock(path, "r2").acquire()
        assert err.value.exit_code == 1
    assert not path.exists()


def test_lock_of_a_dead_process_is_cleared_with_a_message(tmp_path: Path) -> None:
    path = tmp_path / "run.lock"
    pid = dead_pid()
    write_lock(path, pid, time.time() - 60, None)
    messages: list[str] = []
    with RunLock(path, "new", on_stale=messages.append):
        assert read_owner(path).run_id == "new"
    assert messages == [f"cleared stale lock {path}: process {pid} is no longer running"]


def test_reused_pid_is_stale_but_live_owner_is_not() -> None:
    me = psutil.Process(os.getpid())
    live = LockOwner(os.getpid(), time.time(), me.create_time(), "x")
    assert stale_reason(live) is None
    reused = LockOwner(os.getpid(), time.time(), me.create_time() - 3600, "x")
    assert stale_reason(reused) == f"PID {os.getpid()} now belongs to another process"


def test_old_lock_of_a_live_non_fanzha_process_is_stale() -> None:
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        owner = LockOwner(proc.pid, time.time() - STALE_AFTER_SECONDS - 60, None, "x")
        assert "not a fanzha process" in (stale_reason(owner) or "")
        young = LockOwner(proc.pid, time.time() - 60, None, "x")
        assert stale_reason(young) is None  # a live process, recently locked: respect it
    finally:
        proc.kill()
        proc.wait()


def test_unreadable_lock_file_is_stale(tmp_path: Path) -> None:
    path = tmp_path / "run.lock"
    path.write_text("{garbage")
    os.utime(path, (time.time() - 60, time.time() - 60))
    messages: list[str] = []
    with RunLock(path, "new", on_stale=messages.append):
        pass
    assert messages == [f"cleared stale lock {path}: lock file unreadable"]
