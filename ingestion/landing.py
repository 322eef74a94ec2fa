"""The landing database's tables (docs/contracts.md §3) and the file ledger.

Every feed table keeps every distinct version of a record: (business key, `_record_hash`) never repeats, and
the current version is chosen downstream (highest `_file_id`, then `_row_number`).
"""

from __future__ import annotations

import duckdb

LINEAGE = [
    ("_file_id", "BIGINT NOT NULL"),
    ("_file_name", "VARCHAR NOT NULL"),
    ("_row_number", "INTEGER NOT NULL"),
    ("_loaded_at", "TIMESTAMP NOT NULL"),
    ("_record_hash", "VARCHAR NOT NULL"),
    ("_flags", "VARCHAR[] NOT NULL"),
]

PERSON = [
    ("person_key", "VARCHAR"),
    ("id_key", "VARCHAR"),
    ("phone_key", "VARCHAR"),
    ("phone_masked", "VARCHAR"),
    ("name_masked", "VARCHAR"),
    ("gender", "VARCHAR"),
    ("age", "INTEGER"),
    ("id_area_code", "VARCHAR"),
]

PLACE = [
    ("district_code", "VARCHAR"),
    ("township_code", "VARCHAR"),
    ("village_code", "VARCHAR"),
    ("village_raw", "VARCHAR"),
]

FEED_COLUMNS: dict[str, list[tuple[str, str]]] = {
    "alerts": [
        ("alert_id", "VARCHAR NOT NULL"),
        ("issued_at", "TIMESTAMP"),
        ("risk_level", "VARCHAR"),
        ("alert_type", "VARCHAR"),
        ("source", "VARCHAR"),
        *PERSON,
        ("occupation_raw", "VARCHAR"),
        ("occupation", "VARCHAR"),
        ("employer", "VARCHAR"),
        *PLACE,
        ("fraud_type_raw", "VARCHAR"),
        ("fraud_type", "VARCHAR"),
        ("amount_at_risk", "DOUBLE"),
        ("counterparty_account_key", "VARCHAR"),
        ("police_station", "VARCHAR"),
    ],
    "contacts": [
        ("action_id", "VARCHAR NOT NULL"),
        ("alert_id", "VARCHAR"),
        ("action_at", "TIMESTAMP"),
        ("action_kind", "VARCHAR"),
        ("method", "VARCHAR"),
        ("face_to_face", "BOOLEAN"),
        ("police_present", "BOOLEAN"),
        ("leader_present", "BOOLEAN"),
        ("grid_worker_present", "BOOLEAN"),
        ("relative_present", "BOOLEAN"),
        ("checklist_done", "BOOLEAN"),
        ("facts_clear", "BOOLEAN"),
        ("situation_clear", "BOOLEAN"),
        ("policy_explained", "BOOLEAN"),
        ("cut_off", "BOOLEAN"),
        ("outcome", "VARCHAR"),
        ("handling_unit", "VARCHAR"),
    ],
    "interceptions": [
        ("interception_id", "VARCHAR NOT NULL"),
        ("alert_id", "VARCHAR"),
        ("case_id", "VARCHAR"),
        ("stopped_at", "TIMESTAMP"),
        ("method", "VARCHAR"),
        ("amount", "DOUBLE"),
        ("bank", "VARCHAR"),
        ("account_key", "VARCHAR"),
        ("police_station", "VARCHAR"),
    ],
    "cases": [
        ("case_id", "VARCHAR NOT NULL"),
        ("reported_at", "TIMESTAMP"),
        ("occurred_at", "TIMESTAMP"),
        *PERSON,
        ("occupation_raw", "VARCHAR"),
        ("occupation", "VARCHAR"),
        ("employer", "VARCHAR"),
        *PLACE,
        ("fraud_type_raw", "VARCHAR"),
        ("fraud_type", "VARCHAR"),
        ("loss_amount", "DOUBLE"),
        ("recovered_amount", "DOUBLE"),
        ("police_station", "VARCHAR"),
    ],
    "activities": [
        ("activity_id", "VARCHAR NOT NULL"),
        ("activity_date", "DATE"),
        ("unit_raw", "VARCHAR"),
        ("unit_code", "VARCHAR"),
        ("activity_kind", "VARCHAR"),
        ("participants", "INTEGER"),
    ],
}

QUARANTINE = [
    ("_file_id", "BIGINT NOT NULL"),
    ("_row_number", "INTEGER NOT NULL"),
    ("_file_name", "VARCHAR NOT NULL"),
    ("_loaded_at", "TIMESTAMP NOT NULL"),
    ("feed", "VARCHAR NOT NULL"),
    ("reason_code", "VARCHAR NOT NULL"),
    ("field", "VARCHAR NOT NULL"),
    ("message", "VARCHAR NOT NULL"),
    ("raw_row_masked", "JSON NOT NULL"),
]

INGEST_LOG = [
    ("_file_id", "BIGINT PRIMARY KEY"),
    ("file_name", "VARCHAR NOT NULL"),
    ("file_path", "VARCHAR NOT NULL"),
    ("sha256", "VARCHAR"),
    ("feed", "VARCHAR"),
    ("format", "VARCHAR"),
    ("encoding", "VARCHAR"),
    ("header_language", "VARCHAR"),
    ("rows_read", "BIGINT NOT NULL"),
    ("rows_landed", "BIGINT NOT NULL"),
    ("rows_quarantined", "BIGINT NOT NULL"),
    ("rows_duplicate", "BIGINT NOT NULL"),
    ("status", "VARCHAR NOT NULL"),
    ("message", "VARCHAR"),
    ("started_at", "TIMESTAMP NOT NULL"),
    ("finished_at", "TIMESTAMP NOT NULL"),
]


def _ddl(table: str, columns: list[tuple[str, str]], extra: str = "") -> str:
    body = ",\n    ".join(f"{name} {sql_type}" for name, sql_type in columns)
    return f"CREATE TABLE IF NOT EXISTS main.{table} (\n    {body}{extra}\n)"


def ensure_schema(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute("BEGIN")
    for feed, columns in FEED_COLUMNS.items():
        conn.execute(_ddl(feed, LINEAGE + columns))
    conn.execute(_ddl("quarantine", QUARANTINE, ",\n    PRIMARY KEY (_file_id, _row_number)"))
    conn.execute(_ddl("ingest_log", INGEST_LOG))
    conn.execute("COMMIT")


def landed_files(conn: duckdb.DuckDBPyConnection) -> dict[str, tuple[int, str]]:
    """sha256 -> (file id, file name) of the first landed file with that content."""
    rows = conn.execute(
        "SELECT sha256, min(_file_id), arg_min(file_name, _file_id) FROM main.ingest_log "
        "WHERE status = 'landed' AND sha256 IS NOT NULL GROUP BY sha256"
    ).fetchall()
    return {str(sha): (int(fid), str(name)) for sha, fid, name in rows}


def next_file_id(conn: duckdb.DuckDBPyConnection) -> int:
    row = conn.execute("SELECT coalesce(max(_file_id), 0) + 1 FROM main.ingest_log").fetchone()
    return int(row[0]) if row else 1


def business_columns(feed: str) -> list[str]:
    return [name for name, _ in FEED_COLUMNS[feed]]
