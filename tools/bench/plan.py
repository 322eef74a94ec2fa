"""What each stage needs prepared (untimed) and which command is timed, per scale.

Every timed command is a fresh `fanzha …` (or python) process with its own FANZHA_HOME under the work
folder. Inputs a stage depends on (generated exports, a landing database, a built warehouse) are made
once per scale outside the timed section and copied into each repeat's fresh home.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from fanzha.core.paths import REPO_ROOT
from tools.bench.measure import Sample, child_env, run_timed
from tools.bench.stats import StageResult

CLONE_LANDING = REPO_ROOT / "benchmarks" / "clone_landing.py"
ON_LANDING = ("build", "check", "notice", "dashboard")  # stages measured on whatever landing there is
PRODUCES = {"generate": "exports", "ingest": "landed", "build": "built"}
STAGES = ("generate", "ingest", "build", "spark-build", "check", "notice", "dashboard", "run", "incremental", "baseline")
FANZHA = [sys.executable, "-m", "fanzha.cli"]


def fanzha(*args: str) -> list[str]:
    return [*FANZHA, *args]


@dataclass
class ScaleWork:
    """The work folder of one scale and the inputs prepared so far."""

    scale: int
    root: Path
    log: Callable[[str], None]
    timeout: float | None = None  # seconds per command; a stage that exceeds it is killed and reported
    details: dict = field(default_factory=dict)  # extra findings per stage, for the JSON
    blocked: dict = field(default_factory=dict)  # input -> why it cannot be made (not retried per stage)

    @property
    def exports(self) -> Path:
        return self.root / "exports"

    @property
    def landed(self) -> Path:  # a home with landing.duckdb
        return self.root / "landed"

    @property
    def built(self) -> Path:  # a home with landing.duckdb and build/manual/warehouse.duckdb
        return self.root / "built"

    def manifest(self) -> dict:
        return json.loads((self.exports / "manifest.json").read_text(encoding="utf-8"))

    def rows(self) -> int:
        return sum(int(f["rows"]) for f in self.manifest()["files"])

    def last_month(self) -> str:
        return self.manifest()["end"]

    def untimed(self, command: list[str], home: Path, what: str) -> None:
        self.log(f"  preparing (untimed): {what}")
        try:
            done = subprocess.run(command, env=child_env(home), cwd=REPO_ROOT, capture_output=True, text=True,
                                  timeout=self.timeout or None)
        except subprocess.TimeoutExpired:
            raise RuntimeError(f"{what} did not finish within {self.timeout:.0f} s") from None
        if done.returncode != 0:
            raise RuntimeError(f"{what} failed (exit {done.returncode}): {(done.stderr or done.stdout)[-300:]}")

    def timed(self, command: list[str], home: Path, name: str) -> Sample:
        sample = run_timed(command, env=child_env(home), cwd=REPO_ROOT, log_path=self.root / "logs" / f"{name}.log",
                           timeout=self.timeout)
        self.log(f"  {name}: {sample.seconds:.1f} s, peak {sample.peak_tree_rss / 2**20:.0f} MiB, "
                 f"CPU {sample.cpu_seconds:.1f} s, exit {sample.returncode}" + (" (TIMED OUT, killed)" if sample.timed_out else ""))
        return sample

    def check_blocked(self, what: str) -> None:
        if what in self.blocked:
            raise RuntimeError(self.blocked[what])

    # -- inputs -------------------------------------------------------------------------------------------

    def ensure_exports(self) -> None:
        self.check_blocked("exports")
        if not (self.exports / "manifest.json").is_file():
            self.untimed(fanzha("generate", "--out", str(self.exports), "--scale", str(self.scale)),
                         self.root / "home-gen", f"generate scale {self.scale}")

    def ensure_landed(self) -> None:
        if "landed" in self.blocked and self.scale > 1 and CLONE_LANDING.is_file():
            self.clone_landing()
            return
        self.check_blocked("landed")
        if not (self.landed / "landing.duckdb").is_file():
            self.ensure_exports()
            self.untimed(fanzha("ingest", "--quiet", str(self.exports)), self.landed, "ingest")

    def clone_landing(self) -> None:
        """When ingest at this scale did not finish: a scale-1 landing cloned N times by the warehouse part's
        benchmarks/clone_landing.py, so build, check, notice and dashboard can still be measured at scale."""
        target = self.landed / "landing.duckdb"
        if target.is_file():
            return
        one = self.root / "scale-1-source"
        if not (one / "landed" / "landing.duckdb").is_file():
            fresh_home(one / "landed")
            self.untimed(fanzha("generate", "--out", str(one / "exports"), "--scale", "1"), one, "generate scale 1")
            self.untimed(fanzha("ingest", "--quiet", str(one / "exports")), one / "landed", "ingest scale 1")
        fresh_home(self.landed)
        self.untimed([sys.executable, str(CLONE_LANDING), str(one / "landed" / "landing.duckdb"), str(target),
                      "--scale", str(self.scale)], self.landed, f"clone the scale-1 landing to scale {self.scale}")
        self.details["landing_source"] = (f"cloned from scale 1 by benchmarks/clone_landing.py because "
                                          f"{self.blocked['landed']}")

    def ensure_built(self) -> None:
        self.check_blocked("built")
        warehouse = self.built / "build" / "manual" / "warehouse.duckdb"
        if not warehouse.is_file():
            self.ensure_landed()
            fresh_home(self.built)
            shutil.copy2(self.landed / "landing.duckdb", self.built / "landing.duckdb")
            self.untimed(fanzha("build"), self.built, "build")
        if not (self.built / "warehouse.duckdb").is_file():  # what the read API and dashboard open
            shutil.copy2(warehouse, self.built / "warehouse.duckdb")


def landed_so_far(landing: Path, sample: Sample) -> dict:
    """Files and rows a killed ingest had committed, and its rate (to extrapolate the full run)."""
    import duckdb

    try:
        with duckdb.connect(str(landing), read_only=True) as conn:
            files, rows = conn.execute("select count(*), coalesce(sum(rows_read), 0) from main.ingest_log").fetchone()
    except (duckdb.Error, OSError) as err:
        return {"error": str(err).splitlines()[0][:200]}
    return {"files": files, "rows_read": int(rows), "seconds": round(sample.seconds, 1),
            "cpu_seconds": round(sample.cpu_seconds, 1),
            "files_per_second": round(files / sample.seconds, 2) if sample.seconds else None}


def fresh_home(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def _result(work: ScaleWork, stage: str, samples: list[Sample], rows: int | None, note: str = "",
            parses: list[tuple[float, bool] | None] | None = None) -> StageResult:
    failed = [s for s in samples if s.returncode != 0]
    if failed and not note:
        last_line = (failed[0].stderr_tail.splitlines() or [""])[-1][:160]
        note = f"exit {failed[0].returncode}" + (f": {last_line}" if last_line else "")
        if failed[0].timed_out:
            note = f"timed out: killed after {failed[0].seconds:.0f} s (a lower bound)"
    if failed and len(failed) == len(samples):  # nothing this stage makes can feed a later one
        work.blocked.setdefault(PRODUCES.get(stage, stage), f"{stage} did not succeed: {note}")
    if stage == "incremental" and "incremental_history" in work.details:
        note = "; ".join(filter(None, [note, "history cloned from scale 1 (the full run did not finish)"]))
    if stage in ON_LANDING and "landing_source" in work.details:
        note = "; ".join(filter(None, [note, "on a landing cloned from scale 1 (ingest did not finish)"]))
    return StageResult(
        scale=work.scale, stage=stage, seconds=[s.seconds for s in samples],
        peak_tree_rss=max((s.peak_tree_rss for s in samples), default=0),
        max_child_rss=max((s.max_child_rss for s in samples), default=0),
        rows=rows, ok=bool(samples) and not failed, note=note, cpu_seconds=[s.cpu_seconds for s in samples],
        parse_seconds=[p[0] for p in parses or [] if p] or None,
        parse_reused=all(p[1] for p in parses if p) if any(parses or []) else None,
    )


# -- the stages ---------------------------------------------------------------------------------------------


def bench_generate(work: ScaleWork, repeat: int) -> StageResult:
    samples = []
    for r in range(repeat):
        out = work.root / f"gen-{r}"
        shutil.rmtree(out, ignore_errors=True)
        samples.append(work.timed(fanzha("generate", "--out", str(out), "--scale", str(work.scale)),
                                  fresh_home(work.root / f"home-gen-{r}"), f"generate-{r}"))
        if samples[-1].returncode == 0 and not work.exports.exists():
            out.rename(work.exports)
        else:
            shutil.rmtree(out, ignore_errors=True)
    rows = work.rows() if (work.exports / "manifest.json").is_file() else None
    return _result(work, "generate", samples, rows)


def bench_ingest(work: ScaleWork, repeat: int) -> StageResult:
    work.ensure_exports()
    samples = []
    for r in range(repeat):
        home = fresh_home(work.root / f"ingest-{r}")
        samples.append(work.timed(fanzha("ingest", "--quiet", str(work.exports)), home, f"ingest-{r}"))
        if samples[-1].timed_out:  # how far it got: files commit one by one, so the landed ones are there
            work.details["ingest_progress_at_timeout"] = landed_so_far(home / "landing.duckdb", samples[-1])
        if samples[-1].returncode == 0 and not (work.landed / "landing.duckdb").is_file():
            shutil.rmtree(work.landed, ignore_errors=True)
            home.rename(work.landed)
        else:
            shutil.rmtree(home, ignore_errors=True)
    return _result(work, "ingest", samples, work.rows())


def bench_build(work: ScaleWork, repeat: int) -> StageResult:
    from tools.bench.profile import dbt_model_timings, dbt_parse

    work.ensure_landed()
    samples, parses = [], []
    for r in range(repeat):
        home = fresh_home(work.root / f"build-{r}")
        shutil.copy2(work.landed / "landing.duckdb", home / "landing.duckdb")
        samples.append(work.timed(fanzha("build"), home, f"build-{r}"))
        parses.append(dbt_parse(work.root / "logs" / f"build-{r}.log"))
        work.details["build_models_top"] = dbt_model_timings(home / "build" / "manual" / "dbt_target")[:12]
        if samples[-1].returncode == 0 and not (work.built / "build" / "manual" / "warehouse.duckdb").is_file():
            shutil.rmtree(work.built, ignore_errors=True)
            home.rename(work.built)
        else:
            shutil.rmtree(home, ignore_errors=True)
    work.ensure_built()
    return _result(work, "build", samples, work.rows(), parses=parses)


def bench_spark_build(work: ScaleWork, repeat: int) -> StageResult:
    """`fanzha build --engine spark` (local Spark, needs the spark extra) on the landing `build` uses; the
    Spark build's own step timings (export, session, dbt, simulate, serve) go to the details."""
    work.ensure_landed()
    samples = []
    for r in range(repeat):
        home = fresh_home(work.root / f"spark-build-{r}")
        shutil.copy2(work.landed / "landing.duckdb", home / "landing.duckdb")
        samples.append(work.timed(fanzha("build", "--engine", "spark", "--quiet"), home, f"spark-build-{r}"))
        steps = home / "build" / "manual" / "spark_steps.json"
        if steps.is_file():
            work.details.setdefault("spark_build_steps_seconds", []).append(
                json.loads(steps.read_text(encoding="utf-8"))["steps"])
        shutil.rmtree(home, ignore_errors=True)
    return _result(work, "spark-build", samples, work.rows())


def bench_check(work: ScaleWork, repeat: int) -> StageResult:
    work.ensure_built()
    samples = [work.timed(fanzha("check"), work.built, f"check-{r}") for r in range(repeat)]
    return _result(work, "check", samples, None)


def bench_notice(work: ScaleWork, repeat: int) -> StageResult:
    work.ensure_built()
    month = work.last_month()
    warehouse = work.built / "build" / "manual" / "warehouse.duckdb"
    samples = []
    for r in range(repeat):
        out = work.root / f"notice-{r}"
        shutil.rmtree(out, ignore_errors=True)
        samples.append(work.timed(fanzha("notice", "--month", month, "--out", str(out), "--warehouse", str(warehouse)),
                                  work.built, f"notice-{r}"))
    return _result(work, "notice", samples, None)


def bench_dashboard(work: ScaleWork, repeat: int) -> StageResult:
    work.ensure_built()
    samples = []
    for r in range(repeat):
        samples.append(work.timed([sys.executable, "-m", "tools.bench.dashboard_probe"], work.built, f"dashboard-{r}"))
        pages = _last_json_line(work.root / "logs" / f"dashboard-{r}.log")
        if pages:
            work.details["dashboard_pages_seconds"] = pages.get("pages")
    return _result(work, "dashboard", samples, None)


def bench_run(work: ScaleWork, repeat: int) -> StageResult:
    from tools.bench.profile import dbt_model_timings, dbt_parse, run_stage_timings

    work.ensure_exports()
    samples, parses = [], []
    for r in range(repeat):
        home = fresh_home(work.root / f"run-{r}")
        samples.append(work.timed(fanzha("run", "--inbox", str(work.exports)), home, f"run-{r}"))
        work.details["run_stages_seconds"] = run_stage_timings(home / "logs")
        work.details["run_stages_cpu_seconds"] = run_stage_timings(home / "logs", "cpu_seconds")
        work.details["run_models_top"] = dbt_model_timings(home / "build" / "work" / "dbt_target")[:12]
        parses.append(dbt_parse(home / "logs"))
        shutil.rmtree(home, ignore_errors=True)
    return _result(work, "run", samples, work.rows(), parses=parses)


def bench_baseline(work: ScaleWork, repeat: int) -> StageResult:
    from tools.bench.baseline import prepare

    work.ensure_exports()
    root = work.root / "baseline-input"
    if not root.is_dir():
        work.log("  preparing (untimed): baseline input (XLSX→CSV, UTF-8, column keys)")
        work.details["baseline_rows"] = prepare(work.exports, root)
    database = work.root / "baseline.duckdb"
    samples = []
    for r in range(repeat):
        database.unlink(missing_ok=True)
        command = [sys.executable, "-m", "tools.bench.baseline", str(root), str(database)]
        samples.append(work.timed(command, work.root, f"baseline-{r}"))
    warehouse = work.built / "build" / "manual" / "warehouse.duckdb"
    if database.is_file() and warehouse.is_file() and "landing_source" not in work.details:
        from tools.bench.baseline import agreement

        work.details["baseline_agreement_with_kpi_district_monthly"] = agreement(warehouse, database)
    return _result(work, "baseline", samples, work.details.get("baseline_rows"))


def _last_json_line(path: Path) -> dict | None:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    for line in reversed(lines):
        if line.startswith("{"):
            try:
                return json.loads(line)
            except ValueError:
                return None
    return None


def split_last_month(exports: Path, before: Path, latest: Path) -> int:
    """Hard-link `exports` into before/ (every month but the last) and latest/ (the last month's files);
    returns the rows of the last month."""
    manifest = json.loads((exports / "manifest.json").read_text(encoding="utf-8"))
    fresh_home(before), fresh_home(latest)
    rows = 0
    for f in manifest["files"]:
        target = latest if f.get("month") == manifest["end"] else before
        rows += int(f["rows"]) if target is latest else 0
        (target / f["file"]).hardlink_to(exports / f["file"])
    return rows


def seed_from_clone(work: ScaleWork, seeded: Path) -> None:
    """Every month but the last at scale N without the full ingest: Nanhe's earlier months ingested at
    scale 1, cloned N times (benchmarks/clone_landing.py), built and published by `fanzha run`."""
    one = work.root / "scale-1-source"
    if not (one / "exports" / "manifest.json").is_file():
        work.untimed(fanzha("generate", "--out", str(one / "exports"), "--scale", "1"), one, "generate scale 1")
    split_last_month(one / "exports", one / "before", one / "last")
    fresh_home(one / "landed-before")
    work.untimed(fanzha("ingest", "--quiet", str(one / "before")), one / "landed-before", "ingest scale-1 history")
    work.untimed([sys.executable, str(CLONE_LANDING), str(one / "landed-before" / "landing.duckdb"),
                  str(seeded / "landing.duckdb"), "--scale", str(work.scale)], seeded, "clone the history")
    empty = fresh_home(work.root / "empty-inbox")
    work.untimed(fanzha("run", "--inbox", str(empty)), seeded, "build and publish the cloned history")
    work.details["incremental_history"] = (f"every month but the last cloned from scale 1 (because "
                                           f"{work.blocked['run']}); the last month: the real scale-{work.scale} files")


def bench_incremental(work: ScaleWork, repeat: int) -> StageResult:
    """`fanzha run` that adds the last month to a home that already published every earlier month — in the
    same folder as the run that published them, as a district's monthly cron does, so dbt's saved parse and the
    last build are there to be continued (a copy of that home is put back at the same path for each repeat)."""
    from tools.bench.profile import dbt_model_timings, dbt_parse, run_stage_timings

    work.ensure_exports()
    before, latest = work.root / "split-before", work.root / "split-last"
    rows = split_last_month(work.exports, before, latest)
    home, pristine = work.root / "incr-home", work.root / "incr-seed"
    if not (pristine / "warehouse.duckdb").is_file():
        fresh_home(home)
        if "run" in work.blocked and work.scale > 1 and CLONE_LANDING.is_file():
            seed_from_clone(work, home)
        else:
            work.check_blocked("run")
            work.untimed(fanzha("run", "--inbox", str(before)), home, "run over every month but the last")
        shutil.rmtree(pristine, ignore_errors=True)
        shutil.copytree(home, pristine)
    samples, parses = [], []
    for r in range(repeat):  # each repeat adds the same month to the same history, at the same path
        shutil.rmtree(home, ignore_errors=True)
        shutil.copytree(pristine, home)
        samples.append(work.timed(fanzha("run", "--inbox", str(latest)), home, f"incremental-{r}"))
        work.details["incremental_stages_seconds"] = run_stage_timings(home / "logs")
        work.details["incremental_stages_cpu_seconds"] = run_stage_timings(home / "logs", "cpu_seconds")
        work.details["incremental_models_top"] = dbt_model_timings(home / "build" / "work" / "dbt_target")[:12]
        parses.append(dbt_parse(home / "logs"))
    shutil.rmtree(home, ignore_errors=True)
    return _result(work, "incremental", samples, rows, parses=parses)


BENCHES: dict[str, Callable[[ScaleWork, int], StageResult]] = {
    "generate": bench_generate, "ingest": bench_ingest, "build": bench_build, "spark-build": bench_spark_build,
    "check": bench_check,
    "notice": bench_notice, "dashboard": bench_dashboard, "run": bench_run, "incremental": bench_incremental,
    "baseline": bench_baseline,
}
