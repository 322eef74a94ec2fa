"""The results file of one scale: `<out>/<date>-<scale>.json` (what was measured, on what, at which commit)."""

from __future__ import annotations

import json
import os
import platform
import subprocess
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from fanzha.core.paths import REPO_ROOT
from tools.bench.stats import StageResult, baseline_ratio, incremental_ratio


def git_commit() -> dict:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=REPO_ROOT, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "HEAD")
    if not commit:  # an exported tree (git archive) is not a repository: the caller may say which commit it is
        return {"commit": os.environ.get("FANZHA_BENCH_COMMIT") or None, "dirty_files": None}
    return {"commit": commit, "dirty_files": len(git("status", "--porcelain").splitlines())}


def machine() -> dict:
    import duckdb
    import psutil

    return {
        "cpus": os.cpu_count(), "memory_bytes": psutil.virtual_memory().total, "python": platform.python_version(),
        "duckdb": duckdb.__version__, "platform": platform.platform(),
        "load_average_at_start": list(os.getloadavg()),
    }


def result_document(scale: int, repeat: int, results: Sequence[StageResult], details: dict,
                    started: datetime, meta: dict) -> dict:
    """Pure: the JSON document of one scale."""
    mine = [r for r in results if r.scale == scale]
    return {
        "scale": scale, "repeat": repeat, "started_at": started.isoformat(timespec="seconds"),
        **meta,
        "stages": [r.to_json() for r in mine],
        "ingest_build_over_baseline": baseline_ratio(mine, scale),
        "ingest_build_over_baseline_cpu": baseline_ratio(mine, scale, cpu=True),
        "incremental_over_run": incremental_ratio(mine, scale),
        "incremental_over_run_cpu": incremental_ratio(mine, scale, cpu=True),
        "details": details,
    }


def write_result(out_dir: Path, document: dict, started: datetime) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{started.astimezone(UTC):%Y-%m-%d}-{document['scale']}.json"
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path
