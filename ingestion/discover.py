"""Which files an ingest call takes, and in which order (docs/contracts.md §3, "Export order")."""

from __future__ import annotations

import re
from pathlib import Path

from fanzha.core.errors import UserError

EXPORT_SUFFIXES = {".csv", ".xlsx"}


def _is_export(path: Path) -> bool:
    name = path.name
    return path.suffix.lower() in EXPORT_SUFFIXES and not name.startswith((".", "~$"))


def discover(paths: list[Path]) -> list[Path]:
    """Files named explicitly (any name) plus the .csv/.xlsx files found under folders; each file once.

    A path that does not exist is a usage error (exit 2) raised before anything is ingested.
    """
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise UserError(f"no such file or folder: {', '.join(missing)}", 2)
    found: dict[Path, None] = {}
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and _is_export(child):
                    found[child.resolve()] = None
        else:
            found[path.resolve()] = None
    return sorted(found, key=export_order_key)


def revision(name: str) -> int:
    """1 for an original export, 2 for `_更正` or `_rev2`, n for `_revN` / `_更正N` (N+1)."""
    match = re.search(r"_rev(\d+)", name, re.IGNORECASE)
    if match:
        return int(match.group(1))
    match = re.search(r"更正(\d*)", name)
    if match:
        return int(match.group(1) or 1) + 1
    return 1


def month(name: str) -> str:
    """The YYYY-MM an export covers, from its file name ('' when the name carries none)."""
    match = re.search(r"(?<!\d)(20\d{2})[-_.年]?(0[1-9]|1[0-2])(?!\d)", name)
    return f"{match.group(1)}-{match.group(2)}" if match else ""


def export_order_key(path: Path) -> tuple[str, int, str]:
    return (month(path.name), revision(path.name), path.name)
