"""Render every dashboard page with Streamlit's AppTest (no browser, no server) in one fresh process.

`python -m tools.bench.dashboard_probe` with FANZHA_HOME pointing at a home that has a published
warehouse. The page timings come from `apptest_timings` of benchmarks/bench_dashboard.py (the dashboard
part's own benchmark: first render, then warm re-runs per page), so both benchmarks time pages the same
way; this process's wall time is the dashboard's cold cost (imports, first queries, charts).
Prints one JSON object {"pages": {page: {first, warm_median, …}}}; exit 1 if a page raised an exception.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys

from fanzha.core.paths import REPO_ROOT, data_home

BENCH_DASHBOARD = REPO_ROOT / "benchmarks" / "bench_dashboard.py"
WARM_RUNS = 2


def main() -> int:
    spec = importlib.util.spec_from_file_location("bench_dashboard", BENCH_DASHBOARD)
    if spec is None or spec.loader is None or not BENCH_DASHBOARD.is_file():
        print(f"{BENCH_DASHBOARD} is missing", file=sys.stderr)
        return 1
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    os.environ.setdefault("FANZHA_HOME", str(data_home().root))
    pages = module.apptest_timings(data_home().root, WARM_RUNS)
    print(json.dumps({"pages": pages}, ensure_ascii=False))
    return 1 if any(p.get("errors") for p in pages.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
