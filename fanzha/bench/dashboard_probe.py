"""Render every dashboard page once with Streamlit's AppTest (no browser, no server) and time each page.

`python -m fanzha.bench.dashboard_probe` in a fresh process with FANZHA_HOME pointing at a home that has a
published warehouse: this is the dashboard's cold cost (imports, first queries, charts) without a browser.
Prints one JSON object {page: seconds}; exit 1 if a page raised an exception.
"""

from __future__ import annotations

import json
import sys
import time

from fanzha.paths import REPO_ROOT

APP = REPO_ROOT / "dashboards" / "app.py"
TIMEOUT_SECONDS = 300


def main() -> int:
    from streamlit.testing.v1 import AppTest

    sys.path.insert(0, str(REPO_ROOT))
    from dashboards.pages_registry import PAGES

    app = AppTest.from_file(str(APP), default_timeout=TIMEOUT_SECONDS)
    timings: dict[str, float] = {}
    failed: list[str] = []
    for i, page in enumerate(PAGES):
        started = time.perf_counter()
        if i:
            app.switch_page(page.file)
        app.run()
        timings[page.url_path] = round(time.perf_counter() - started, 3)
        if app.exception:
            failed.append(f"{page.url_path}: {app.exception[0].message[:200]}")
    print(json.dumps({"pages": timings, "failed": failed}, ensure_ascii=False))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
