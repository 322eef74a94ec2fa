"""`fanzha notice`: issue the month's ranked notice as a frozen revision, or write a draft.

    fanzha notice --month 2023-11                      issue into $FANZHA_HOME/notices/2023-11/rev-N/
    fanzha notice --month 2023-11 --out DIR            write a draft (not issued) into DIR
    fanzha notice --month 2023-11 --warehouse FILE     read a specific warehouse file instead
    fanzha notice --month 2023-11 --list               list the month's issued revisions (nothing is issued)
"""

from __future__ import annotations

import argparse
import re
from datetime import date
from pathlib import Path

from fanzha.core.errors import UserError

FORMATS = ("xlsx", "docx", "html")
KINDS = ("township", "member_unit", "all")


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--month", required=True, help="the month to rank, YYYY-MM (e.g. 2023-11)")
    parser.add_argument("--kind", default="all", choices=KINDS, help="which units to rank (default: all)")
    parser.add_argument("--format", default=",".join(FORMATS),
                        help="comma-separated formats: xlsx,docx,html (default: all three); a draft (--out) "
                             "gets only these, an issued revision always holds all three")
    parser.add_argument("--out", type=Path, help="write a draft into this directory instead of issuing")
    parser.add_argument("--warehouse", type=Path,
                        help="read this warehouse file instead of $FANZHA_HOME/warehouse.duckdb")
    parser.add_argument("--district", default="130506", help="district code (default: 130506 南和区)")
    parser.add_argument("--list", action="store_true",
                        help="list the month's issued revisions (number, issue time, fingerprint, files, changes) "
                             "instead of issuing")


def parse_month(text: str) -> date:
    match = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise UserError(f"--month {text!r}: expected YYYY-MM, e.g. 2023-11", exit_code=2)
    return date(int(match.group(1)), int(match.group(2)), 1)


def parse_formats(text: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise UserError(f"--format {text!r}: choose from {', '.join(FORMATS)}", exit_code=2)
    return chosen


def list_revisions(notices: Path, month: date) -> int:
    """Print the month's issued revisions, newest first (fanzha.notice.archive); 1 when a record cannot be read."""
    from fanzha.notice.archive import revisions

    found = revisions(notices, month)
    if not found:
        print(f"{month:%Y-%m}: no notice issued yet ({notices / f'{month:%Y-%m}'})")
        return 0
    for rev in found:
        if rev.error:
            print(f"{rev.month} rev-{rev.revision}: {rev.folder} — issued.json cannot be read ({rev.error})")
            continue
        print(f"{rev.month} rev-{rev.revision}: issued {rev.record.get('issued_at', '?')}, "
              f"scheme {rev.record.get('scheme_version', '?')}, fingerprint {(rev.fingerprint or '?')[:12]}")
        for path in rev.files().values():
            print(f"  {path}")
        for change in rev.changes:
            print(f"  - {change}")
    return 1 if any(rev.error for rev in found) else 0


def run(args: argparse.Namespace) -> int:
    from fanzha.core.paths import data_home
    from fanzha.core.read_api import Reader, WarehouseUnavailable
    from fanzha.notice.data import load_notice_data
    from fanzha.notice.issue import issue_notices
    from fanzha.notice.render import render

    month = parse_month(args.month)
    formats = parse_formats(args.format)
    home = data_home()
    if args.list:
        return list_revisions(home.notices, month)
    if args.warehouse is not None and not args.warehouse.is_file():
        raise UserError(f"--warehouse {args.warehouse}: no such file", exit_code=2)
    reader = Reader(path=args.warehouse) if args.warehouse is not None else Reader(home)
    with reader:
        if not reader.available():
            raise WarehouseUnavailable(reader.path)
        if args.out is not None:
            data = load_notice_data(reader, month, args.kind, args.district)
            args.out.mkdir(parents=True, exist_ok=True)
            for fmt in formats:
                target = args.out / f"notice_{month:%Y-%m}_{args.kind}.{fmt}"
                target.write_bytes(render(data, fmt))
                print(f"draft (not issued): {target}")
            return 0
        home.notices.mkdir(parents=True, exist_ok=True)
        for result in issue_notices(home, reader, month, args.kind, formats, args.district):
            print(result.message())
            for path in result.files.values():
                print(f"  {path}")
    return 0
