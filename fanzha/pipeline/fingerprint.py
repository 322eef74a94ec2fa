"""What a published warehouse was built from: the code version and the input fingerprint.

A run is a no-op when the published warehouse was built by the same code from the same landed files.
"""

from __future__ import annotations

import ast
import csv
import hashlib
from pathlib import Path

from fanzha import __version__
from fanzha.core.paths import REPO_ROOT, SEEDS_DIR

# What shapes a published warehouse: the whole dbt project, and the Python modules that land, build,
# check and publish data — found by following imports from these entry points (and from the dbt
# project's Python models), so a new module is covered without being listed here. The generator,
# notices and dashboards are not reached from them: editing those does not force a rebuild.
ENTRY_MODULES = ("ingestion.ingest", "fanzha.build", "expectations.runner", "fanzha.pipeline.publish")
DBT_PROJECT_PARTS = ("dbt_project.yml", "models", "macros", "seeds", "tests")
EXCLUDED_PARTS = {"__pycache__", "target", "logs", "dbt_packages"}


def _module_file(root: Path, name: str) -> Path | None:
    base = root.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imported_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _python_closure(root: Path, start: list[Path]) -> set[Path]:
    """Repository modules reachable by imports from `start` (packages' __init__ included)."""
    seen: set[Path] = set()
    todo = list(start)
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for name in _imported_names(path):
            parts = name.split(".")
            for i in range(1, len(parts) + 1):
                found = _module_file(root, ".".join(parts[:i]))
                if found is not None and found not in seen:
                    todo.append(found)
    return seen


def code_files(root: Path = REPO_ROOT) -> list[Path]:
    project = root / "warehouse"
    files: set[Path] = set()
    for part in DBT_PROJECT_PARTS:
        target = project / part
        candidates = [target] if target.is_file() else target.rglob("*")
        for path in candidates:
            if path.is_file() and not EXCLUDED_PARTS.intersection(path.relative_to(root).parts):
                files.add(path)
    entries = [f for f in (_module_file(root, m) for m in ENTRY_MODULES) if f is not None]
    entries += [f for f in files if f.suffix == ".py"]
    files |= _python_closure(root, entries)
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
