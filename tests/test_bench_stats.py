"""Pure parts of `fanzha bench`: medians, ratios, the markdown table, dbt and run-log timings."""

from __future__ import annotations

import json
import math

from tools.bench.profile import stage_seconds, top_nodes
from tools.bench.stats import (
    StageResult,
    baseline_ratio,
    format_mib,
    format_seconds,
    markdown_table,
    median,
    ratio,
    rows_per_second,
)


def _result(stage: str, seconds: list[float], scale: int = 1, ok: bool = True, rows: int | None = None) -> StageResult:
    return StageResult(scale, stage, seconds, 300 * 2**20, 200 * 2**20, rows, ok)


def test_median_of_odd_and_even_counts_and_of_nothing() -> None:
    assert median([3.0, 1.0, 2.0]) == 2.0
    assert median([4.0, 1.0, 2.0, 3.0]) == 2.5
    assert math.isnan(median([]))


def test_rows_per_second_only_when_both_are_known() -> None:
    assert rows_per_second(1000, 4.0) == 250.0
    assert rows_per_second(None, 4.0) is None
    assert rows_per_second(1000, 0.0) is None
    assert rows_per_second(1000, float("nan")) is None


def test_ratio_refuses_a_missing_or_zero_denominator() -> None:
    assert ratio(6.0, 2.0) == 3.0
    assert ratio(6.0, 0.0) is None
    assert ratio(None, 2.0) is None


def test_baseline_ratio_is_median_ingest_plus_median_build_over_median_baseline() -> None:
    results = [
        _result("ingest", [10.0, 30.0, 20.0]),  # median 20
        _result("build", [40.0]),  # 40
        _result("baseline", [5.0, 7.0, 6.0]),  # median 6
        _result("ingest", [1.0], scale=10),  # another scale: not mixed in
    ]
    assert baseline_ratio(results, 1) == (20.0 + 40.0) / 6.0
    assert baseline_ratio(results, 10) is None  # no build or baseline at scale 10


def test_a_failed_stage_has_no_rate() -> None:
    assert _result("ingest", [600.0], ok=False, rows=1000).rows_per_second is None
    assert _result("ingest", [10.0], rows=1000).rows_per_second == 100.0


def test_baseline_ratio_ignores_failed_stages() -> None:
    results = [_result("ingest", [10.0]), _result("build", [10.0], ok=False), _result("baseline", [1.0])]
    assert baseline_ratio(results, 1) is None


def test_baseline_ratio_in_cpu_time() -> None:
    def cpu_result(stage: str, cpu: list[float]) -> StageResult:
        return StageResult(1, stage, [100.0], 0, 0, None, True, "", cpu)

    results = [cpu_result("ingest", [3.0, 5.0, 4.0]), cpu_result("build", [6.0]), cpu_result("baseline", [2.0])]
    assert baseline_ratio(results, 1, cpu=True) == (4.0 + 6.0) / 2.0
    assert baseline_ratio(results, 1) == 2.0  # wall: (100 + 100) / 100
    assert markdown_table(results).endswith("= **2.0×** wall time, 5.0× CPU time")


def test_formats() -> None:
    assert format_seconds(3.456) == "3.46 s"
    assert format_seconds(45.0) == "45.0 s"
    assert format_seconds(300.0) == "5.0 min"
    assert format_seconds(float("nan")) == "–"
    assert format_mib(3 * 2**20) == "3 MiB"
    assert format_mib(0) == "–"


def test_markdown_table_rows_and_ratio_line() -> None:
    table = markdown_table([
        _result("ingest", [8.0, 12.0], rows=1000),  # median 10 -> 100 rows/s
        _result("build", [20.0]),
        _result("baseline", [2.0]),
        StageResult(1, "run", [5.0], 0, 0, None, False, "exit 1: boom"),
    ])
    lines = table.splitlines()
    assert lines[0].startswith("| scale | stage | median wall |")
    assert lines[2] == "| 1 | ingest | 10.0 s | – | 2 | 300 MiB | 200 MiB | 1,000 | 100 | – | yes |"
    assert "| 1 | run | 5.00 s | – | 1 | – | – | – | – | – | FAILED: exit 1: boom |" in lines
    assert lines[-1] == "scale 1: (ingest + build) / bare-DuckDB baseline = **15.0×** wall time"


def test_cpu_seconds_median_and_column() -> None:
    result = StageResult(1, "build", [10.0, 30.0, 20.0], 0, 0, None, True, "", [4.0, 9.0, 5.0])
    assert result.median_cpu_seconds == 5.0
    assert result.to_json()["median_cpu_seconds"] == 5.0
    assert "| 1 | build | 20.0 s | 5.00 s | 3 |" in markdown_table([result])


def test_top_nodes_sorts_models_and_sums_tests() -> None:
    run_results = {"results": [
        {"unique_id": "model.fanzha.stg_alerts", "execution_time": 1.5},
        {"unique_id": "model.fanzha.fct_alerts", "execution_time": 4.0},
        {"unique_id": "seed.fanzha.villages", "execution_time": 0.5},
        {"unique_id": "test.fanzha.unique_fct_alerts_alert_id.abc", "execution_time": 0.25},
        {"unique_id": "unit_test.fanzha.fct_alerts.t1", "execution_time": 0.75},
    ]}
    assert top_nodes(run_results, limit=2) == [
        {"node": "fct_alerts", "kind": "model", "seconds": 4.0},
        {"node": "stg_alerts", "kind": "model", "seconds": 1.5},
        {"node": "all 2 tests", "kind": "test", "seconds": 1.0},
    ]


def test_stage_seconds_reads_stage_end_events_only() -> None:
    lines = [
        json.dumps({"event": "stage_start", "stage": "ingest"}),
        json.dumps({"event": "stage_end", "stage": "ingest", "seconds": 2.5}),
        "not json",
        json.dumps({"event": "stage_end", "stage": "build", "seconds": 7.0}),
    ]
    assert stage_seconds(lines) == {"ingest": 2.5, "build": 7.0}


def test_incremental_ratio_and_parse_column_in_the_table() -> None:
    def run_result(stage: str, wall: float, cpu: float, parse: float | None, reused: bool | None) -> StageResult:
        return StageResult(1, stage, [wall], 0, 0, None, True, "", [cpu], [parse] if parse else None, reused)

    results = [run_result("run", 40.0, 30.0, 6.0, False), run_result("incremental", 10.0, 6.0, 0.8, True)]
    table = markdown_table(results)
    assert "| 1 | run | 40.0 s | 30.0 s | 1 | – | – | – | – | 6.00 s (full) | yes |" in table
    assert "| 1 | incremental | 10.0 s | 6.00 s | 1 | – | – | – | – | 0.80 s (saved) | yes |" in table
    assert table.endswith("scale 1: incremental month / full run = **25%** wall time, 20% CPU time")


def test_dbt_parse_from_a_run_log_or_the_build_summary() -> None:
    from tools.bench.profile import parse_from_lines

    assert parse_from_lines([json.dumps({"event": "dbt_parse", "seconds": 0.84, "reused": True})]) == (0.84, True)
    assert parse_from_lines(["build ok: 41 models, 243 tests in 30.1 s (parse 6.2 s, full parse (saved manifest "
                             "not found. Starting full parse.)) -> /x/warehouse.duckdb"]) == (6.2, False)
    assert parse_from_lines(["nothing about dbt"]) is None
