"""Row scopes: which published rows a grant may read, enforced in one place.

Every dataset the dashboard reads is registered in `fanzha.access.datasets` with a policy:

    public   every signed-in role, every row (the published ranking, scores, notices, district KPIs)
    unit     committee and analyst: every row; `unit`: rows of its own townships / member units;
             `station`: refused (villages, unit detail)
    station  as `unit`, and a `station` reads the rows of the townships it covers (lead handling, cases)
    role     only the roles the dataset names (data quality: analyst and committee)

Committee and analyst read everything. A query is planned here, never by a page: the page names a
dataset and its filters, `plan` appends the scope predicate with the unit codes as `?` parameters.
An unregistered dataset, a missing grant, an unknown role or unit raise `AccessDenied` (default deny).

    directory = load_directory(reader)          # township / member unit / village codes, station coverage
    sql, params = plan("leads", grant, directory, where={"month": m}, order_by=["issued_at"])
    ScopedReader(reader, grant).read("leads", where={"month": m})   # the same, run
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from fanzha.access.datasets import ALL_SEEING, DATASETS, STATION, TOWNSHIP, UNIT, Dataset
from fanzha.access.grants import ROLES, Grant

if TYPE_CHECKING:
    import pandas as pd

DEFAULT_DISTRICT = "130506"  # station keys without a district prefix are Nanhe's (police_stations.csv)

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")  # a column name, never anything else
_STATION = re.compile(r"^(\d{6})?(PS\d{2,})$")


class AccessDenied(Exception):
    """The grant may not read this (or there is no valid grant): the read is refused, nothing is returned."""


class UnknownDataset(AccessDenied):
    """A read of a dataset nobody registered: refused until it is registered with a policy."""


@dataclass(frozen=True)
class UnitDirectory:
    """The units a grant may name: township and member unit codes with names, villages, station coverage."""

    townships: Mapping[str, str] = field(default_factory=dict)  # code → name
    member_units: Mapping[str, str] = field(default_factory=dict)  # code → name
    villages: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # code → (name, township code)
    stations: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # PSxx → Nanhe township codes

    def station_townships(self, key: str) -> tuple[str, ...]:
        """Townships a station covers; `PS02` is Nanhe's, `990001PS02` the clone district's (contracts §1)."""
        match = _STATION.match(key)
        if match is None or match.group(2) not in self.stations:
            raise AccessDenied(f"未知的派出所 {key}")
        district = match.group(1) or DEFAULT_DISTRICT
        return tuple(district + code[6:] for code in self.stations[match.group(2)])


@dataclass(frozen=True)
class Scope:
    """The rows a grant may read: everything, or the rows of these townships and member units."""

    everything: bool
    townships: frozenset[str] = frozenset()
    member_units: frozenset[str] = frozenset()

    def codes(self, kind: str) -> frozenset[str]:
        return self.townships if kind == TOWNSHIP else self.member_units

    def villages(self, directory: UnitDirectory) -> frozenset[str]:
        """Village codes in scope (every village for an all-seeing grant)."""
        return frozenset(code for code, (_name, township) in directory.villages.items()
                         if self.everything or township in self.townships)

    def names(self, directory: UnitDirectory) -> tuple[str, ...]:
        """Names of the units in scope, townships first (empty for an all-seeing grant)."""
        return (tuple(directory.townships.get(c, c) for c in sorted(self.townships))
                + tuple(directory.member_units.get(c, c) for c in sorted(self.member_units)))


def resolve(grant: object, directory: UnitDirectory) -> Scope:
    """The scope of `grant`; AccessDenied when there is no valid grant, an unknown role, no units or an unknown unit."""
    if not isinstance(grant, Grant):
        raise AccessDenied("未登录：没有访问授权")
    if grant.role not in ROLES:
        raise AccessDenied(f"未知的角色 {grant.role!r}")
    if grant.role in ALL_SEEING:
        return Scope(everything=True)
    if not grant.units:
        raise AccessDenied(f"账号 {grant.user} 没有授权单位")
    townships: set[str] = set()
    members: set[str] = set()
    for unit in grant.units:
        if grant.role == "station":
            townships.update(directory.station_townships(unit))
        elif unit in directory.townships:
            townships.add(unit)
        elif unit in directory.member_units:
            members.add(unit)
        else:
            raise AccessDenied(f"未知的单位 {unit}")
    return Scope(everything=False, townships=frozenset(townships), member_units=frozenset(members))


def can_read(grant: Grant, dataset: Dataset) -> bool:
    return grant.role in dataset.readers()


def dataset(name: str) -> Dataset:
    """The registered dataset `name`; UnknownDataset when nobody registered it (default deny)."""
    found = DATASETS.get(name)
    if found is None:
        raise UnknownDataset(f"数据集 {name!r} 未登记访问策略")
    return found


@dataclass(frozen=True)
class Between:
    """A filter `column between low and high` (both ends included)."""

    low: object
    high: object


def _column(name: str) -> str:
    if not isinstance(name, str) or not _IDENTIFIER.match(name):
        raise ValueError(f"not a column name: {name!r}")
    return f"d.{name}"


def _order(term: str) -> str:
    parts = term.split()
    if len(parts) == 2 and parts[1] in ("asc", "desc"):
        return f"{_column(parts[0])} {parts[1]}"
    if len(parts) != 1:
        raise ValueError(f"not an ordering: {term!r}")
    return _column(parts[0])


def _marks(values: Sequence[object]) -> str:
    return ", ".join("?" for _ in values)


def _filter(column: str, value: object, params: list[object]) -> str:
    col = _column(column)
    if value is None:
        return f"{col} is null"
    if isinstance(value, Between):
        params.extend((value.low, value.high))
        return f"{col} between ? and ?"
    if isinstance(value, list | tuple | set | frozenset):
        values = sorted(value) if isinstance(value, set | frozenset) else list(value)
        if not values:
            return "false"
        params.extend(values)
        return f"{col} in ({_marks(values)})"
    params.append(value)
    return f"{col} = ?"


def scope_predicate(ds: Dataset, scope: Scope, params: list[object]) -> str:
    """The WHERE fragment that limits `ds` to `scope` (codes appended to `params`); '' for no limit."""
    if scope.everything or ds.policy not in (UNIT, STATION):
        return ""
    parts = []
    for kind, column in ds.scope:
        codes = sorted(scope.codes(kind))
        if codes:
            params.extend(codes)
            parts.append(f"{_column(column)} in ({_marks(codes)})")
    return "(" + " or ".join(parts) + ")" if parts else "false"


def plan(name: str, grant: object, directory: UnitDirectory, *, columns: Sequence[str] | None = None,
         where: Mapping[str, object] | None = None, order_by: Sequence[str] = (), limit: int | None = None,
         distinct: bool = False) -> tuple[str, list[object]]:
    """The SQL and parameters reading dataset `name` for `grant`: the page's filters and the scope predicate.

    Filters: a value (`=`), None (`is null`), a list (`in`), `Between(low, high)`. Raises AccessDenied.
    """
    ds = dataset(name)
    scope = resolve(grant, directory)
    assert isinstance(grant, Grant)
    if not can_read(grant, ds):
        raise AccessDenied(f"角色 {grant.role} 无权读取 {ds.label}")
    if ds.statement:
        raise ValueError(f"dataset {name} is a fixed statement: read it with ScopedReader.statement")
    params: list[object] = []
    selected = ", ".join(_column(c) for c in columns) if columns else "d.*"
    conditions = [_filter(column, value, params) for column, value in (where or {}).items()]
    predicate = scope_predicate(ds, scope, params)
    if predicate:
        conditions.append(predicate)
    sql = f"select {'distinct ' if distinct else ''}{selected} from {ds.source} as d"
    if conditions:
        sql += " where " + " and ".join(conditions)
    if order_by:
        sql += " order by " + ", ".join(_order(t) for t in order_by)
    if limit is not None:
        sql += " limit ?"
        params.append(int(limit))
    return sql, params


def statement_text(ds: Dataset) -> str:
    """The SQL text of a registered fixed statement ("module:CONSTANT"), imported when first needed."""
    import importlib

    module, constant = ds.statement.split(":")
    return str(getattr(importlib.import_module(module), constant))


class Queryable(Protocol):
    def query(self, sql: str, params: Any = None) -> pd.DataFrame: ...


DIRECTORY_SQL = ("select unit_code, unit_name, unit_kind, township_code from dim_units "
                 "where unit_kind in ('township', 'member_unit', 'village')")


def read_stations(seeds: Path) -> dict[str, tuple[str, ...]]:
    """Station key → township codes it covers, from police_stations.csv (contracts §1)."""
    covered: dict[str, list[str]] = {}
    with (seeds / "police_stations.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            covered.setdefault(row["station_key"], []).append(row["township_code"])
    return {key: tuple(codes) for key, codes in covered.items()}


def directory_from(rows: Iterable[Mapping[str, Any]], stations: Mapping[str, tuple[str, ...]]) -> UnitDirectory:
    """A directory from dim_units rows (unit_code, unit_name, unit_kind, township_code) and station coverage."""
    townships: dict[str, str] = {}
    members: dict[str, str] = {}
    villages: dict[str, tuple[str, str]] = {}
    for row in rows:
        code, name, kind = str(row["unit_code"]), str(row["unit_name"]), row["unit_kind"]
        if kind == "township":
            townships[code] = name
        elif kind == "member_unit":
            members[code] = name
        elif kind == "village":
            villages[code] = (name, str(row["township_code"]))
    return UnitDirectory(townships, members, villages, dict(stations))


def load_directory(reader: Queryable, seeds: Path | None = None) -> UnitDirectory:
    """The directory of the published warehouse (dim_units) and the station seed."""
    from fanzha.core.paths import SEEDS_DIR

    frame = reader.query(DIRECTORY_SQL)
    return directory_from(frame.to_dict(orient="records"), read_stations(seeds or SEEDS_DIR))


class ScopedReader:
    """A reader bound to one grant: the only way to a dataset outside Streamlit (notices, tests)."""

    def __init__(self, reader: Queryable, grant: Grant, directory: UnitDirectory | None = None) -> None:
        self.reader = reader
        self.grant = grant
        self._directory = directory

    @property
    def directory(self) -> UnitDirectory:
        if self._directory is None:
            self._directory = load_directory(self.reader)
        return self._directory

    @property
    def scope(self) -> Scope:
        return resolve(self.grant, self.directory)

    def read(self, name: str, **query: Any) -> pd.DataFrame:
        """Rows of dataset `name` within the grant's scope (see `plan` for the keyword arguments)."""
        sql, params = plan(name, self.grant, self.directory, **query)
        return self.reader.query(sql, params)

    def statement(self, name: str, params: Sequence[object]) -> pd.DataFrame:
        """Run the registered public fixed statement `name` with `params`."""
        ds = dataset(name)
        resolve(self.grant, self.directory)
        if not ds.statement or not can_read(self.grant, ds):
            raise AccessDenied(f"{ds.label} 不是可直接运行的公开查询")
        return self.reader.query(statement_text(ds), list(params))
