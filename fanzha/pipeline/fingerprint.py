"""What a published warehouse was built from: the code version and the input fingerprint.

A run is a no-op when the published warehouse was built by the same code from the same landed files.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

from fanzha import __version__
from fanzha.paths import REPO_ROOT, SEEDS_DIR

# Everything whose change can change the published warehouse: the code that lands data, builds it
# (dbt project, the assessment code its Python model uses), checks and publishes it. Not the
# generator, notices or dashboards: editing those must not force a rebuild.
CODE_GLOBS = (
    "fanzha/build.py",
    "fanzha/paths.py",
    "fanzha/assessment/**/*.py",
    "fanzha/pipeline/**/*.py",
    "ingestion/**/*.py",
    "expectations/**/*.py",
    "warehouse/dbt_project.yml",
    "warehouse/models/**/*",
    "warehouse/macros/**/*",
    "warehouse/seeds/**/*",
    "warehouse/tests/**/*",
)
EXCLUDED_PARTS = {"__pycache__", "target", "logs", "dbt_packages"}


def code_files(root: Path = REPO_ROOT) -> list[Path]:
    files: set[Path] = set()
    for pattern in CODE_GLOBS:
        for path in root.glob(pattern):
            if path.is_file() and not EXCLUDED_PARTS.intersection(path.relative_to(root).parts):
                files.add(path)
    return sorted(files)


def code_version(root: Path = REPO_ROOT) -> str:
    """`<package version>+<12 hex of the code's content>`: changes with any model, seed or code edit."""
    digest = hashlib.sha256()
    for path in code_files(root):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return f"{__version__}+{digest.hexdigest()[:12]}"


def input_fingerprint(landing: Path) -> str:
    """Hash of the landed files (their sha256 in export order); 'empty' when nothing has landed."""
    if not landing.is_file():
        return "empty"
    import duckdb

    con = duckdb.connect(str(landing), read_only=True)
    try:
        tables = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
        if "ingest_log" not in tables:
            return "empty"
        row = con.execute(
            "select count(*), string_agg(sha256, ',' order by _file_id) from ingest_log where status = 'landed'"
        ).fetchone()
    finally:
        con.close()
    files, joined = row or (0, None)
    if not files:
        return "empty"
    return f"{files}:{hashlib.sha256((joined or '').encode()).hexdigest()[:16]}"


def seed_scheme_version(seeds: Path = SEEDS_DIR) -> str | None:
    """The newest scheme_version in scoring_scheme.csv (versions are YYYY.N)."""
    path = seeds / "scoring_scheme.csv"
    if not path.is_file():
        return None
    with path.open(encoding="utf-8") as fh:
        versions = {row.get("scheme_version") for row in csv.DictReader(fh)} - {None, ""}
    return (
        max(versions, key=lambda v: tuple(int(p) if p.isdigit() else 0 for p in v.split(".")))
        if versions
        else None
    )
