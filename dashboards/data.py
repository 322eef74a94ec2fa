"""The pages' only way to the published marts: registered datasets, read within the signed-in grant's scope.

    rows = data.read("leads", columns=["alert_id", "issued_at"], where={"month": m}, order_by=["issued_at"])

A page names a dataset of `fanzha.access.datasets` and its filters; `fanzha.access.scope.plan` writes the SQL
and appends the scope as `?` parameters. An unregistered dataset, a dataset the role may not read, or no grant:
the page stops with a message (default deny). Results are cached per publish fingerprint *and* scope
(`Grant.cache_key()`): `st.cache_data` is shared by every session of the server.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import streamlit as st

from dashboards.scope import current_grant, refuse
from fanzha.access.scope import (
    AccessDenied,
    Scope,
    ScopedReader,
    UnitDirectory,
    dataset,
    load_directory,
    plan,
    resolve,
)
from fanzha.access.scope import Between as Between  # pages filter a range with data.Between(first, last)
from fanzha.core.paths import data_home
from fanzha.core.read_api import Reader


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


@st.cache_data(show_spinner=False, max_entries=16)
def _directory(root: str, fp: str) -> UnitDirectory:
    del fp  # cache key only
    return load_directory(reader_for(root))


def directory() -> UnitDirectory:
    """Township, member unit and village codes of the published warehouse, and station coverage."""
    return _directory(home_root(), fingerprint())


@st.cache_data(show_spinner=False, max_entries=1024)
def _cached_read(root: str, fp: str, scope_key: str, sql: str, params: tuple[object, ...]) -> pd.DataFrame:
    del fp, scope_key  # cache key only: a new publish or another scope never shares an entry
    return reader_for(root).query(sql, list(params))


def read(name: str, *, columns: Sequence[str] | None = None, where: Mapping[str, object] | None = None,
         order_by: Sequence[str] = (), limit: int | None = None, distinct: bool = False) -> pd.DataFrame:
    """Rows of the registered dataset `name` that the signed-in grant may see (filters: see scope.plan)."""
    grant = current_grant()
    try:
        sql, params = plan(name, grant, directory(), columns=columns, where=where, order_by=order_by, limit=limit,
                           distinct=distinct)
    except AccessDenied as exc:
        refuse(exc)
    return _cached_read(home_root(), fingerprint(), grant.cache_key(), sql, tuple(params))


def may_read(name: str) -> bool:
    """Whether the signed-in grant may read dataset `name` at all (rows are still limited to its scope)."""
    return current_grant().role in dataset(name).readers()


def scope() -> Scope:
    """The signed-in grant's scope (stops the page when the grant names unknown units)."""
    try:
        return resolve(current_grant(), directory())
    except AccessDenied as exc:
        refuse(exc)


def scope_name() -> str:
    """What the signed-in user may see in detail, in Chinese: '全部单位' or its units' names."""
    own = scope()
    return "全部单位" if own.everything else ("、".join(own.names(directory())) or "无")


def scoped_reader() -> ScopedReader:
    """A reader bound to the signed-in grant, for code that reads outside `read` (the notice)."""
    return ScopedReader(reader(), current_grant(), directory())


def tables() -> frozenset[str]:
    """Names of the tables present in the published warehouse."""
    return frozenset(read("catalog")["table_name"].tolist())


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
