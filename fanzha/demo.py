"""`fanzha demo`: generate the Nanhe scenario into the inbox, run the pipeline, create the demo accounts,
serve the dashboard.

Idempotent: if the inbox already holds a generated scenario (its manifest.json) or exports have
already landed, generation is skipped; `fanzha run` is then a no-op when nothing changed. Demo accounts
(one per role, and one township user each for 贾宋镇 and 和阳镇) are created once with one generated password,
printed then and stored nowhere in plain text; later runs keep them.
"""

from __future__ import annotations

import argparse

from fanzha.core.paths import DataHome, data_home

# name, role, units (names, resolved against the seeds)
DEMO_ACCOUNTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("demo-committee", "committee", ()),
    ("demo-analyst", "analyst", ()),
    ("demo-jiasong", "unit", ("贾宋镇",)),
    ("demo-heyang", "unit", ("和阳镇",)),
    ("demo-station", "station", ("贾宋派出所",)),
)


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-dashboard", action="store_true", help="stop after the pipeline; do not serve")
    parser.add_argument(
        "--port", type=int, default=None, help="dashboard port (default: the dashboard's own)"
    )
    parser.add_argument("--address", "--host", dest="host", default=None,
                        help="dashboard address (default: the dashboard's own, 127.0.0.1)")


def already_generated(home: DataHome) -> bool:
    """The scenario is in the inbox (manifest present) or has already landed."""
    from fanzha.pipeline.fingerprint import input_fingerprint

    return (home.inbox / "manifest.json").is_file() or input_fingerprint(home.landing) != "empty"


def create_demo_accounts(home: DataHome) -> None:
    """Create the demo accounts that do not exist yet and print their names and password (once)."""
    import secrets

    from fanzha.access import audit, units
    from fanzha.access.grants import ROLE_LABELS
    from fanzha.access.users import UserStore

    store = UserStore.for_home(home)
    existing = {a.name for a in store.accounts()}
    missing = [a for a in DEMO_ACCOUNTS if a[0] not in existing]
    if not missing:
        print("demo accounts: " + ", ".join(a[0] for a in DEMO_ACCOUNTS) + " (already created; their password was "
              "printed then. Forgot it? `fanzha users set-password NAME --password-stdin`)", flush=True)
        return
    password = f"demo-{secrets.token_urlsafe(12)}"
    print("demo accounts for the dashboard (the password is shown only now and stored nowhere in plain text):")
    for name, role, unit_names in missing:
        codes = units.resolve(role, list(unit_names))
        store.add(name, role, codes, password=password)
        audit.append(home, "demo", "user_add", {"account": name, "role": role, "units": list(codes), "oidc": False})
        print(f"  {name:<16} {ROLE_LABELS[role]}{'（' + '、'.join(unit_names) + '）' if unit_names else ''}")
    print(f"  password: {password}", flush=True)


def run(args: argparse.Namespace) -> int:
    from fanzha.cli import main as cli_main

    home = data_home().ensure()
    print(f"fanzha demo: data home {home.root}", flush=True)
    if already_generated(home):
        print(
            "scenario already generated (inbox manifest or landed exports present): skipping generate",
            flush=True,
        )
    else:
        # --report: the ten published figures, computed from the written files, before anything lands
        code = cli_main(["generate", "--out", str(home.inbox), "--report"])
        if code != 0:
            return code
    code = cli_main(["run"])
    if code != 0:
        return code
    create_demo_accounts(home)
    if args.no_dashboard:
        return 0
    dashboard = []
    if args.port is not None:
        dashboard += ["--port", str(args.port)]
    if args.host is not None:
        dashboard += ["--address", args.host]
    return cli_main(["dashboard", *dashboard])
