"""`fanzha check`: run the Great Expectations suites against a built warehouse; exit 1 on a critical failure."""

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
        help="warehouse file to check (default $FANZHA_HOME/build/manual/warehouse.duckdb)",
    )
    parser.add_argument(
        "--landing",
        type=Path,
        default=None,
        help="landing database for the feed suites (default $FANZHA_HOME/landing.duckdb when it exists)",
    )
    parser.add_argument("--no-landing", action="store_true", help="check the warehouse marts only")
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
    landing = None if args.no_landing else (args.landing or home.landing)
    if landing is not None and not landing.is_file():
        if args.landing:
            raise UserError(f"no landing database at {landing}", exit_code=2)
        landing = None
    try:
        report = run_checks(warehouse, landing, docs_dir=home.quality)
    except duckdb.Error as exc:
        raise UserError(f"cannot read {warehouse}: {str(exc).splitlines()[0]}", exit_code=1) from exc
    print(format_table(report, only_failures=not args.all))
    for line in describe_failures(report):
        print(f"critical: {line}")
    if report.docs_index:
        print(f"Data Docs: {report.docs_index}")
    return 1 if report.critical_failures else 0
