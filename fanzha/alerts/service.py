"""Alerts end to end: read the published watch, work out the alerts, plan per route, send, record.

Used by `fanzha alerts` and, after the publish, by `fanzha run` (`after_run`). A delivery failure is
recorded in the ledger and reported (exit code 3); it never undoes or fails a publish.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from fanzha.alerts import config, core, deliver
from fanzha.alerts.ledger import Ledger
from fanzha.alerts.model import KINDS, Alert, Message, Route
from fanzha.core.errors import UserError
from fanzha.core.paths import DataHome

if TYPE_CHECKING:
    from fanzha.alerts.source import WatchRows

UNDELIVERED_EXIT = 3  # published (or nothing to do), but some alerts were not delivered


@dataclass
class Outcome:
    configured: str
    cut_off: datetime | None
    messages: list[Message]
    implied: int = 0  # alerts the data implies (sent before or not)
    sent: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return UNDELIVERED_EXIT if self.failures else 0

    def note(self) -> str:
        if self.configured == "none":
            return f"no alert routes configured; the data implies {self.implied} alert(s) (`fanzha alerts --dry-run`)"
        text = f"{self.sent} of {len(self.messages)} message(s) delivered ({self.configured})"
        return text + (f"; {len(self.failures)} NOT delivered, retried next run" if self.failures else "")


def _check_units(routes: list[Route], known: set[str], where: str) -> None:
    bad = [f"route {r.name}: unknown unit '{r.unit}' (not a township or member unit code of dim_units)"
           for r in routes if r.unit is not None and r.unit not in known]
    if bad:
        raise UserError(f"{where}: " + "; ".join(bad), exit_code=2)


def work_out(home: DataHome, *, dry_run: bool) -> tuple[Outcome, Ledger]:
    """The messages due now (not yet delivered per route and URL). No network, no ledger writes."""
    from fanzha.alerts import source
    from fanzha.core.read_api import Reader

    routes, settings, configured = config.load(home.root)
    with Reader(home) as reader:
        rows = source.read(reader, settings.post_warning_lookback_days)
    _check_units(routes, rows.unit_codes, configured)
    ledger = Ledger(home.root)
    if not routes and dry_run:  # show what the data implies, as if one route took everything
        routes = [Route(name="（未配置路由）", urls=(), kinds=frozenset(KINDS), everything=True)]
    alerts = alerts_of(rows)
    messages = core.plan(
        alerts, routes, ledger.sent(), cut_off=rows.cut_off, settings=settings,
        target_of=config.url_target, label_of=config.mask_url,
    )
    return Outcome(configured=configured, cut_off=rows.cut_off, messages=messages, implied=len(alerts)), ledger


def alerts_of(rows: WatchRows) -> list[Alert]:
    return [*core.victim_alerts(rows.victims), *core.overdue_alerts(rows.overdue),
            *core.process_alerts(rows.below_target)]


@contextmanager
def _sending_lock(home: DataHome) -> Iterator[None]:
    """One sender at a time (a manual `fanzha alerts` during the cron run would send twice)."""
    import fcntl

    home.root.mkdir(parents=True, exist_ok=True)
    with open(home.root / "alerts.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as err:
            raise UserError("another fanzha is sending alerts right now (alerts.lock is held); try again later",
                            exit_code=1) from err
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def send_due(home: DataHome, *, report: Any = None) -> Outcome:
    """Send every message due and record each attempt. `report(text)` hears about each failure."""
    with _sending_lock(home):
        return _send_due(home, report)


def _send_due(home: DataHome, report: Any) -> Outcome:
    outcome, ledger = work_out(home, dry_run=False)
    for message in outcome.messages:
        ok, error = deliver.send(message)
        ledger.record(keys=message.keys, route=message.route, target=message.target,
                      target_label=message.target_label, kind=message.kind, unit=message.unit,
                      title=message.title, ok=ok, error=error)
        if ok:
            outcome.sent += 1
        else:
            failure = f"{message.route} ({message.target_label}) {message.title}: {error}"
            outcome.failures.append(failure)
            if report is not None:
                report(failure)
    return outcome


def after_run(home: DataHome, log: Any, outcome: str, code: int) -> tuple[str, int]:
    """The `alerts` stage of `fanzha run`, after the publish (or a no-op). Returns the run's (outcome, code)."""
    with log.stage("alerts") as info:
        try:
            result = send_due(home, report=lambda text: log.event("alert_undelivered", f"  not delivered: {text}",
                                                                  detail=text))
        except UserError as err:
            info["status"], info["note"] = "failed", err.message
            log.event("alerts_failed", f"alerts NOT delivered: {err.message}", reason=err.message)
            failed = True
        except Exception as exc:  # a bug must not turn a published run into a failed one: log it, exit 3
            import traceback

            info["status"], info["note"] = "failed", repr(exc)
            log.event("alerts_failed", f"alerts NOT delivered: {exc!r}", traceback=traceback.format_exc())
            failed = True
        else:
            info["note"] = result.note()
            failed = bool(result.failures)
            if failed:
                info["status"] = "failed"
    if failed and code == 0:
        return f"{outcome}; alerts NOT delivered (retried on the next run)", UNDELIVERED_EXIT
    return outcome, code
