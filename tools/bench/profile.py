"""Where the time went inside one measured process, from the artefacts it leaves behind.

- dbt: `run_results.json` in the build's target folder gives every node's execution time.
- `fanzha run`: the run log (`logs/<run_id>.jsonl`) has one `stage_end` event per stage with its seconds, and a
  `dbt_parse` event (how long dbt parsed the project, whether it reused its saved parse).
- `fanzha build`: its summary line ends "(parse 0.9 s, saved parse reused)" or "(parse 6.2 s, full parse (…))".
"""

from __future__ import annotations

import json
import re
from pathlib import Path

_BUILD_PARSE = re.compile(r"\(parse (\d+(?:\.\d+)?) s, (saved parse reused|full parse)")


def top_nodes(run_results: dict, limit: int | None = None) -> list[dict]:
    """Pure: models/seeds/snapshots by execution time (slowest first), plus one row summing every test."""
    rows = []
    tests_seconds, tests = 0.0, 0
    for result in run_results.get("results", []):
        unique_id = result.get("unique_id", "")
        kind, _, rest = unique_id.partition(".")
        seconds = float(result.get("execution_time") or 0.0)
        if kind in ("test", "unit_test"):
            tests_seconds += seconds
            tests += 1
        else:
            rows.append({"node": rest.split(".", 1)[-1], "kind": kind, "seconds": round(seconds, 3)})
    rows.sort(key=lambda r: r["seconds"], reverse=True)
    if limit is not None:
        rows = rows[:limit]
    if tests:
        rows.append({"node": f"all {tests} tests", "kind": "test", "seconds": round(tests_seconds, 3)})
    return rows


def dbt_model_timings(target_dir: Path, limit: int = 12) -> list[dict]:
    path = target_dir / "run_results.json"
    try:
        return top_nodes(json.loads(path.read_text(encoding="utf-8")), limit)
    except (OSError, ValueError):
        return []


def stage_seconds(lines: list[str], key: str = "seconds") -> dict[str, float]:
    """Pure: {stage: seconds} from a run log's JSON lines (the `stage_end` events); key="cpu_seconds" for the
    run process's CPU time in each stage."""
    out: dict[str, float] = {}
    for line in lines:
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if event.get("event") == "stage_end" and "stage" in event and key in event:
            out[event["stage"]] = float(event.get(key) or 0.0)
    return out


def run_stage_timings(logs_dir: Path, key: str = "seconds") -> dict[str, float]:
    """Stage timings (or CPU: key="cpu_seconds") of the most recent run log in `logs_dir` (empty when none)."""
    logs = sorted(logs_dir.glob("*.jsonl"), key=lambda p: p.stat().st_mtime)
    if not logs:
        return {}
    return stage_seconds(logs[-1].read_text(encoding="utf-8", errors="replace").splitlines(), key)


def parse_from_lines(lines: list[str]) -> tuple[float, bool] | None:
    """Pure: (seconds, reused) of dbt's parse, from a run log's `dbt_parse` event or `fanzha build` output."""
    for line in reversed(lines):
        if line.startswith("{"):
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if event.get("event") == "dbt_parse":
                return float(event.get("seconds") or 0.0), bool(event.get("reused"))
        match = _BUILD_PARSE.search(line)
        if match:
            return float(match.group(1)), match.group(2) == "saved parse reused"
    return None


def dbt_parse(path: Path) -> tuple[float, bool] | None:
    """dbt's parse in a `fanzha build` output file, or in the most recent run log of a logs folder."""
    if path.is_dir():
        logs = sorted(path.glob("*.jsonl"), key=lambda p: p.stat().st_mtime)
        if not logs:
            return None
        path = logs[-1]
    try:
        return parse_from_lines(path.read_text(encoding="utf-8", errors="replace").splitlines())
    except OSError:
        return None
