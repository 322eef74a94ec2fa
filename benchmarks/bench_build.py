"""Benchmark `fanzha build` on an existing data home and show where the time goes (a script, not a test).

Runs the build in a fresh process, samples the process tree's RSS every 50 ms, then reads dbt's
run_results.json to sum execution time per resource type (seed, model, test, unit_test) and list the
slowest nodes. Prepare the home first: `fanzha generate --scale N --out HOME/inbox` then
`fanzha ingest HOME/inbox` (with FANZHA_HOME=HOME).

    .venv/bin/python benchmarks/bench_build.py HOME [--top 12]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import psutil


def tree_rss(proc: psutil.Process) -> int:
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            total += p.memory_info().rss
    return total


def timed_build(home: Path, out: Path) -> tuple[float, int, int]:
    env = {**os.environ, "FANZHA_HOME": str(home)}
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "fanzha.cli", "build", "--out", str(out), "--quiet"], env=env)
    ps, peak = psutil.Process(proc.pid), 0
    while proc.poll() is None:
        peak = max(peak, tree_rss(ps))
        time.sleep(0.05)
    return time.perf_counter() - started, peak, proc.returncode


def breakdown(run_results: Path, top: int) -> tuple[dict[str, float], list[tuple[str, float]]]:
    results = json.loads(run_results.read_text(encoding="utf-8"))["results"]
    per_type: dict[str, float] = defaultdict(float)
    nodes = []
    for r in results:
        kind = r["unique_id"].split(".")[0]
        per_type[kind] += r["execution_time"]
        nodes.append((r["unique_id"], r["execution_time"]))
    return dict(per_type), sorted(nodes, key=lambda n: -n[1])[:top]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("home", type=Path)
    parser.add_argument("--top", type=int, default=12)
    args = parser.parse_args()
    out = args.home / "build" / "bench" / "warehouse.duckdb"
    seconds, peak, code = timed_build(args.home, out)
    landing_mb = (args.home / "landing.duckdb").stat().st_size / 2**20
    print(f"build exit {code}: {seconds:.1f} s wall, peak RSS {peak / 2**20:.0f} MB, landing {landing_mb:.0f} MB, "
          f"warehouse {out.stat().st_size / 2**20 if out.exists() else 0:.0f} MB")
    per_type, slowest = breakdown(out.parent / "dbt_target" / "run_results.json", args.top)
    print("\n| resource type | summed execution time (s) |\n|---|---|")
    for kind, total in sorted(per_type.items(), key=lambda kv: -kv[1]):
        print(f"| {kind} | {total:.1f} |")
    print("\n| slowest node | s |\n|---|---|")
    for node, secs in slowest:
        print(f"| {node} | {secs:.1f} |")
    return code


if __name__ == "__main__":
    sys.exit(main())
