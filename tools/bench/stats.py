"""Pure functions: summarise repeated samples, compute the baseline ratio, format the markdown table."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

MIB = 1024 * 1024


@dataclass(frozen=True)
class StageResult:
    """One stage at one scale, summarised over its repeats."""

    scale: int
    stage: str
    seconds: list[float]  # every repeat, in order
    peak_tree_rss: int  # bytes, the largest over the repeats
    max_child_rss: int  # bytes, the largest over the repeats
    rows: int | None  # rows the stage processed (None when not meaningful)
    ok: bool
    note: str = ""
    cpu_seconds: list[float] | None = None  # every repeat, user + system CPU of the process tree
    parse_seconds: list[float] | None = None  # every repeat that ran dbt: how long dbt took to parse the project
    parse_reused: bool | None = None  # dbt reused its saved parse (partial parsing) in every such repeat

    @property
    def median_cpu_seconds(self) -> float:
        return median(self.cpu_seconds or [])

    @property
    def median_seconds(self) -> float:
        return median(self.seconds)

    @property
    def median_parse_seconds(self) -> float:
        return median(self.parse_seconds or [])

    @property
    def rows_per_second(self) -> float | None:
        """None for a failed stage: it did not process all its rows (e.g. killed at the timeout)."""
        return rows_per_second(self.rows, self.median_seconds) if self.ok else None

    def to_json(self) -> dict:
        return {
            "scale": self.scale, "stage": self.stage, "ok": self.ok, "seconds": self.seconds,
            "median_seconds": round(self.median_seconds, 3), "cpu_seconds": self.cpu_seconds,
            "median_cpu_seconds": None if not self.cpu_seconds else round(self.median_cpu_seconds, 3),
            "peak_tree_rss_bytes": self.peak_tree_rss,
            "max_child_rss_bytes": self.max_child_rss, "rows": self.rows,
            "rows_per_second": None if self.rows_per_second is None else round(self.rows_per_second, 1),
            "dbt_parse_seconds": self.parse_seconds, "dbt_parse_reused": self.parse_reused,
            "note": self.note,
        }


def median(values: Sequence[float]) -> float:
    """Median of the repeats; NaN for none (a stage that never ran)."""
    return float(statistics.median(values)) if values else float("nan")


def rows_per_second(rows: int | None, seconds: float) -> float | None:
    if rows is None or not seconds or seconds != seconds or seconds <= 0:
        return None
    return rows / seconds


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """numerator / denominator, None when either is missing or the denominator is not positive."""
    if numerator is None or denominator is None or denominator <= 0 or numerator != numerator:
        return None
    return numerator / denominator


def baseline_ratio(results: Sequence[StageResult], scale: int, *, cpu: bool = False) -> float | None:
    """(median ingest + median build) / median baseline, for one scale, in wall time (or CPU time);
    None if any of the three is missing or failed."""
    by_stage = {r.stage: r for r in results if r.scale == scale and r.ok}
    if not {"ingest", "build", "baseline"} <= by_stage.keys():
        return None

    def value(stage: str) -> float:
        return by_stage[stage].median_cpu_seconds if cpu else by_stage[stage].median_seconds

    return ratio(value("ingest") + value("build"), value("baseline"))


def incremental_ratio(results: Sequence[StageResult], scale: int, *, cpu: bool = False) -> float | None:
    """median incremental month / median full run, for one scale, in wall time (or CPU time); None if either
    is missing or failed."""
    by_stage = {r.stage: r for r in results if r.scale == scale and r.ok}
    if not {"run", "incremental"} <= by_stage.keys():
        return None

    def value(stage: str) -> float:
        return by_stage[stage].median_cpu_seconds if cpu else by_stage[stage].median_seconds

    return ratio(value("incremental"), value("run"))


def format_parse(result: StageResult) -> str:
    """`0.84 s (saved)`: dbt reused its saved parse; `6.2 s (full)`: it parsed every file; `–`: no dbt."""
    if not result.parse_seconds:
        return "–"
    return f"{format_seconds(result.median_parse_seconds)} ({'saved' if result.parse_reused else 'full'})"


def format_seconds(seconds: float) -> str:
    if seconds != seconds:
        return "–"
    if seconds >= 120:
        return f"{seconds / 60:.1f} min"
    return f"{seconds:.1f} s" if seconds >= 10 else f"{seconds:.2f} s"


def format_mib(num_bytes: int) -> str:
    return f"{num_bytes / MIB:,.0f} MiB" if num_bytes else "–"


def format_rate(rate: float | None) -> str:
    if rate is None:
        return "–"
    return f"{rate:,.0f}"


def markdown_table(results: Sequence[StageResult]) -> str:
    """The results as a GitHub markdown table, one row per (scale, stage) in the given order, followed by one
    ratio line per scale that has ingest, build and baseline, and one that has the full run and the incremental
    month."""
    lines = [
        "| scale | stage | median wall | CPU (user+sys) | runs | peak RSS (tree) | peak RSS (largest process) | rows "
        "| rows/s | dbt parse | ok |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        rows = "–" if r.rows is None else f"{r.rows:,}"
        ok = ("yes" if r.ok else "FAILED") + (f": {r.note}" if r.note else "")
        lines.append(
            f"| {r.scale} | {r.stage} | {format_seconds(r.median_seconds)} | {format_seconds(r.median_cpu_seconds)} | "
            f"{len(r.seconds)} | "
            f"{format_mib(r.peak_tree_rss)} | {format_mib(r.max_child_rss)} | {rows} | "
            f"{format_rate(r.rows_per_second)} | {format_parse(r)} | {ok} |"
        )
    for scale in dict.fromkeys(r.scale for r in results):
        value = baseline_ratio(results, scale)
        if value is not None:
            cpu = baseline_ratio(results, scale, cpu=True)
            lines.append(f"\nscale {scale}: (ingest + build) / bare-DuckDB baseline = **{value:.1f}×** wall time"
                         + (f", {cpu:.1f}× CPU time" if cpu is not None else ""))
        value = incremental_ratio(results, scale)
        if value is not None:
            cpu = incremental_ratio(results, scale, cpu=True)
            lines.append(f"\nscale {scale}: incremental month / full run = **{value:.0%}** wall time"
                         + (f", {cpu:.0%} CPU time" if cpu is not None else ""))
    return "\n".join(lines)
