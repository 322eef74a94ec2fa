"""Time one child process and record the peak resident memory of its whole process tree.

Two memory figures, because they answer different questions:
- `peak_tree_rss`: psutil polls the child and all its descendants every POLL_SECONDS and keeps the
  largest *sum* of their RSS — what the machine needs at once (e.g. `fanzha dashboard` = CLI + streamlit).
  Polling can miss a peak shorter than the interval.
- `max_child_rss`: the largest *single* process's RSS seen by the same polls — what one process needs.
  Both figures come from the same polls so that they compare (tree >= largest member) on every kernel:
  `ru_maxrss` from `os.wait4` is used only when polling saw nothing (a child shorter than one poll),
  because sandboxed kernels account it differently (CI reported 440 MiB for a 150 MiB process).

`cpu_seconds` (user + system, from the same wait4) is reported beside wall time: on a shared, loaded
machine wall time mostly measures the queue for the CPU, CPU time measures the work.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

POLL_SECONDS = 0.1


@dataclass(frozen=True)
class Sample:
    seconds: float
    peak_tree_rss: int  # bytes, polled sum over the process tree
    max_child_rss: int  # bytes, polled RSS of the largest single process in the tree
    returncode: int
    stderr_tail: str
    timed_out: bool = False
    cpu_seconds: float = 0.0  # user + system CPU of the child and the descendants it waited for (wait4)


def _tree_rss(proc) -> tuple[int, int]:  # proc: psutil.Process
    """(sum of RSS over the tree, RSS of its largest member) at this instant."""
    import psutil

    sizes = []
    try:
        members = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0, 0
    for member in members:
        with contextlib.suppress(psutil.Error):
            sizes.append(member.memory_info().rss)
    return sum(sizes), max(sizes, default=0)


def run_timed(
    command: Sequence[str],
    *,
    env: Mapping[str, str],
    cwd: Path,
    log_path: Path,
    timeout: float | None = None,
) -> Sample:
    """Run `command`, wait for it, return wall time, peak tree RSS and exit code; output goes to `log_path`."""
    import psutil

    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "wb") as log:
        started = time.perf_counter()
        child = subprocess.Popen(list(command), env=dict(env), cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
        watched = psutil.Process(child.pid)
        peak = largest = 0
        deadline = None if not timeout else started + timeout
        timed_out = False
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            tree, member = _tree_rss(watched)
            peak, largest = max(peak, tree), max(largest, member)
            if deadline is not None and time.perf_counter() > deadline and not timed_out:
                timed_out = True
                for member in [*watched.children(recursive=True), watched]:
                    with contextlib.suppress(psutil.Error):
                        member.kill()
            time.sleep(POLL_SECONDS)
        seconds = time.perf_counter() - started
        child.returncode = returncode = os.waitstatus_to_exitcode(status)
    if not largest:  # ended before the first poll
        peak = largest = usage.ru_maxrss * 1024
    return Sample(seconds, peak, largest, returncode, tail(log_path), timed_out, usage.ru_utime + usage.ru_stime)


def tail(path: Path, lines: int = 5) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.strip().splitlines()[-lines:])


def child_env(home: Path, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a measured child: its own FANZHA_HOME, a PII key, no progress bars."""
    env = dict(os.environ if base is None else base)
    env["FANZHA_HOME"] = str(home)
    env.setdefault("FANZHA_PII_KEY", "fanzha-bench-pii-key-not-a-secret-0123456789")
    env["TQDM_DISABLE"] = "1"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env
