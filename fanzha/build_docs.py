"""`fanzha docs`: generate the dbt docs site (lineage, every model's description, columns and tests).

The catalog (column types, row counts) is read from a built warehouse: the published one by default.
dbt works on a private copy of it, so generating docs never locks the file the dashboards read.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from fanzha.build import dbt_args, dbt_environment, default_out, invoke_dbt
from fanzha.core.errors import UserError
from fanzha.core.paths import DataHome, data_home

SITE_FILES = ("index.html", "static_index.html", "manifest.json", "catalog.json")


def choose_warehouse(home: DataHome, explicit: Path | None) -> Path:
    """The warehouse whose catalog the docs describe: explicit, else published, else the manual build."""
    if explicit is not None:
        if not explicit.exists():
            raise UserError(f"no warehouse at {explicit}", exit_code=1)
        return explicit
    for candidate in (home.warehouse, default_out(home)):
        if candidate.exists():
            return candidate
    raise UserError(f"no built warehouse under {home.root}: run 'fanzha build' or 'fanzha run' first", exit_code=1)


def generate_docs(home: DataHome, out_dir: Path, warehouse: Path | None = None) -> Path:
    """Write the docs site into out_dir; returns the path of the single-file site (static_index.html)."""
    source = choose_warehouse(home, warehouse)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="fanzha-docs-") as tmp:
        work = Path(tmp)
        copy = work / "warehouse.duckdb"
        shutil.copyfile(source, copy)
        landing = home.landing
        if not landing.exists():  # profiles.yml attaches landing; an empty file is enough for docs
            import duckdb

            landing = work / "landing.duckdb"
            duckdb.connect(str(landing)).close()
        with dbt_environment(copy, landing):
            result = invoke_dbt(dbt_args(["docs", "generate", "--static"], work))
        if not result.success:
            raise UserError(f"dbt docs generate failed: {result.exception}", exit_code=1)
        for name in SITE_FILES:
            produced = work / "dbt_target" / name
            if produced.exists():
                shutil.copyfile(produced, out_dir / name)
    return out_dir / "static_index.html"


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, help="folder for the site (default: $FANZHA_HOME/docs)")
    parser.add_argument("--warehouse", type=Path, help="built warehouse to describe (default: the published one)")


def run(args: argparse.Namespace) -> int:
    home = data_home()
    out_dir = args.out if args.out is not None else home.root / "docs"
    site = generate_docs(home, out_dir, args.warehouse)
    print(f"docs written: {site} (open it in a browser; index.html needs a web server: "
          f"python -m http.server -d {out_dir})")
    return 0
