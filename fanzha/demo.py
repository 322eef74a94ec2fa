"""`fanzha demo`: generate the Nanhe scenario into the inbox, run the pipeline, serve the dashboard.

Idempotent: if the inbox already holds a generated scenario (its manifest.json) or exports have
already landed, generation is skipped; `fanzha run` is then a no-op when nothing changed.
"""

from __future__ import annotations

import argparse

from fanzha.core.paths import DataHome, data_home


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-dashboard", action="store_true", help="stop after the pipeline; do not serve")
    parser.add_argument(
        "--port", type=int, default=None, help="dashboard port (default: the dashboard's own)"
    )
    parser.add_argument("--host", default=None, help="dashboard host (default: the dashboard's own)")


def already_generated(home: DataHome) -> bool:
    """The scenario is in the inbox (manifest present) or has already landed."""
    from fanzha.pipeline.fingerprint import input_fingerprint

    return (home.inbox / "manifest.json").is_file() or input_fingerprint(home.landing) != "empty"


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
    if args.no_dashboard:
        return 0
    dashboard = []
    if args.port is not None:
        dashboard += ["--port", str(args.port)]
    if args.host is not None:
        dashboard += ["--host", args.host]
    return cli_main(["dashboard", *dashboard])
