"""Suites over the build file's staging models (the current version of each landed record, as dbt picked
it) and the feed freshness the `dq_feed_freshness` mart computes: what dbt's tests cannot say.

Keys, not-nulls, enumerations and value ranges are dbt tests (warehouse/models/**.yml) and fail the build;
here: the timing between two feeds (contacts against their leads), the time order within cases, the
ingestion ledger's accounting and each feed's freshness window.
"""

from __future__ import annotations

from expectations.report import WARNING
from expectations.rules import EXPORT_LAG_HOURS, FRESHNESS_DAYS, Check, between, not_null

FEEDS = ("alerts", "contacts", "interceptions", "cases", "activities")

# The per-feed freshness the publish record carries: computed once, by dbt (dq_feed_freshness).
FRESHNESS_SQL = """
select feed, latest_record_at, latest_file_loaded_at, rows_landed, period_end, days_behind
from wh.marts.dq_feed_freshness
order by feed
"""

CONTACT_LAG_SQL = """
select contacts.action_id, contacts.alert_id, contacts.action_at, alerts.issued_at,
       greatest(0, date_diff('second', contacts.action_at, alerts.issued_at)) / 3600.0 as hours_before_issue
from wh.staging.stg_landing__contacts as contacts
join wh.staging.stg_landing__alerts as alerts on alerts.alert_id = contacts.alert_id
"""

STAGING_CHECKS: tuple[Check, ...] = (
    Check(
        "staging_contacts",
        "stg_landing__contacts",
        CONTACT_LAG_SQL,
        (
            between(
                "hours_before_issue",
                0,
                EXPORT_LAG_HOURS,
                rule=f"no lead contacted more than {EXPORT_LAG_HOURS} h (the export lag) before it was issued",
            ),
        ),
        ("staging.stg_landing__contacts", "staging.stg_landing__alerts"),
    ),
    Check(
        "staging_cases",
        "stg_landing__cases",
        "select case_id, date_diff('second', occurred_at, reported_at) as seconds_occurred_to_reported "
        "from wh.staging.stg_landing__cases where reported_at is not null",
        (
            between(
                "seconds_occurred_to_reported",
                0,
                None,
                WARNING,
                "a case is reported at or after it occurred",
            ),
        ),
        ("staging.stg_landing__cases",),
    ),
    Check(
        "staging_ingest_log",
        "stg_landing__ingest_log",
        "select file_name, rows_read - (rows_landed + rows_quarantined + rows_duplicate) as rows_unaccounted "
        "from wh.staging.stg_landing__ingest_log where status = 'landed'",
        (
            between(
                "rows_unaccounted", 0, 0, rule="every input row landed, quarantined or skipped as duplicate"
            ),
        ),
        ("staging.stg_landing__ingest_log",),
    ),
    Check(
        "feed_freshness",
        "dq_feed_freshness",
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
        ("marts.dq_feed_freshness",),
    ),
)
