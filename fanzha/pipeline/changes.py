"""What a build rebuilt and why, read back from the build file for the publish record and the run log.

The dbt project decides it (warehouse/models/intermediate/int_files_recorded.sql, int_records_changed.sql,
int_months_invalidated.sql); this module only reports it:

    {"mode": "incremental" | "full", "why": "<why the run continued the last build or started afresh>",
     "new_files": {"alerts": 1, "contacts": 1, …},        files landed since the build it continued
     "changed_records": {"alerts": 3, …},                 records those files added or corrected
     "months": [{"month": "2024-05", "reasons": ["cases", "lead_of_contact"]}, …]}

Reasons are int_months_invalidated's: a feed name (a record of that feed in that month landed or was corrected),
a linkage (lead_of_contact, contact_of_lead, post_warning_window, later_case_of_person, …), month_range_end, or
every_month:<why>. Each month-partitioned model rebuilds these months plus the later months that read them
(its rebuild offsets: + 12 for year-on-year, + 1 for the previous month's rank, + 0 … 23 for rolling sums).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

MODELS = ("int_files_recorded", "int_records_changed", "int_months_invalidated")


def _schemas(con: Any) -> dict[str, str]:
    rows = con.execute(
        "select table_name, min(schema_name) from duckdb_tables() where table_name in (?, ?, ?) group by table_name",
        list(MODELS),
    ).fetchall()
    return {name: schema for name, schema in rows}


def rebuild_summary(build_file: Path, invocation_id: str, *, continued: bool, why: str) -> dict[str, Any]:
    """The summary above, from a finished build; `months` is empty when the build has no such models."""
    import duckdb

    summary: dict[str, Any] = {
        "mode": "incremental" if continued else "full",
        "why": why,
        "new_files": {},
        "changed_records": {},
        "months": [],
    }
    con = duckdb.connect(str(build_file), read_only=True)
    try:
        schema = _schemas(con)
        if set(schema) != set(MODELS):
            return summary
        files, records, months = (f'"{schema[m]}".{m}' for m in MODELS)
        summary["new_files"] = dict(
            con.execute(
                f"select feed, count(*) from {files} where recorded_by_invocation = ? group by feed order by feed",
                [invocation_id],
            ).fetchall()
        )
        summary["changed_records"] = dict(
            con.execute(
                f"select feed, count(distinct record_id) from {records} where is_new_version group by feed "
                "order by feed"
            ).fetchall()
        )
        summary["months"] = [
            {"month": f"{month:%Y-%m}", "reasons": [r.strip() for r in (reasons or "").split(",") if r.strip()]}
            for month, reasons in con.execute(f"select month, reasons from {months} order by month").fetchall()
        ]
    finally:
        con.close()
    return summary


def to_json(summary: dict[str, Any]) -> str:
    return json.dumps(summary, ensure_ascii=False, sort_keys=True)


def describe(summary: dict[str, Any], limit: int = 6) -> str:
    """One line for the run log: "incremental: 2 month(s) rebuilt — 2024-05 (cases, lead_of_contact), …"."""
    months = summary.get("months") or []
    shown = ", ".join(f"{m['month']} ({', '.join(m['reasons'])})" for m in months[:limit])
    more = f", … {len(months) - limit} more" if len(months) > limit else ""
    files = sum((summary.get("new_files") or {}).values())
    head = f"{summary.get('mode')}: {len(months)} month(s) rebuilt from {files} new file(s)"
    return head + (f" — {shown}{more}" if months else "")
