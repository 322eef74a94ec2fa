"""Reading the published marts: one Reader per data home, query results cached on the publish fingerprint.

All SQL is parameterised (`?` placeholders); table names are fixed strings from this package, never user input.
The dashboard only reads and filters marts: it never recomputes a KPI.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from fanzha.core.paths import data_home
from fanzha.core.read_api import CATALOG, Reader
from fanzha.core.read_api import SCHEMA as MARTS

SCHEMA = f"{CATALOG}.{MARTS}"  # the published file's one schema: warehouse.marts


def table(name: str) -> str:
    """Fully qualified name of a published table (works whether or not the reader has run USE)."""
    return f"{SCHEMA}.{name}"


def home_root() -> str:
    """The data home (FANZHA_HOME, else ./data), as a string usable as a cache key."""
    return str(data_home().root)


@st.cache_resource(show_spinner=False)
def reader_for(root: str) -> Reader:
    """The one Reader of a data home, shared by every session of this server."""
    return Reader(data_home(root))


def reader() -> Reader:
    return reader_for(home_root())


def available() -> bool:
    """True when a published warehouse exists in the data home."""
    return bool(reader().available())


def fingerprint() -> str:
    return str(reader().fingerprint())


@st.cache_data(show_spinner=False, max_entries=512)
def _cached_query(root: str, fp: str, sql: str, params: tuple[Any, ...]) -> pd.DataFrame:
    del fp  # part of the cache key only: a new publish gives a new fingerprint, hence fresh results
    return reader_for(root).query(sql, list(params))


def query(sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
    """Run a parameterised query against the published warehouse (cached until the next publish)."""
    return _cached_query(home_root(), fingerprint(), sql, tuple(params))


def tables() -> frozenset[str]:
    """Names of the tables present in the published warehouse."""
    df = query(
        "select table_name from information_schema.tables where table_catalog = ? and table_schema = ?",
        (CATALOG, MARTS),
    )
    return frozenset(df["table_name"].tolist())


def version_caption() -> str:
    """'数据版本：<run id>' of the latest publish, or a note that the warehouse was not published by a run."""
    run_id = fingerprint().split(":", 1)[0]
    if run_id in ("unpublished", "unavailable", ""):
        return "数据版本：未经发布流程（手动构建）"
    return f"数据版本：{run_id}"


def has_table(name: str) -> bool:
    return name in tables()


def require_tables(*names: str) -> None:
    """Stop the page with a message when the published warehouse lacks a table it needs."""
    missing = [n for n in names if not has_table(n)]
    if missing:
        st.info(f"已发布的数据仓库中还没有 {', '.join(missing)}，本页暂不能显示（请运行完整的 `fanzha run`）。")
        st.stop()
