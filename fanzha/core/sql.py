"""The one SQL quoting helper: every string spliced into SQL text (file paths in ATTACH/read_csv,
value lists) goes through `literal`; values in queries are passed as parameters instead."""

from __future__ import annotations

import os
from collections.abc import Iterable


def literal(value: str | os.PathLike[str]) -> str:
    """A single-quoted SQL string literal: "it's" -> 'it''s'."""
    return "'" + str(value).replace("'", "''") + "'"


def literal_list(values: Iterable[str]) -> str:
    """Comma-separated SQL literals for an IN (...) list or a list literal."""
    return ", ".join(literal(v) for v in values)
