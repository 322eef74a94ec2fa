"""The `fanzha` command. Each subcommand lives in its own module exposing
`register(parser)` (adds its arguments) and `run(args) -> int` (does the work).

User mistakes raise fanzha.core.errors.UserError: printed as one line, exit code 1 or 2, no traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from fanzha import __version__
from fanzha.core.errors import UserError

# subcommand -> (module, one-line help). The product's commands live in fanzha/, ingestion/ and
# expectations/; `generate` and `bench` are dev tooling in tools/, reached from here by name only
# (nothing in the product imports tools/).
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "generate": ("tools.generate.command", "write a synthetic district's exports (default: the Nanhe scenario)"),
    "ingest": ("ingestion.command", "land export files into landing.duckdb"),
    "build": ("fanzha.build", "build the dbt warehouse from the landing database"),
    "docs": ("fanzha.build_docs", "generate the dbt docs site"),
    "check": ("fanzha.pipeline.check", "run the Great Expectations suites against the built warehouse"),
    "run": ("fanzha.pipeline.run", "ingest -> build -> check -> publish -> issue notices (the monthly run)"),
    "notice": ("fanzha.notice.command", "issue or render the ranked monthly notice (XLSX, DOCX, HTML)"),
    "alerts": ("fanzha.alerts.command", "send the alerts the published watch implies (--dry-run, --history)"),
    "dashboard": ("fanzha.dashboard_command", "serve the committee dashboard"),
    "users": ("fanzha.access.users_command", "manage the dashboard's accounts (add, list, disable, set-password, link)"),
    "audit": ("fanzha.access.audit_command", "read the audit trail of sign-ins, page views and downloads, or --verify it"),
    "demo": ("fanzha.demo", "generate the Nanhe scenario, run the pipeline and serve the dashboard"),
    "bench": ("tools.bench.command", "measure speed and memory per stage and scale"),
}


class _Parser(argparse.ArgumentParser):
    """argparse that reports errors in one line with exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, object]]:
    parser = _Parser(prog="fanzha", description="fanzha: the '4+1' anti-fraud warehouse, notice and dashboards")
    parser.add_argument("--version", action="version", version=f"fanzha {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    modules: dict[str, object] = {}
    for name, (module_name, help_text) in SUBCOMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        module = importlib.import_module(module_name)
        module.register(p)
        modules[name] = module
    return parser, modules


def main(argv: Sequence[str] | None = None) -> int:
    parser, modules = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    module = modules[args.command]
    try:
        return int(module.run(args) or 0)  # type: ignore[attr-defined]
    except UserError as err:
        print(f"fanzha {args.command}: error: {err.message}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print(f"fanzha {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
