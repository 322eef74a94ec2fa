"""Run the bare-DuckDB baseline (benchmarks/baseline_kpi.sql) on a folder of generated exports (a script).

    .venv/bin/python benchmarks/run_baseline.py EXPORTS [--work DIR]

Converts the exports (untimed: XLSX -> CSV, GB18030 -> UTF-8, header keys), then runs the SQL in a fresh
process and prints its wall time and the district-month rows. `fanzha bench --stages baseline` does the
same inside the benchmark, beside fanzha's own ingest and build.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tools.bench.baseline import prepare  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("exports", type=Path)
    parser.add_argument("--work", type=Path, help="keep the converted input here (default: a temporary folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fanzha-baseline-") as tmp:
        root = args.work or Path(tmp)
        rows = prepare(args.exports, root)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "tools.bench.baseline", str(root)], cwd=REPO)
        print(f"{rows} rows converted; baseline process {time.perf_counter() - started:.2f} s wall")
        return done.returncode


if __name__ == "__main__":
    sys.exit(main())
