"""`fanzha build`: run the dbt project in `warehouse/` (seed + run + test + unit tests) in-process.

The warehouse file is written where the caller says (`--out`, default
`$FANZHA_HOME/build/manual/warehouse.duckdb`); dbt's target and log folders go beside it (or where the
caller says), so two builds never share `warehouse/target`. dbt is imported inside the functions only:
`fanzha --help` stays fast.

Parse once: the project is parsed by its own `dbt parse` invocation (timed: `BuildResult.parse_seconds`)
and the build runs on that manifest. dbt keeps the parse in `<target>/partial_parse.msgpack` and reuses it
when nothing it hashes has changed — the project files, the command-line `--vars`, and the profile's
connection values (the warehouse and landing paths). A caller that builds into the same path with the
same target folder every time (the monthly run: `build/work/`) therefore parses only what changed.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from fanzha.core.errors import UserError
from fanzha.core.paths import WAREHOUSE_PROJECT, DataHome, data_home

_FAILED = {"error", "fail", "runtime error"}
_TEST_TYPES = {"test", "unit_test"}


@dataclass(frozen=True)
class ParseInfo:
    seconds: float
    reused: bool  # dbt reused the saved parse (partial parsing) instead of parsing every file
    reason: str = ""  # why dbt parsed from scratch, in dbt's words ("profile has changed", …)

    def describe(self) -> str:
        how = "saved parse reused" if self.reused else f"full parse ({self.reason or 'no saved parse'})"
        return f"parse {self.seconds:.1f} s, {how}"


@dataclass(frozen=True)
class BuildResult:
    ok: bool
    seconds: float
    models: int
    tests: int
    failures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # warn-severity tests that found rows
    parse: ParseInfo | None = None  # how long parsing the project took, and whether the saved parse was reused
    invocation_id: str = ""  # dbt's id of the build invocation (int_files_recorded marks the files it took in)


@dataclass(frozen=True)
class _NodeOutcome:
    resource_type: str
    name: str
    status: str
    message: str


def default_out(home: DataHome) -> Path:
    return home.build / "manual" / "warehouse.duckdb"


@contextlib.contextmanager
def dbt_environment(warehouse: Path, landing: Path) -> Iterator[None]:
    """Set the paths profiles.yml reads for the duration of one dbt invocation."""
    saved = {k: os.environ.get(k) for k in ("FANZHA_WAREHOUSE_PATH", "FANZHA_LANDING_PATH")}
    os.environ["FANZHA_WAREHOUSE_PATH"] = str(warehouse)
    os.environ["FANZHA_LANDING_PATH"] = str(landing)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def dbt_args(command: list[str], work_dir: Path, *, quiet: bool = True) -> list[str]:
    """dbt CLI arguments for the repo's project with target/log paths under `work_dir`.

    Usage tracking is off (also in dbt_project.yml); partial parsing is dbt's default and stays on.
    """
    args = [
        *command,
        "--no-send-anonymous-usage-stats",
        "--project-dir", str(WAREHOUSE_PROJECT),
        "--profiles-dir", str(WAREHOUSE_PROJECT),
        "--target-path", str(work_dir / "dbt_target"),
        "--log-path", str(work_dir / "dbt_logs"),
    ]
    if quiet:
        args.insert(0, "--quiet")
    return args


def invoke_dbt(args: list[str], *, manifest=None, callbacks=None):  # -> dbtRunnerResult
    """Run dbt in-process (on an already parsed `manifest` when given), then release dbt-duckdb's
    database handle.

    dbt-duckdb keeps one DuckDB instance per process open after the run; without closing it, the
    same process could not open the new warehouse read-only (or replace it) afterwards.
    """
    from dbt.cli.main import dbtRunner

    try:
        return dbtRunner(manifest=manifest, callbacks=callbacks or []).invoke(args)
    finally:
        release_duckdb()


def parse_project(work_dir: Path):  # -> tuple[Manifest | None, ParseInfo, BaseException | None]
    """`dbt parse` into `work_dir/dbt_target`, timed, noting whether dbt reused its saved parse.

    Run inside `dbt_environment`: the profile's paths are part of what dbt compares with the saved parse.
    """
    import dbt.cli.main  # noqa: F401  (importing dbt, ~1-2 s, is not parsing: keep it out of the timing)

    reasons: list[str] = []

    def on_event(event) -> None:
        if event.info.name == "UnableToPartialParse":
            reasons.append(str(getattr(event.data, "reason", "")))

    started = time.perf_counter()
    result = invoke_dbt(dbt_args(["parse", "--no-write-json"], work_dir), callbacks=[on_event])
    info = ParseInfo(time.perf_counter() - started, reused=not reasons, reason="; ".join(reasons))
    if not result.success:
        return None, info, result.exception or RuntimeError("dbt parse failed (see dbt_logs)")
    return result.result, info, None


def release_duckdb() -> None:
    """Close the DuckDB database dbt-duckdb caches per process and forget it, so the next in-process
    build starts a fresh one and nothing in this process still holds (or has a WAL on) the built file."""
    import gc

    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        env = DuckDBConnectionManager._ENV
        DuckDBConnectionManager._ENV = None
    if env is not None and hasattr(env, "close"):
        env.close()
    DuckDBConnectionManager.close_all_connections()
    gc.collect()


def summarise(outcomes: list[_NodeOutcome], seconds: float, exception: BaseException | None) -> BuildResult:
    """Pure: count models and tests, collect failures by name."""
    models = sum(1 for o in outcomes if o.resource_type == "model")
    tests = sum(1 for o in outcomes if o.resource_type in _TEST_TYPES)
    failures = [
        f"{o.resource_type} {o.name}: {o.status}" + (f" — {o.message}" if o.message else "")
        for o in outcomes
        if o.status in _FAILED
    ]
    warnings = [f"{o.resource_type} {o.name}: {o.message}" for o in outcomes if o.status == "warn"]
    if exception is not None:
        text = str(exception).strip()
        failures.append(f"dbt: {text.splitlines()[0] if text else repr(exception)}")
    return BuildResult(not failures, seconds, models, tests, failures, warnings)


def node_outcomes(result) -> list[_NodeOutcome]:
    run_results = getattr(result.result, "results", None) or []
    outcomes = []
    for r in run_results:
        node = r.node
        message = (r.message or "").strip().splitlines()
        outcomes.append(
            _NodeOutcome(
                resource_type=str(getattr(node.resource_type, "value", node.resource_type)),
                name=node.name,
                status=str(getattr(r.status, "value", r.status)),
                message=message[0][:300] if message and str(getattr(r.status, "value", r.status)) not in ("success", "pass") else "",
            )
        )
    return outcomes


def build_command(
    *, full_refresh: bool, select: str | None, unit_tests: bool, data_tests: bool = True, exclude: str | None = None
) -> list[str]:
    """Pure: the `dbt build` arguments. Unit tests are CI's: the monthly run leaves them out."""
    command = ["build"]
    if full_refresh:
        command.append("--full-refresh")
    if select:
        command += ["--select", select]
    if exclude:
        command += ["--exclude", exclude]
    excluded = [kind for kind, wanted in (("unit_test", unit_tests), ("test", data_tests)) if not wanted]
    for kind in excluded:
        command += ["--exclude-resource-type", kind]
    return command


def current_invocation_id() -> str:
    """The id of dbt's latest invocation in this process (what `{{ invocation_id }}` rendered to)."""
    from dbt_common.invocation import get_invocation_id

    return str(get_invocation_id())


def build_warehouse(
    home: DataHome,
    out: Path,
    *,
    full_refresh: bool = False,
    quiet: bool = False,
    select: str | None = None,
    unit_tests: bool = True,
    data_tests: bool = True,
    exclude: str | None = None,
    work_dir: Path | None = None,
) -> BuildResult:
    """Run `dbt build` into `out` from `home.landing`; print a short summary unless quiet.

    dbt's target and log folders go under `work_dir` (default: beside `out`); keep both the same from one
    build to the next and dbt reuses its saved parse.
    """
    if not home.landing.exists():
        raise UserError(f"no landing database at {home.landing}: run 'fanzha ingest' first", exit_code=1)
    out = Path(out).resolve()
    work = Path(work_dir).resolve() if work_dir is not None else out.parent
    out.parent.mkdir(parents=True, exist_ok=True)
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    invocation_id = ""
    with dbt_environment(out, home.landing):
        manifest, parse, parse_error = parse_project(work)
        if parse_error is not None:
            summary = summarise([], time.perf_counter() - started, parse_error)
            result = None
        else:
            command = build_command(
                full_refresh=full_refresh, select=select, unit_tests=unit_tests, data_tests=data_tests, exclude=exclude
            )
            result = invoke_dbt(dbt_args(command, work), manifest=manifest)
            invocation_id = current_invocation_id()
    seconds = time.perf_counter() - started
    if result is not None:
        summary = summarise(node_outcomes(result), seconds, result.exception)
        if not result.success and summary.ok:  # dbt failed without naming a node
            summary = BuildResult(False, seconds, summary.models, summary.tests, ["dbt build failed (see dbt_logs)"])
    summary = replace(summary, seconds=seconds, parse=parse, invocation_id=invocation_id)
    if not quiet:
        print_summary(summary, out)
    return summary


def print_summary(summary: BuildResult, out: Path) -> None:
    state = "ok" if summary.ok else "FAILED"
    warned = f", {len(summary.warnings)} warnings" if summary.warnings else ""
    parsed = f" ({summary.parse.describe()})" if summary.parse else ""
    print(f"build {state}: {summary.models} models, {summary.tests} tests{warned} in {summary.seconds:.1f} s"
          f"{parsed} -> {out}")
    for warning in summary.warnings:
        print(f"  warning: {warning}")
    for failure in summary.failures:
        print(f"  failed: {failure}", file=sys.stderr)


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, help="warehouse file to write (default: $FANZHA_HOME/build/manual/warehouse.duckdb)")
    parser.add_argument(
        "--incremental",
        action="store_true",
        help="continue the file's incremental models from its last build (default: rebuild every model; the "
        "monthly run `fanzha run` builds incrementally by itself)",
    )
    parser.add_argument("--select", help="dbt node selection, e.g. 'kpi_unit_monthly+'")
    parser.add_argument("--quiet", action="store_true", help="print nothing but failures")


def run(args: argparse.Namespace) -> int:
    home = data_home()
    out = args.out if args.out is not None else default_out(home)
    result = build_warehouse(home, out, full_refresh=not args.incremental, quiet=args.quiet, select=args.select)
    if args.quiet:
        for failure in result.failures:
            print(f"  failed: {failure}", file=sys.stderr)
    return 0 if result.ok else 1
