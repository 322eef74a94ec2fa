"""One run at a time: a lock file holding the owner's PID and start time.

A lock whose PID is dead, or whose PID now belongs to a different process (PID reuse: the process
start time differs), or which is older than STALE_AFTER and not held by a fanzha process, is stale:
it is cleared (the caller logs it) and taken. A live lock makes the caller fail with exit code 1.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fanzha.core.errors import UserError

STALE_AFTER_SECONDS = 12 * 3600  # far longer than any monthly run


@dataclass(frozen=True)
class LockOwner:
    pid: int
    started_at: float  # epoch seconds when the lock was taken
    process_created: float | None  # the owner's process start time (psutil), to detect PID reuse
    run_id: str


def _process_created(pid: int) -> float | None:
    import psutil

    try:
        return psutil.Process(pid).create_time()
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return None


def _is_fanzha_process(pid: int) -> bool:
    import psutil

    try:
        return any("fanzha" in part for part in psutil.Process(pid).cmdline())
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return False


def _alive(pid: int) -> bool:
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:
        return True


def stale_reason(owner: LockOwner | None, now: float | None = None) -> str | None:
    """Why the lock held by `owner` is stale, or None if its owner is still running."""
    if owner is None:
        return "lock file unreadable"
    if not _alive(owner.pid):
        return f"process {owner.pid} is no longer running"
    created = _process_created(owner.pid)
    if (
        owner.process_created is not None
        and created is not None
        and abs(created - owner.process_created) > 1.0
    ):
        return f"PID {owner.pid} now belongs to another process"
    age = (now if now is not None else time.time()) - owner.started_at
    if age > STALE_AFTER_SECONDS and not _is_fanzha_process(owner.pid):
        return f"lock is {age / 3600:.1f} h old and PID {owner.pid} is not a fanzha process"
    return None


def read_owner(path: Path) -> LockOwner | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return LockOwner(
            int(data["pid"]), float(data["started_at"]), data.get("process_created"), str(data["run_id"])
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


class RunLock:
    """`with RunLock(path, run_id, on_stale=log) as lock:` — raises UserError(exit 1) if another run holds it."""

    def __init__(self, path: Path, run_id: str, on_stale: Callable[[str], None] | None = None) -> None:
        self.path = path
        self.run_id = run_id
        self.on_stale = on_stale or (lambda message: None)
        self._held = False

    def acquire(self) -> None:
        for _ in range(3):
            if self._try_create():
                self._held = True
                return
            owner = read_owner(self.path)
            if owner is None and self._young():
                time.sleep(0.2)  # being written right now by another run
                owner = read_owner(self.path)
            reason = stale_reason(owner)
            if reason is None:
                assert owner is not None
                started = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(owner.started_at))
                raise UserError(
                    f"another run is in progress (pid {owner.pid}, run {owner.run_id}, started {started}); "
                    f"lock file {self.path}",
                    exit_code=1,
                )
            self.on_stale(f"cleared stale lock {self.path}: {reason}")
            self.path.unlink(missing_ok=True)
        raise UserError(f"could not take the run lock {self.path}", exit_code=1)

    def _young(self) -> bool:
        try:
            return time.time() - self.path.stat().st_mtime < 5
        except OSError:
            return False

    def _try_create(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            return False
        owner = {
            "pid": os.getpid(),
            "started_at": time.time(),
            "process_created": _process_created(os.getpid()),
            "run_id": self.run_id,
        }
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(owner, fh)
            fh.flush()
            os.fsync(fh.fileno())
        return True

    def release(self) -> None:
        if self._held:
            owner = read_owner(self.path)
            if owner is not None and owner.pid == os.getpid() and owner.run_id == self.run_id:
                self.path.unlink(missing_ok=True)
            self._held = False

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
