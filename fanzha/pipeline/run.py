"""`fanzha run`: the monthly run cron can trust.

ingest the inbox -> (no-op if nothing changed) -> build into build/work/ (every dbt layer; a copy of the last
build, continued incrementally: pipeline/workbuild.py) -> check (GX gate on the build's staging models and marts)
-> copy the marts schema into a new file, write the publish record there -> fsync -> os.replace onto
warehouse.duckdb -> the work build becomes the next run's base -> issue the month's notices -> clean old
builds -> send the alerts due (docs/watch.md). Exit codes: 0 published or nothing to do, 1 failed (lock,
ingest, build, gate, notices), 2 usage, 3 published (or nothing to do) but some alerts not delivered.
A failed run never touches the published warehouse.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fanzha.alerts.service import after_run
from fanzha.core.errors import UserError
from fanzha.core.paths import DataHome, data_home

if TYPE_CHECKING:
    from expectations.report import CheckReport
    from fanzha.pipeline.runlog import RunLog


def _month(text: str) -> date:
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
        raise argparse.ArgumentTypeError(f"invalid month {text!r}: expected YYYY-MM, e.g. 2024-06")
    return date(int(text[:4]), int(text[5:]), 1)


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--inbox", type=Path, default=None, help="directory of exports (default $FANZHA_HOME/inbox)"
    )
    parser.add_argument(
        "--month",
        type=_month,
        default=None,
        help="month to issue notices for, YYYY-MM (default: latest complete)",
    )
    parser.add_argument("--force", action="store_true", help="rebuild and publish even if nothing changed")
    parser.add_argument(
        "--full-refresh",
        action="store_true",
        help="rebuild every model and month from scratch instead of continuing the last build",
    )


class RunFailed(Exception):
    """A stage failed: the message says why; the published warehouse is untouched."""


# Called with the stage's name at the end of ingest, build, check and publish (for publish: record
# written and fsynced, not yet renamed). The CLI passes none; tests pass one that stops the run there.
Pause = Callable[[str], None]


def _no_pause(stage: str) -> None:
    return None


def run(args: argparse.Namespace, *, pause: Pause = _no_pause) -> int:
    from fanzha.pipeline.lock import RunLock
    from fanzha.pipeline.runlog import RunLog, new_run_id

    home = data_home()
    inbox = (args.inbox or home.inbox).expanduser().resolve()
    if not inbox.is_dir():
        raise UserError(f"inbox {inbox} is not a directory", exit_code=2)
    home.ensure()
    run_id = new_run_id()
    log = RunLog(home.logs / f"{run_id}.jsonl", run_id)
    log.event("run_start", f"fanzha run {run_id}: home {home.root}, inbox {inbox}", inbox=str(inbox))
    lock = RunLock(home.root / "run.lock", run_id, on_stale=lambda msg: log.event("stale_lock", msg))
    try:
        lock.acquire()
    except UserError as err:
        log.event("run_failed", reason=err.message)
        log.finish("failed: " + err.message, 1)
        raise
    try:
        outcome, code = _run_locked(home, args, log, run_id, inbox, pause)
        outcome, code = after_run(home, log, outcome, code)  # alerts: exit 3 when some were not delivered
    except RunFailed as failure:
        outcome, code = f"failed: {failure}", 1
        log.event("run_failed", f"FAILED: {failure}", reason=str(failure))
    except UserError as err:
        outcome, code = f"failed: {err.message}", err.exit_code
        log.event("run_failed", reason=err.message)
        lock.release()
        log.finish(outcome, code)
        raise
    except Exception as exc:  # a bug: keep the traceback in the run log too, then let it surface
        import traceback

        log.event("run_crashed", f"CRASHED: {exc!r}", traceback=traceback.format_exc())
        lock.release()
        log.finish(f"crashed: {exc!r}", 1)
        raise
    finally:
        lock.release()
    log.finish(outcome, code)
    return code


def _run_locked(
    home: DataHome, args: argparse.Namespace, log: RunLog, run_id: str, inbox: Path, pause: Pause
) -> tuple[str, int]:
    from fanzha.pipeline import changes, fingerprint, publish, stages, workbuild

    leftovers = publish.clean_builds(home)
    if leftovers:
        log.event(
            "cleaned",
            f"removed {len(leftovers)} unfinished build(s): {', '.join(leftovers)}",
            builds=leftovers,
        )

    rejected: list[str] = []
    with log.stage("ingest") as info:
        report = stages.ingest(home, inbox, archive=inbox == home.inbox)
        if report.files:
            rejected = _log_ingest(log, report)
            statuses = [f.status for f in report.files]
            totals = report.totals()
            passed_over = sum(1 for f in report.files if f.file_id is None)
            info["note"] = (
                f"{statuses.count('landed')} file(s) landed, {statuses.count('skipped_duplicate_file')} already "
                f"landed, {passed_over} skipped (not exports), {len(rejected)} rejected; rows: "
                f"{totals['rows_landed']} landed, {totals['rows_quarantined']} quarantined, "
                f"{totals['rows_duplicate']} duplicate"
            )
        else:
            info["note"] = "inbox empty"
        pause("ingest")

    inputs = fingerprint.input_fingerprint(home.landing)
    code_version = fingerprint.code_version()
    published = publish.read_published(home.warehouse)
    if inputs == "empty":
        raise RunFailed(f"nothing to build: no export has landed yet (inbox {inbox} has none)")
    if (
        published is not None
        and published.get("input_fingerprint") == inputs
        and published.get("code_version") == code_version
        and not (args.force or args.full_refresh)
    ):
        log.event(
            "noop",
            f"nothing new: the published warehouse (run {published.get('run_id')}) already holds these inputs "
            "and this code; not rebuilding",
            published_run=published.get("run_id"),
        )
        if args.month is not None:
            _notices(home, log, args.month)
        return "nothing new (no-op)", 0

    with log.stage("build") as info:
        work = workbuild.prepare(home, code_version, full_refresh=args.full_refresh)
        out = work.file
        result = stages.build(home, out, continued=work.continued, work_dir=work.dbt_dir)
        parse = getattr(result, "parse", None)
        info["note"] = (
            f"{getattr(result, 'models', '?')} models, {getattr(result, 'tests', '?')} tests, "
            + (f"{parse.describe()}, " if parse is not None else "")
            + work.describe()
        )
        if parse is not None:
            log.event("dbt_parse", seconds=round(parse.seconds, 3), reused=parse.reused, reason=parse.reason)
        if not getattr(result, "ok", False):
            info["status"] = "failed"
            for failure in list(getattr(result, "failures", []) or [])[:20]:
                log.event("build_failure", f"  build failure: {failure}", failure=str(failure))
            raise RunFailed("the warehouse build failed; the published warehouse is unchanged")
        rebuilt = changes.rebuild_summary(
            out, getattr(result, "invocation_id", ""), continued=work.continued, why=work.reason
        )
        log.event("rebuilt", f"  {changes.describe(rebuilt)}", **rebuilt)
        pause("build")

    report = _check(home, log, out, pause=pause)

    with log.stage("publish") as info:
        from fanzha.pipeline.publish import PublishRecord

        record = PublishRecord(
            published_at=datetime.now(UTC),
            run_id=run_id,
            code_version=code_version,
            input_fingerprint=inputs,
            scheme_version=publish.scheme_version_of(out) or fingerprint.seed_scheme_version(),
            expectations_json=report.to_json(),
            freshness_json=report.freshness_json(),
            rebuild_json=changes.to_json(rebuilt),
        )
        candidate = out.with_name(publish.CANDIDATE_NAME)
        marts = publish.export_marts(out, candidate)  # the marts schema only, into a new file
        publish.write_publish_record(candidate, record, home.warehouse if home.warehouse.exists() else None)
        publish.make_durable(candidate)
        pause("publish")
        publish.atomic_publish(candidate, home.warehouse)
        workbuild.record_state(out, code_version, run_id)
        workbuild.promote(home, out)
        path = publish.write_publish_json(home, record)
        info["note"] = f"{home.warehouse}: {len(marts)} marts (record {path.name})"

    notice_ok = _notices(home, log, args.month)

    with log.stage("clean") as info:
        removed = publish.clean_builds(home)
        info["note"] = f"{len(removed)} build dir(s) removed"

    if rejected:
        return f"published; {len(rejected)} file(s) REJECTED at ingest (see above)", 1
    if not notice_ok:
        return "published; notices FAILED", 1
    return "published", 0


def _log_ingest(log: RunLog, report: Any) -> list[str]:
    """Log every file's accounting; print rejected files (file and reason). Returns the rejected names."""
    rejected = []
    for f in report.files:
        fields = {
            k: getattr(f, k, None)
            for k in (
                "file_name",
                "status",
                "feed",
                "rows_read",
                "rows_landed",
                "rows_quarantined",
                "rows_duplicate",
                "archived_to",
            )
        }
        log.event("ingest_file", **fields)
        if f.status == "rejected":
            rejected.append(f.file_name)
            log.event("ingest_rejected", f"  rejected {f.message}", file_name=f.file_name)  # message: "name: why"
        elif f.file_id is None:  # passed over: not an export
            log.event("ingest_skipped", f"  skipped {f.message}", file_name=f.file_name, status=f.status)
    return rejected


def _check(home: DataHome, log: RunLog, warehouse: Path, *, pause: Pause) -> CheckReport:
    """Run the suites on the build file (its staging models and marts); fail on a critical failure."""
    from expectations import describe_failures, format_table
    from expectations.runner import run_checks

    stage = "check"
    with log.stage(stage) as info:
        report = run_checks(warehouse, docs_dir=home.quality)
        s = report.summary()
        info["note"] = (
            f"{s['expectations']} expectations, {s['critical_failures']} critical failures, {s['warnings']} warnings"
        )
        log.event("check_results", stage=stage, summary=s, docs=report.docs_index)
        if s["critical_failures"] or s["warnings"]:
            print(format_table(report, only_failures=True), flush=True)
        if report.critical_failures:
            info["status"] = "failed"
            for line in describe_failures(report):
                log.event("gate_failure", f"  critical: {line}", detail=line)
            raise RunFailed(
                f"{len(report.critical_failures)} critical expectation(s) failed on the built warehouse; not published, "
                f"the published warehouse is unchanged (Data Docs: {home.quality / 'index.html'})"
            )
        pause(stage)
    return report


def _notices(home: DataHome, log: RunLog, month: date | None) -> bool:
    from fanzha.pipeline import stages

    with log.stage("notices") as info:
        months = stages.data_months(home.warehouse)
        chosen = month or stages.latest_complete_month(months)
        if chosen is None:
            info["status"], info["note"] = "skipped", "no complete month in the data"
            log.event("notices_skipped", "warning: no complete month in the data; no notice issued")
            return True
        if chosen not in months:
            info["status"] = "failed"
            span = f"{months[0]:%Y-%m} … {months[-1]:%Y-%m}" if months else "none"
            log.event("notices_failed", f"error: month {chosen:%Y-%m} is not in the data (months: {span})")
            return False
        try:
            results = stages.issue_notices(home, chosen)
        except Exception as exc:  # the warehouse is published; report the notice failure, exit 1
            import traceback

            info["status"] = "failed"
            log.event(
                "notices_failed",
                f"error: issuing the {chosen:%Y-%m} notices failed: {exc}",
                traceback=traceback.format_exc(),
            )
            return False
        info["note"] = f"{chosen:%Y-%m}: {len(results)} notice(s) in {home.notices / f'{chosen:%Y-%m}'}"
    return True
