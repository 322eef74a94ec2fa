"""`fanzha check`: run the Great Expectations suites against a built warehouse; exit 1 on a critical failure.

The suites read the build file's staging models and marts (expectations/README.md), so they check a build
(`fanzha build`), not the published file, which holds the marts only.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from fanzha.core.errors import UserError
from fanzha.core.paths import data_home


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--warehouse",
        type=Path,
        default=None,
        help="built warehouse file to check (default $FANZHA_HOME/build/manual/warehouse.duckdb)",
    )
    parser.add_argument("--all", action="store_true", help="list passing expectations too")


def run(args: argparse.Namespace) -> int:
    import duckdb

    from expectations import describe_failures, format_table
    from expectations.runner import run_checks

    home = data_home()
    warehouse = args.warehouse or home.build / "manual" / "warehouse.duckdb"
    if not warehouse.is_file():
        hint = "" if args.warehouse else " (run `fanzha build` first, or pass --warehouse)"
        raise UserError(f"no warehouse at {warehouse}{hint}", exit_code=2 if args.warehouse else 1)
    try:
        if not _has_staging(warehouse):
            raise UserError(
                f"{warehouse} has no staging schema (a published warehouse holds the marts only): "
                "check a build instead (`fanzha build`, then `fanzha check`)",
                exit_code=2 if args.warehouse else 1,
            )
        report = run_checks(warehouse, docs_dir=home.quality)
    except duckdb.Error as exc:
        raise UserError(f"cannot read {warehouse}: {str(exc).splitlines()[0]}", exit_code=1) from exc
    print(format_table(report, only_failures=not args.all))
    for line in describe_failures(report):
        print(f"critical: {line}")
    if report.docs_index:
        print(f"Data Docs: {report.docs_index}")
    return 1 if report.critical_failures else 0


def _has_staging(warehouse: Path) -> bool:
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        row = con.execute("select count(*) from duckdb_schemas() where schema_name = 'staging'").fetchone()
    finally:
        con.close()
    return bool(row and row[0])
