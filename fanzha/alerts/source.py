"""The rows the alerts are worded from, read from the published warehouse (SQL does the selection)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from fanzha.core.errors import UserError

if TYPE_CHECKING:
    from fanzha.core.read_api import Reader

OVERDUE = """
select alert_id, name_masked, village_name, alert_type, amount_at_risk, issued_at, next_step, next_step_label,
       next_step_deadline, minutes_overdue, overdue_step_labels, township_code, township_name,
       member_unit_code, member_unit_name
from watch_open_leads
where is_overdue
order by next_step_deadline, alert_id
"""

# 预后被骗 cases reported in the lookback window before the cut-off (and not after it).
VICTIMS = """
select cases.case_id, cases.name_masked, cases.reported_at, cases.occurred_at, cases.loss_amount, cases.fraud_type,
       cases.prior_alert_issued_at, cases.days_since_prior_alert, cases.township_code,
       townships.unit_name as township_name, villages.unit_name as village_name, cases.member_unit_code,
       member_units.unit_name as member_unit_name
from fct_cases as cases
cross join watch_cut_off as cut_off
left join dim_units as townships on cases.township_code = townships.unit_code
left join dim_units as villages on cases.village_code = villages.unit_code
left join dim_units as member_units on cases.member_unit_code = member_units.unit_code
where cases.is_post_warning
  and cases.reported_at <= cut_off.cut_off_at
  and cases.reported_at > cut_off.cut_off_at - to_days(cast(? as integer))
order by cases.reported_at, cases.case_id
"""

BELOW_TARGET = """
select unit_code, unit_name, unit_kind, month, indicator, indicator_label, value_format, direction, value,
       target_to_date
from watch_unit_process_mtd
where misses_target
order by unit_kind desc, unit_code, indicator
"""

NEEDED = ("watch_cut_off", "watch_open_leads", "watch_unit_process_mtd", "fct_cases", "dim_units")


@dataclass(frozen=True)
class WatchRows:
    cut_off: datetime | None
    overdue: list[dict[str, Any]]
    victims: list[dict[str, Any]]
    below_target: list[dict[str, Any]]
    unit_codes: set[str]


def _records(reader: Reader, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    df = reader.query(sql, params or [])
    df = df.astype(object).where(df.notna(), None)
    return df.to_dict("records")


def read(reader: Reader, lookback_days: int) -> WatchRows:
    """Everything the alerts need from the published warehouse."""
    if not reader.available():
        raise UserError(f"no published warehouse at {reader.path} (run `fanzha run` first)", exit_code=1)
    tables = set(reader.query("select table_name from information_schema.tables where table_catalog = 'warehouse'")["table_name"])
    missing = [t for t in NEEDED if t not in tables]
    if missing:
        raise UserError(
            f"the published warehouse has no {', '.join(missing)} (published by an older fanzha): "
            "run `fanzha run --force` to rebuild it", exit_code=1)
    cut = _records(reader, "select cut_off_at from watch_cut_off")
    units = reader.query("select unit_code from dim_units where unit_kind in ('township', 'member_unit')")
    return WatchRows(
        cut_off=cut[0]["cut_off_at"] if cut else None,
        overdue=_records(reader, OVERDUE),
        victims=_records(reader, VICTIMS, [lookback_days]),
        below_target=_records(reader, BELOW_TARGET),
        unit_codes=set(units["unit_code"]),
    )
