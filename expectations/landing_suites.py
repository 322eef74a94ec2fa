"""Suites over landing.duckdb: what ingestion promises (docs/contracts.md §3), lead timing and feed freshness."""

from __future__ import annotations

from expectations.report import WARNING
from expectations.rules import (
    EXPORT_LAG_HOURS,
    FRESHNESS_DAYS,
    Check,
    between,
    in_set,
    non_negative,
    not_null,
)

ALERT_TYPES = ["资金预警", "电话预警", "APP预警", "短信预警", "其他"]
ACTION_KINDS = ["首次劝阻", "回访", "提级劝阻"]
CONTACT_METHODS = ["电话", "短信", "上门见面", "警示室", "视频"]
OUTCOMES = ["劝阻成功", "已被骗", "拒不配合", "无法联系", "误报"]
STOP_METHODS = ["紧急止付", "冻结", "劝阻拦截", "资金返还"]
ACTIVITY_KINDS = ["反诈培训", "反诈宣传", "警示教育", "督导检查"]

# Feed -> (landing table, the timestamp that dates a record).
FEED_CLOCKS = {
    "alerts": ("alerts", "issued_at"),
    "contacts": ("contacts", "action_at"),
    "interceptions": ("interceptions", "stopped_at"),
    "cases": ("cases", "reported_at"),
    "activities": ("activities", "cast(activity_date as timestamp)"),
}


def _freshness_sql() -> str:
    per_feed = "\n  union all ".join(
        f"select '{feed}' as feed, max({clock}) as latest_record_at, max(_loaded_at) as latest_file_loaded_at, "
        f"count(*) as rows_landed from landing.main.{table}"
        for feed, (table, clock) in FEED_CLOCKS.items()
    )
    return f"""
with per_feed as (
  {per_feed}
),
reference as (
  select date_trunc('month', max(latest_record_at)) + interval 1 month as period_end from per_feed
)
select feed, latest_record_at, latest_file_loaded_at, rows_landed,
       reference.period_end,
       date_diff('day', latest_record_at, reference.period_end) as days_behind
from per_feed cross join reference
order by feed
"""


FRESHNESS_SQL = _freshness_sql()

CONTACT_LAG_SQL = """
with alerts_current as (
  select alert_id, issued_at from landing.main.alerts
  qualify row_number() over (partition by alert_id order by _file_id desc, _row_number desc) = 1
),
contacts_current as (
  select action_id, alert_id, action_at from landing.main.contacts
  qualify row_number() over (partition by action_id order by _file_id desc, _row_number desc) = 1
)
select c.action_id, c.alert_id, c.action_at, a.issued_at,
       greatest(0, date_diff('second', c.action_at, a.issued_at)) / 3600.0 as hours_before_issue
from contacts_current as c
join alerts_current as a on a.alert_id = c.alert_id
"""

LANDING_CHECKS: tuple[Check, ...] = (
    Check(
        "landing_alerts",
        "alerts",
        "select alert_id, issued_at, alert_type, amount_at_risk from landing.main.alerts",
        (
            not_null("alert_id"),
            not_null("issued_at"),
            non_negative("amount_at_risk"),
            in_set("alert_type", ALERT_TYPES),
        ),
        ("landing.alerts",),
    ),
    Check(
        "landing_contacts",
        "contacts",
        "select action_id, alert_id, action_at, action_kind, method, outcome from landing.main.contacts",
        (
            not_null("action_id"),
            not_null("alert_id"),
            not_null("action_at"),
            in_set("action_kind", ACTION_KINDS),
            in_set("method", CONTACT_METHODS),
            in_set("outcome", OUTCOMES),
        ),
        ("landing.contacts",),
    ),
    Check(
        "landing_contacts",
        "contacts",
        CONTACT_LAG_SQL,
        (
            between(
                "hours_before_issue",
                0,
                EXPORT_LAG_HOURS,
                rule=f"no lead contacted more than {EXPORT_LAG_HOURS} h (the export lag) before it was issued",
            ),
        ),
        ("landing.alerts", "landing.contacts"),
    ),
    Check(
        "landing_interceptions",
        "interceptions",
        "select interception_id, stopped_at, method, amount from landing.main.interceptions",
        (
            not_null("interception_id"),
            not_null("stopped_at"),
            non_negative("amount"),
            in_set("method", STOP_METHODS),
        ),
        ("landing.interceptions",),
    ),
    Check(
        "landing_cases",
        "cases",
        "select case_id, reported_at, occurred_at, loss_amount, recovered_amount, "
        "date_diff('second', occurred_at, reported_at) as seconds_occurred_to_reported from landing.main.cases",
        (
            not_null("case_id"),
            not_null("reported_at"),
            non_negative("loss_amount"),
            non_negative("recovered_amount"),
            between(
                "seconds_occurred_to_reported",
                0,
                None,
                WARNING,
                "a case is reported at or after it occurred",
            ),
        ),
        ("landing.cases",),
    ),
    Check(
        "landing_activities",
        "activities",
        "select activity_id, activity_date, unit_code, activity_kind, participants from landing.main.activities",
        (
            not_null("activity_id"),
            not_null("activity_date"),
            non_negative("participants"),
            not_null("unit_code", WARNING),
            in_set("activity_kind", ACTIVITY_KINDS),
        ),
        ("landing.activities",),
    ),
    Check(
        "landing_ingest_log",
        "ingest_log",
        "select file_name, rows_read - (rows_landed + rows_quarantined + rows_duplicate) as rows_unaccounted "
        "from landing.main.ingest_log where status = 'landed'",
        (
            between(
                "rows_unaccounted", 0, 0, rule="every input row landed, quarantined or skipped as duplicate"
            ),
        ),
        ("landing.ingest_log",),
    ),
    Check(
        "feed_freshness",
        "landing feeds",
        FRESHNESS_SQL,
        (
            not_null("latest_record_at", rule="every feed has at least one record"),
            between(
                "days_behind",
                0,
                FRESHNESS_DAYS,
                rule=f"each feed's latest record within {FRESHNESS_DAYS} days of the end of the latest month in the data",
            ),
        ),
        tuple(f"landing.{table}" for table, _ in FEED_CLOCKS.values()),
    ),
)
