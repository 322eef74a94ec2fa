"""Benchmark `fanzha generate` at scale 1 and 100: wall time and peak memory (a script, not a test).

Goals (issue 2, on the 2-core reference machine): scale 1 < 10 s, scale 100 < 2 min, peak memory < 2 GB.
CPU seconds (user + sys of the whole process tree) are printed too: on a machine shared with other
work the wall time mostly measures the others; CPU seconds / cores is the unloaded estimate.
Peak memory is the largest sampled sum of RSS over the command's process tree (the CLI and its
district workers), sampled every 50 ms with psutil.

    .venv/bin/python benchmarks/bench_generate.py [--scales 1 100] [--keep DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

GOALS = {1: 10.0, 100: 120.0}
MEMORY_GOAL_MB = 2048


def tree_rss(proc: psutil.Process) -> int:
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            total += p.memory_info().rss
    return total


def measure(scale: int, out: Path) -> tuple[float, float, float, int]:
    cmd = [sys.executable, "-m", "fanzha.cli", "generate", "--out", str(out), "--scale", str(scale)]
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    proc = psutil.Process(child.pid)
    peak = 0
    while child.poll() is None:
        with contextlib.suppress(psutil.Error):
            peak = max(peak, tree_rss(proc))
        time.sleep(0.05)
    seconds = time.perf_counter() - began
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    if child.returncode != 0:
        raise SystemExit(f"scale {scale} failed ({child.returncode}): {child.stderr.read()[-2000:]}")
    files = sum(1 for _ in out.iterdir())
    return seconds, cpu, peak / 2**20, files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 100])
    parser.add_argument("--keep", type=Path, help="write into DIR/scale-N instead of a temporary folder")
    args = parser.parse_args()
    print(f"{'scale':>6} {'seconds':>9} {'goal':>6} {'cpu s':>7} {'peak MB':>9} {'files':>7}  load avg before")
    ok = True
    for scale in args.scales:
        with tempfile.TemporaryDirectory(prefix=f"bench-gen-{scale}-") as tmp:
            out = (args.keep / f"scale-{scale}") if args.keep else Path(tmp) / "out"
            load = psutil.getloadavg()[0]
            seconds, cpu, peak_mb, files = measure(scale, out)
        goal = GOALS.get(scale)
        met = (goal is None or seconds < goal) and peak_mb < MEMORY_GOAL_MB
        ok &= met
        print(f"{scale:>6} {seconds:>9.1f} {goal if goal else '-':>6} {cpu:>7.1f} {peak_mb:>9.0f} {files:>7}  {load:>5.1f}"
              f"  {'ok' if met else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
