"""Reference data from the dbt seeds, as TEMP lookup tables of the ingest connection.

Synthetic clone districts (docs/contracts.md §1): every district listed in districts.csv has Nanhe's townships,
villages and member units, with the first 6 digits of each code replaced by its district code. Codes therefore
resolve in any listed district; names resolve in the district a file belongs to (its `990001_` file-name prefix,
else the real district), since clone files write codes.

Mapping tables an analyst extends (seeds/map_occupation.csv, seeds/map_fraud_type.csv) are read on every run.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import duckdb

from fanzha.core.paths import SEEDS_DIR
from fanzha.core.sql import literal


def _seed(name: str, seeds: Path) -> str:
    return f"read_csv({literal(seeds / name)}, all_varchar = true, header = true)"


def install_reference(conn: duckdb.DuckDBPyConnection, seeds: Path = SEEDS_DIR) -> None:
    """Create the _ref_* TEMP tables (needs the fz_* macros)."""
    conn.execute(f"""
        CREATE OR REPLACE TEMP TABLE _ref_districts AS
        SELECT district_code, district_name, lower(is_synthetic) = 'true' AS is_synthetic
        FROM {_seed('districts.csv', seeds)}""")
    conn.execute(f"""
        CREATE OR REPLACE TEMP TABLE _ref_townships AS
        SELECT substr(township_code, 7, 3) AS t_suffix, township_name
        FROM {_seed('townships.csv', seeds)}""")
    conn.execute(f"""
        CREATE OR REPLACE TEMP TABLE _ref_villages AS
        SELECT substr(village_code, 7, 3) AS t_suffix, substr(village_code, 10, 3) AS v_suffix, village_name
        FROM {_seed('villages.csv', seeds)}""")
    conn.execute(f"""
        CREATE OR REPLACE TEMP TABLE _ref_member_units AS
        SELECT member_unit_key, member_unit_name FROM {_seed('member_units.csv', seeds)}""")
    # every code of every listed district: township (9 digits, or 12 with 000), village (12)
    conn.execute("""
        CREATE OR REPLACE TEMP TABLE _ref_place_codes AS
        SELECT d.district_code || t.t_suffix AS token, d.district_code, d.district_code || t.t_suffix AS township_code,
               NULL::VARCHAR AS village_code
        FROM _ref_districts d CROSS JOIN _ref_townships t
        UNION ALL
        SELECT d.district_code || t.t_suffix || '000', d.district_code, d.district_code || t.t_suffix, NULL
        FROM _ref_districts d CROSS JOIN _ref_townships t
        UNION ALL
        SELECT d.district_code || v.t_suffix || v.v_suffix, d.district_code, d.district_code || v.t_suffix,
               d.district_code || v.t_suffix || v.v_suffix
        FROM _ref_districts d CROSS JOIN _ref_villages v""")
    # township names and their short form without 镇/乡 (和阳镇, 和阳)
    conn.execute("""
        CREATE OR REPLACE TEMP TABLE _ref_township_names AS
        SELECT township_name AS token, t_suffix FROM _ref_townships
        UNION
        SELECT regexp_replace(township_name, '(镇|乡|街道)$', ''), t_suffix FROM _ref_townships""")
    # village names within their township, plus the short form without 村/社区 where it is unambiguous
    conn.execute("""
        CREATE OR REPLACE TEMP TABLE _ref_village_names AS
        WITH exact AS (SELECT t_suffix, village_name AS token, v_suffix FROM _ref_villages),
        short AS (
            SELECT t_suffix, regexp_replace(village_name, '(村|社区|居委会|村委会)$', '') AS token, v_suffix
            FROM _ref_villages
        ),
        short_unique AS (
            SELECT s.* FROM short s
            WHERE s.token <> ''
              AND NOT EXISTS (SELECT 1 FROM exact e WHERE e.t_suffix = s.t_suffix AND e.token = s.token)
            QUALIFY count(*) OVER (PARTITION BY s.t_suffix, s.token) = 1
        ),
        both_forms AS (SELECT * FROM exact UNION ALL SELECT * FROM short_unique)
        SELECT * FROM both_forms QUALIFY count(*) OVER (PARTITION BY t_suffix, token) = 1""")
    # units of the activity log: township or member unit, by code
    conn.execute("""
        CREATE OR REPLACE TEMP TABLE _ref_unit_codes AS
        SELECT d.district_code || t.t_suffix AS token, d.district_code || t.t_suffix AS unit_code
        FROM _ref_districts d CROSS JOIN _ref_townships t
        UNION ALL
        SELECT d.district_code || m.member_unit_key, d.district_code || m.member_unit_key
        FROM _ref_districts d CROSS JOIN _ref_member_units m""")
    conn.execute(f"""
        CREATE OR REPLACE TEMP TABLE _ref_map_occupation AS
        SELECT DISTINCT ON (fz_token(fz_clean(raw_value))) fz_token(fz_clean(raw_value)) AS raw_value, occupation
        FROM {_seed('map_occupation.csv', seeds)} WHERE fz_clean(raw_value) IS NOT NULL""")
    conn.execute(f"""
        CREATE OR REPLACE TEMP TABLE _ref_map_fraud_type AS
        SELECT DISTINCT ON (fz_token(fz_clean(raw_value))) fz_token(fz_clean(raw_value)) AS raw_value, fraud_type_name
        FROM {_seed('map_fraud_type.csv', seeds)} WHERE fz_clean(raw_value) IS NOT NULL""")
    # unit names (townships, their governments, member units) of every listed district, with their district:
    # a batch's rows join on their own file's district
    conn.execute(f"CREATE OR REPLACE TEMP TABLE _ref_unit_names AS {_UNIT_NAMES}")


def real_district(conn: duckdb.DuckDBPyConnection) -> str:
    row = conn.execute(
        "SELECT district_code FROM _ref_districts WHERE NOT is_synthetic ORDER BY district_code LIMIT 1"
    ).fetchone()
    if row is None:
        raise ValueError("districts.csv lists no real district")
    return str(row[0])


def district_finder(conn: duckdb.DuckDBPyConnection) -> Callable[[str], str]:
    """file name -> the district its names refer to: its 6-digit file-name prefix (`990001_…`) when that district
    is listed, else the real district."""
    listed = {str(r[0]) for r in conn.execute("SELECT district_code FROM _ref_districts").fetchall()}
    real = real_district(conn)

    def find(file_name: str) -> str:
        match = re.match(r"(\d{6})[_\-]", file_name)
        return match.group(1) if match and match.group(1) in listed else real

    return find


_UNIT_NAMES = """
        WITH d AS (SELECT district_code, district_name FROM _ref_districts)
        SELECT n.token || suffix.s AS token, d.district_code || n.t_suffix AS unit_code, d.district_code
        FROM _ref_township_names n CROSS JOIN d
        CROSS JOIN (VALUES (''), ('政府'), ('人民政府')) suffix(s)
        UNION
        SELECT m.member_unit_name, d.district_code || m.member_unit_key, d.district_code
        FROM _ref_member_units m CROSS JOIN d
        UNION
        SELECT d.district_name || substr(m.member_unit_name, 2), d.district_code || m.member_unit_key, d.district_code
        FROM _ref_member_units m CROSS JOIN d WHERE m.member_unit_name LIKE '区%'
        """
