"""The structured log of one run: JSON lines in `$FANZHA_HOME/logs/<run_id>.jsonl`, stage timings, summary.

Every event is also echoed as one readable line on stdout (cron mails stdout), and flushed at once so
a run killed at any moment leaves a log up to that moment.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO


def new_run_id(now: datetime | None = None) -> str:
    """Sortable, unique enough for one home: 20231201T020000Z-<pid>."""
    import os

    moment = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    return f"{moment}-{os.getpid()}"


@dataclass
class StageTiming:
    stage: str
    seconds: float
    status: str  # ok | failed | skipped
    note: str = ""


@dataclass
class RunLog:
    path: Path
    run_id: str
    out: TextIO = field(default_factory=lambda: sys.stdout)
    stages: list[StageTiming] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = self.path.open("a", encoding="utf-8")
        self._t0 = time.perf_counter()

    def event(self, event: str, message: str = "", **fields: Any) -> None:
        record = {
            "ts": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "run_id": self.run_id,
            "event": event,
            "message": message,
            **fields,
        }
        self._fh.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        self._fh.flush()
        if message:
            print(message, file=self.out, flush=True)

    @contextmanager
    def stage(self, name: str) -> Iterator[dict[str, Any]]:
        """Time a stage; the body may set info['status'] ('ok'/'failed'/'skipped') and info['note']."""
        info: dict[str, Any] = {"status": "ok", "note": ""}
        self.event("stage_start", f"[{name}] ...", stage=name)
        started, cpu_started = time.perf_counter(), time.process_time()
        try:
            yield info
        except BaseException:
            info["status"] = "failed"
            raise
        finally:
            seconds = time.perf_counter() - started
            cpu = time.process_time() - cpu_started  # this process's CPU: dbt and GX run in-process
            self.stages.append(StageTiming(name, seconds, info["status"], info["note"]))
            self.event(
                "stage_end",
                f"[{name}] {info['status']} in {seconds:.1f} s"
                + (f" — {info['note']}" if info["note"] else ""),
                stage=name,
                seconds=round(seconds, 3),
                cpu_seconds=round(cpu, 3),
                status=info["status"],
                note=info["note"],
            )

    @property
    def total_seconds(self) -> float:
        return time.perf_counter() - self._t0

    def summary_table(self, outcome: str) -> str:
        total = self.total_seconds
        width = max([5, *(len(s.stage) for s in self.stages)])
        lines = [
            f"run {self.run_id}: {outcome}",
            f"{'stage'.ljust(width)}  {'seconds':>8}  {'share':>6}  status",
        ]
        for s in self.stages:
            share = s.seconds / total * 100 if total else 0.0
            lines.append(f"{s.stage.ljust(width)}  {s.seconds:8.1f}  {share:5.1f}%  {s.status}")
        lines.append(f"{'total'.ljust(width)}  {total:8.1f}")
        return "\n".join(lines)

    def finish(self, outcome: str, exit_code: int) -> None:
        table = self.summary_table(outcome)
        self.event(
            "run_end",
            outcome=outcome,
            exit_code=exit_code,
            seconds=round(self.total_seconds, 3),
            stages={s.stage: round(s.seconds, 3) for s in self.stages},
        )
        print(table, file=self.out, flush=True)
        self._fh.close()
