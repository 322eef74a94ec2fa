"""`fanzha ingest [PATH ...]`: land export files (default: the inbox) into $FANZHA_HOME/landing.duckdb."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH",
        help="export files or folders (default: $FANZHA_HOME/inbox/, whose files move to archive/ once landed)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar and no table (for cron); errors still print")


def run(args: argparse.Namespace) -> int:
    from fanzha.core.paths import data_home
    from ingestion.ingest import ingest_paths
    from ingestion.report import PASSED_OVER, REJECTED

    home = data_home()
    from_inbox = not args.paths
    if from_inbox:
        home.ensure()
    paths = [home.inbox] if from_inbox else list(args.paths)
    report = ingest_paths(home, paths, archive_inbox=from_inbox, quiet=args.quiet)
    for outcome in report.files:
        if outcome.status == REJECTED:
            print(f"fanzha ingest: rejected {outcome.message}", file=sys.stderr)
    if not args.quiet:
        if report.files:
            print(report.format_table())
            for outcome in report.files:
                if outcome.status in PASSED_OVER:
                    print(f"skipped {outcome.message}")
        else:
            print(f"nothing to ingest in {', '.join(str(p) for p in paths)}")
    return report.exit_code
