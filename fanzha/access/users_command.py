"""`fanzha users …`: manage the dashboard's local accounts (the store is `$FANZHA_HOME/access/users.sqlite`).

    fanzha users add NAME --role ROLE [--unit UNIT ...] --password-stdin [--oidc-subject SUB]
    fanzha users list
    fanzha users disable NAME        (enable NAME undoes it)
    fanzha users set-password NAME --password-stdin   (also lifts a lockout)
    fanzha users link NAME --oidc-subject SUB         (sign in through the district's identity provider)

Roles: committee, analyst (whole district), unit (townships / member units), station (police stations).
`--unit` takes a code or a name from the reference seeds. Passwords are read from standard input (one line),
never from the command line, where they would land in the shell history and the process list.
Every change is written to the audit trail as `cli:<login name>`.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from fanzha.core.errors import UserError

ACTIONS = ("add", "list", "disable", "enable", "set-password", "link")


def register(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="users_action", metavar="ACTION")
    add = sub.add_parser("add", help="create an account", description="create an account")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", required=True, help="committee, analyst, unit or station")
    add.add_argument("--unit", action="append", default=[], metavar="UNIT",
                     help="township or member unit (role unit) or police station (role station), code or name; "
                          "repeat for several")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add.add_argument("--oidc-subject", metavar="SUB", help="the identity provider's subject (sub) of this person")
    sub.add_parser("list", help="list the accounts", description="list the accounts")
    for action, text in (("disable", "stop an account from signing in"), ("enable", "let a disabled account in")):
        p = sub.add_parser(action, help=text, description=text)
        p.add_argument("name", metavar="NAME")
    pw = sub.add_parser("set-password", help="set a new password (lifts a lockout)",
                        description="set a new password (lifts a lockout)")
    pw.add_argument("name", metavar="NAME")
    pw.add_argument("--password-stdin", action="store_true", required=True,
                    help="read the password from standard input")
    link = sub.add_parser("link", help="link an account to an OIDC subject",
                          description="link an account to the identity provider's subject (sub)")
    link.add_argument("name", metavar="NAME")
    link.add_argument("--oidc-subject", required=True, metavar="SUB")


def read_password() -> str:
    line = sys.stdin.readline()
    return line[:-1] if line.endswith("\n") else line


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def run(args: argparse.Namespace) -> int:
    from fanzha.access import audit, units
    from fanzha.access.users import UserStore
    from fanzha.core.paths import data_home

    action = getattr(args, "users_action", None)
    if action is None:
        raise UserError(f"give an action: {', '.join(ACTIONS)}", 2)
    home = data_home()
    store = UserStore.for_home(home)
    if action == "list":
        print_accounts(store)
        return 0
    if action == "add":
        role = units.check_role(args.role)
        codes = units.resolve(role, args.unit)
        if not args.password_stdin and not args.oidc_subject:
            raise UserError("give the password on standard input with --password-stdin "
                            "(or --oidc-subject for an account that signs in only through the identity provider)", 2)
        password = read_password() if args.password_stdin else None
        store.add(args.name, role, codes, password=password, oidc_subject=args.oidc_subject)
        audit.append(home, _actor(), "user_add", {"account": args.name, "role": role, "units": list(codes),
                                                  "oidc": bool(args.oidc_subject)})
        shown = "、".join(units.names(codes)) or "全区"
        print(f"account {args.name} added: role {role}, units {shown}")
    elif action == "set-password":
        store.set_password(args.name, read_password())
        audit.append(home, _actor(), "user_password", {"account": args.name})
        print(f"password of {args.name} changed")
    elif action in ("disable", "enable"):
        getattr(store, action)(args.name)
        audit.append(home, _actor(), f"user_{action}", {"account": args.name})
        print(f"account {args.name} {action}d")
    elif action == "link":
        store.link(args.name, args.oidc_subject)
        audit.append(home, _actor(), "user_link", {"account": args.name})
        print(f"account {args.name} linked to its OIDC subject")
    return 0


def print_accounts(store: object) -> None:
    from fanzha.access import units
    from fanzha.access.grants import ROLE_LABELS

    accounts = store.accounts()  # type: ignore[attr-defined]
    if not accounts:
        print("no accounts yet: create one with `fanzha users add NAME --role ROLE --password-stdin`")
        return
    rows = [("name", "role", "units", "status", "sign-in", "last sign-in")]
    for a in accounts:
        status = "disabled" if a.disabled else (
            f"locked until {a.locked_until.astimezone():%Y-%m-%d %H:%M}" if a.locked_until else "active")
        how = "+".join(w for w, on in (("password", a.has_password), ("oidc", a.oidc_linked)) if on)
        last = f"{a.last_signin_at.astimezone():%Y-%m-%d %H:%M}" if a.last_signin_at else "-"
        rows.append((a.name, f"{a.role} {ROLE_LABELS.get(a.role, '')}", "、".join(units.names(a.units)) or "全区",
                     status, how, last))
    print_table(rows)


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def print_table(rows: list[tuple[str, ...]]) -> None:
    """Aligned columns (CJK characters count as two)."""
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(row, widths, strict=True)).rstrip())
