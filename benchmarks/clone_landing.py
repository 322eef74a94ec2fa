"""Make a scale-N landing database by cloning a scale-1 one (for timing `fanzha build` at scale, a script).

District k (k = 1 … N−1) gets code 99 + k (4 digits), as in docs/contracts.md §1: its township, village
and member-unit codes are Nanhe's with the first 6 digits replaced, and every record id and person key
gets the district code appended (different people, same story). Useful when ingesting N × 143 files
would take longer than the build being measured.

    .venv/bin/python benchmarks/clone_landing.py SRC_LANDING DST_LANDING --scale 100
"""

from __future__ import annotations

import argparse
from pathlib import Path

import duckdb

KEYS = {
    "alerts": ["alert_id", "person_key", "id_key", "phone_key"],
    "contacts": ["action_id", "alert_id"],
    "interceptions": ["interception_id", "alert_id", "case_id"],
    "cases": ["case_id", "person_key", "id_key", "phone_key"],
    "activities": ["activity_id"],
}
RECODE = {  # column -> how it is rewritten for district code `d.code`
    "district_code": "d.code",
    "township_code": "d.code || substring(township_code, 7)",
    "village_code": "case when village_code is null then null else d.code || substring(village_code, 7) end",
    "unit_code": "d.code || substring(unit_code, 7)",
}


def clone(src: Path, dst: Path, scale: int) -> None:
    con = duckdb.connect(str(dst))
    con.execute(f"attach '{src}' as src (read_only)")
    con.execute(f"create temp table d as select '99' || lpad(cast(k as varchar), 4, '0') as code from range(1, {scale}) t(k)")
    for table in ("quarantine", "ingest_log"):
        con.execute(f"create table {table} as select * from src.{table}")
    for table, keys in KEYS.items():
        columns = [r[0] for r in con.execute(f"describe src.{table}").fetchall()]
        replaced = [f"{c} || '_' || d.code as {c}" for c in keys]
        replaced += [f"{expr} as {c}" for c, expr in RECODE.items() if c in columns]
        con.execute(f"create table {table} as select * from src.{table}")
        con.execute(f"insert into {table} select s.* replace ({', '.join(replaced)}) from src.{table} s cross join d")
    con.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("src", type=Path)
    parser.add_argument("dst", type=Path)
    parser.add_argument("--scale", type=int, default=100)
    args = parser.parse_args()
    clone(args.src, args.dst, args.scale)
