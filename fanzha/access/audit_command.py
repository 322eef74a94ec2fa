"""`fanzha audit [--since DATE] [--user NAME] [--format table|csv|jsonl]` reads the audit trail;
`fanzha audit --verify` checks its hash chain: exit 0 when intact, 1 naming the first broken record.

Times are shown in the server's local time zone (stored in UTC).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime

from fanzha.core.errors import UserError

FORMATS = ("table", "csv", "jsonl")


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", metavar="DATE", help="only records from this day on (YYYY-MM-DD, local time)")
    parser.add_argument("--user", metavar="NAME", help="only this user's records")
    parser.add_argument("--format", default="table", help="table (default), csv or jsonl")
    parser.add_argument("--verify", action="store_true",
                        help="check the hash chain: exit 1 naming the first removed or edited record")


def _since(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError as exc:
        raise UserError(f"--since must be a date YYYY-MM-DD, got {text!r}", 2) from exc
    return datetime(day.year, day.month, day.day).astimezone()  # local midnight


def run(args: argparse.Namespace) -> int:
    from fanzha.access import audit
    from fanzha.core.paths import data_home

    if args.format not in FORMATS:
        raise UserError(f"unknown --format {args.format!r}; allowed: {', '.join(FORMATS)}", 2)
    home = data_home()
    if args.verify:
        verdict = audit.verify(home)
        if not verdict.ok:
            raise UserError(f"audit trail broken at record {verdict.broken_seq}: {verdict.message}", 1)
        print(f"audit trail intact: {verdict.message}")
        return 0
    rows = audit.records(home, since=_since(args.since), user=args.user)
    write(rows, args.format)
    return 0


def _row(r: object) -> dict[str, object]:
    return {"seq": r.seq, "time": r.at.astimezone().isoformat(timespec="seconds"),  # type: ignore[attr-defined]
            "user": r.user, "action": r.action, "detail": r.detail}  # type: ignore[attr-defined]


def write(rows: list, fmt: str) -> None:
    if fmt == "jsonl":
        for r in rows:
            print(json.dumps(_row(r), ensure_ascii=False))
    elif fmt == "csv":
        import csv

        out = csv.writer(sys.stdout, lineterminator="\n")
        out.writerow(["seq", "time", "user", "action", "detail"])
        for r in rows:
            d = _row(r)
            out.writerow([d["seq"], d["time"], d["user"], d["action"],
                          json.dumps(d["detail"], ensure_ascii=False, sort_keys=True)])
    else:
        from fanzha.access.users_command import print_table

        if not rows:
            print("no audit records")
            return
        table = [("seq", "time", "user", "action", "detail")]
        for r in rows:
            d = _row(r)
            detail = " ".join(f"{k}={json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v}"
                              for k, v in sorted(d["detail"].items()))  # type: ignore[union-attr]
            table.append((str(d["seq"]), str(d["time"]), str(d["user"]), str(d["action"]), detail))
        print_table(table)
