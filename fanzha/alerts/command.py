"""`fanzha alerts`: send the alerts the published watch implies, or show them (--dry-run), or the ledger
(--history). Exit 0 all delivered (or none due), 3 some not delivered (retried next time), 1 no usable
warehouse, 2 usage or a bad alerts.toml. docs/watch.md §3."""

from __future__ import annotations

import argparse

from fanzha.core.errors import UserError
from fanzha.core.paths import data_home


def register(parser: argparse.ArgumentParser) -> None:
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--dry-run", action="store_true", help="print what would be sent; send and record nothing")
    mode.add_argument("--history", action="store_true", help="list the alert ledger: what was sent, when, where")
    parser.add_argument("--limit", type=int, default=50, help="rows of --history to show (default 50)")


def run(args: argparse.Namespace) -> int:
    from fanzha.alerts import service

    home = data_home()
    if args.limit < 1:
        raise UserError("--limit must be at least 1", exit_code=2)
    if args.history:
        return _history(home.root, args.limit)
    if args.dry_run:
        outcome, _ = service.work_out(home, dry_run=True)
        _print_messages(outcome)
        return 0
    outcome = service.send_due(home, report=lambda text: print(f"not delivered: {text}", flush=True))
    print(outcome.note(), flush=True)
    return outcome.exit_code


def _print_messages(outcome: object) -> None:
    from fanzha.alerts.model import KINDS

    messages = outcome.messages  # type: ignore[attr-defined]
    configured = outcome.configured  # type: ignore[attr-defined]
    if configured == "none":
        print("no alert routes configured ($FANZHA_HOME/alerts.toml or FANZHA_ALERT_URLS): nothing would be "
              "sent; the alerts the data implies, as one route taking everything:")
    else:
        print(f"routes from {configured}; messages that would be sent now:")
    if not messages:
        print("nothing due: every alert the data implies was already delivered (or there is none)")
        return
    counts: dict[str, int] = {}
    for m in messages:
        counts[KINDS[m.kind]] = counts.get(KINDS[m.kind], 0) + len(m.keys)
        print(f"\n=== to {m.route} {m.target_label} · {KINDS[m.kind]} · {len(m.keys)} alert(s)")
        print(m.title)
        print(m.body)
    summary = ", ".join(f"{kind} {n}" for kind, n in counts.items())
    print(f"\n{len(messages)} message(s) would be sent ({summary})")


def _history(root: object, limit: int) -> int:
    from fanzha.alerts.ledger import Ledger
    from fanzha.alerts.model import KINDS

    rows = Ledger(root).history(limit)  # type: ignore[arg-type]
    if not rows:
        print("the alert ledger is empty: no alert has been sent yet")
        return 0
    print(f"{'last attempt (UTC)':20}  {'status':6}  {'tries':>5}  {'route':12}  {'kind':8}  title")
    for r in rows:
        print(f"{r.last_attempt_at:20}  {r.status:6}  {r.attempts:>5}  {r.route:12}  {KINDS.get(r.kind, r.kind):8}  "
              f"{r.title}" + (f"  [error: {r.last_error}]" if r.last_error else ""))
    return 0
