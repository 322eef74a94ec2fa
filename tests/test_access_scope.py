"""The row-scope policy, without Streamlit: default deny, SQL with the scope as parameters, and the rows each
role gets from the hand-made warehouse of dashboard_fixture.py (answers counted by hand in its docstring)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from fanzha.access.datasets import DATASETS, PUBLIC, ROLE, STATION, UNIT, Dataset
from fanzha.access.grants import Grant
from fanzha.access.notices import NoticeSource, load_scoped_notice, scoped_issued
from fanzha.access.scope import (
    AccessDenied,
    Between,
    Scope,
    ScopedReader,
    UnknownDataset,
    load_directory,
    plan,
    resolve,
)
from fanzha.core.paths import DataHome
from fanzha.core.read_api import Reader
from fanzha.notice.data import load_notice_data
from fanzha.notice.issue import issue_data
from tests.fixtures import dashboard as fx
from tests.fixtures import watch as watch_fx

COMMITTEE = Grant("zfw", "committee")
ANALYST = Grant("fxy", "analyst")
HEYANG = Grant("heyang", "unit", (fx.T1,))  # 和阳镇
JIASONG = Grant("jiasong", "unit", (fx.T2,))  # 贾宋镇
EDUCATION = Grant("jyj", "unit", (fx.M2,))  # 区教育局
STATION_HEYANG = Grant("ps01", "station", ("PS01",))  # 和阳派出所 covers 和阳镇
STATION_JIASONG = Grant("ps02", "station", ("PS02",))  # 贾宋派出所 covers 贾宋镇
ROLES_UNDER_TEST = (COMMITTEE, ANALYST, HEYANG, JIASONG, EDUCATION, STATION_HEYANG, STATION_JIASONG)


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Reader:
    home = tmp_path_factory.mktemp("scope_home")
    watch_fx.build(home / "warehouse.duckdb")  # the dashboard fixture plus the watch marts: every source exists
    with Reader(DataHome(home)) as r:
        yield r


def scoped(reader: Reader, grant: Grant) -> ScopedReader:
    return ScopedReader(reader, grant)


# -- the registry -------------------------------------------------------------------------------------

def test_every_dataset_has_a_known_policy_and_the_roles_it_implies() -> None:
    assert len(DATASETS) >= 15
    readers = {name: set(ds.readers()) for name, ds in DATASETS.items()}
    assert readers["district_kpis"] == {"committee", "analyst", "unit", "station"}  # public
    assert readers["leads"] == {"committee", "analyst", "unit", "station"}  # station policy: scoped rows
    assert readers["village_kpis"] == {"committee", "analyst", "unit"}  # unit policy: no station
    assert readers["quarantine_summary"] == {"committee", "analyst"}  # role policy: data quality
    assert {ds.policy for ds in DATASETS.values()} == {PUBLIC, UNIT, STATION, ROLE}


@pytest.mark.parametrize("bad", [
    {"policy": "everyone", "source": "t"},  # unknown policy
    {"policy": UNIT, "source": "t"},  # a scoped policy without scope columns
    {"policy": PUBLIC, "source": "t", "scope": (("township", "township_code"),)},  # public with a scope
    {"policy": STATION, "statement": "m:SQL", "scope": (("township", "township_code"),)},  # scoped statement
    {"policy": ROLE, "source": "t"},  # a role policy naming no role
    {"policy": UNIT, "source": "t", "scope": (("township", "code; drop table x"),)},  # not a column
])
def test_a_badly_declared_dataset_is_rejected(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Dataset("x", label="x", **bad)  # type: ignore[arg-type]


# -- default deny --------------------------------------------------------------------------------------

def test_an_unregistered_dataset_is_refused(reader: Reader) -> None:
    with pytest.raises(UnknownDataset, match="未登记"):
        scoped(reader, COMMITTEE).read("fct_alerts")


@pytest.mark.parametrize("grant", [None, "committee", Grant("x", "guest"), Grant("x", "")],
                         ids=["no grant", "a string", "unknown role", "empty role"])
def test_no_valid_grant_reads_nothing_not_even_public_data(reader: Reader, grant: object) -> None:
    directory = load_directory(reader)
    with pytest.raises(AccessDenied):
        plan("district_kpis", grant, directory)


@pytest.mark.parametrize("grant", [Grant("x", "unit"), Grant("x", "unit", ("130506999",)),
                                   Grant("x", "station", ("PS99",)), Grant("x", "station", (fx.T1,))],
                         ids=["unit without units", "unknown township", "unknown station", "station given a township"])
def test_a_grant_without_valid_units_is_refused(reader: Reader, grant: Grant) -> None:
    with pytest.raises(AccessDenied):
        scoped(reader, grant).read("leads")


@pytest.mark.parametrize(("grant", "name"), [
    (STATION_JIASONG, "village_kpis"), (STATION_JIASONG, "own_units"),  # unit detail is not a station's
    (JIASONG, "quarantine_summary"), (STATION_JIASONG, "publish_record"), (EDUCATION, "feed_freshness"),
])
def test_a_role_outside_the_policy_is_refused(reader: Reader, grant: Grant, name: str) -> None:
    with pytest.raises(AccessDenied, match="无权读取"):
        scoped(reader, grant).read(name)


def test_pages_cannot_inject_sql_through_names(reader: Reader) -> None:
    directory = load_directory(reader)
    for query in ({"columns": ["alert_id; drop table fct_alerts"]}, {"where": {"1=1 or township_code": "x"}},
                  {"order_by": ["issued_at; select 1"]}, {"order_by": ["issued_at desc nulls"]}):
        with pytest.raises(ValueError):
            plan("leads", COMMITTEE, directory, **query)  # type: ignore[arg-type]


# -- SQL with the scope as parameters ------------------------------------------------------------------

def test_the_scope_is_a_parameter_never_text(reader: Reader) -> None:
    sql, params = plan("leads", JIASONG, load_directory(reader), columns=["alert_id"],
                       where={"month": fx.MONTH, "is_fund_warning": True}, order_by=["alert_id desc"], limit=5)
    assert sql.endswith("where d.month = ? and d.is_fund_warning = ? and (d.township_code in (?)) "
                        "order by d.alert_id desc limit ?")
    assert params == [fx.MONTH, True, fx.T2, 5]
    assert fx.T2 not in sql

    sql, params = plan("leads", COMMITTEE, load_directory(reader), where={"month": fx.MONTH})
    assert sql.endswith("where d.month = ?") and params == [fx.MONTH]  # all-seeing: no scope predicate

    sql, params = plan("unit_kpis", Grant("x", "unit", (fx.T1, fx.M2)), load_directory(reader),
                       where={"month": Between(date(2024, 1, 1), fx.MONTH), "unit_code": [fx.T1, fx.M2]})
    assert sql.endswith("where d.month between ? and ? and d.unit_code in (?, ?) "
                        "and (d.unit_code in (?) or d.unit_code in (?))")
    assert params == [date(2024, 1, 1), fx.MONTH, fx.T1, fx.M2, fx.T1, fx.M2]


def test_a_scope_with_nothing_of_a_datasets_kind_reads_no_row(reader: Reader) -> None:
    sql, params = plan("village_kpis", EDUCATION, load_directory(reader))  # a member unit has no villages
    assert sql.endswith("where false") and params == []
    assert scoped(reader, EDUCATION).read("village_kpis").empty


# -- scope resolution ----------------------------------------------------------------------------------

def test_which_codes_each_grant_covers(reader: Reader) -> None:
    directory = load_directory(reader)
    assert resolve(COMMITTEE, directory) == Scope(everything=True)
    assert resolve(JIASONG, directory) == Scope(False, frozenset({fx.T2}))
    assert resolve(JIASONG, directory).villages(directory) == {fx.V2}
    assert resolve(HEYANG, directory).villages(directory) == {fx.V1}
    assert resolve(EDUCATION, directory) == Scope(False, frozenset(), frozenset({fx.M2}))
    assert resolve(EDUCATION, directory).villages(directory) == frozenset()
    assert resolve(STATION_JIASONG, directory) == Scope(False, frozenset({fx.T2}))  # police_stations.csv
    assert resolve(COMMITTEE, directory).villages(directory) == {fx.V1, fx.V2}
    assert resolve(JIASONG, directory).names(directory) == ("贾宋镇",)
    # PS06 covers two townships in the seed; a clone district's station covers the clone's townships
    assert directory.station_townships("PS06") == ("130506200", "130506203")
    assert directory.station_townships("990001PS02") == ("990001101",)


# -- each role's rows on the fixture warehouse ----------------------------------------------------------

FUND_LEADS = {  # fund leads of 2024-06 (fixture docstring)
    COMMITTEE: ["A001", "A002", "A003", "A004", "A005"], ANALYST: ["A001", "A002", "A003", "A004", "A005"],
    HEYANG: ["A001", "A002", "A003"], JIASONG: ["A004", "A005"], EDUCATION: ["A003"],
    STATION_HEYANG: ["A001", "A002", "A003"], STATION_JIASONG: ["A004", "A005"],
}
VICTIMS = {COMMITTEE: ["钱某", "赵某"], ANALYST: ["钱某", "赵某"], HEYANG: ["钱某"], JIASONG: ["赵某"], EDUCATION: ["钱某"],
           STATION_HEYANG: ["钱某"], STATION_JIASONG: ["赵某"]}
INTERCEPTIONS = {COMMITTEE: ["赵某", "孙某", "李某"], ANALYST: ["赵某", "孙某", "李某"], HEYANG: ["孙某", "李某"],
                 JIASONG: ["赵某"], EDUCATION: ["李某"], STATION_HEYANG: ["孙某", "李某"], STATION_JIASONG: ["赵某"]}
UNITS = {COMMITTEE: [fx.T1, fx.T2, fx.M1, fx.M2], HEYANG: [fx.T1], JIASONG: [fx.T2], EDUCATION: [fx.M2]}
VILLAGES = {COMMITTEE: ["和阳村", "井庄村"], HEYANG: ["和阳村"], JIASONG: ["井庄村"], EDUCATION: []}


@pytest.mark.parametrize("grant", ROLES_UNDER_TEST, ids=[g.user for g in ROLES_UNDER_TEST])
def test_each_roles_rows(reader: Reader, grant: Grant) -> None:
    r = scoped(reader, grant)
    leads = r.read("leads", columns=["alert_id"], where={"month": fx.MONTH, "is_fund_warning": True},
                   order_by=["alert_id"])
    assert leads["alert_id"].tolist() == FUND_LEADS[grant]
    victims = r.read("notable_victims", columns=["name_masked"], order_by=["occurred_at desc"])
    assert sorted(victims["name_masked"]) == sorted(VICTIMS[grant])
    stopped = r.read("notable_interceptions", columns=["name_masked"], where={"month": fx.MONTH},
                     order_by=["amount desc"])
    assert stopped["name_masked"].tolist() == INTERCEPTIONS[grant]
    kpis = r.read("unit_kpis", columns=["unit_code"], where={"month": fx.MONTH}, order_by=["unit_code"])
    expected_units = UNITS.get(grant, UNITS[COMMITTEE] if grant.role == "analyst" else None)
    if grant.role == "station":
        expected_units = [fx.T1] if grant is STATION_HEYANG else [fx.T2]
    assert kpis["unit_code"].tolist() == expected_units
    if grant.role != "station":
        villages = r.read("village_kpis", columns=["unit_name"], where={"month": fx.MONTH}, order_by=["unit_code"])
        assert villages["unit_name"].tolist() == VILLAGES.get(grant, VILLAGES[COMMITTEE])
    # public data is the same for everyone
    ranking = r.read("ranking", columns=["unit_name"], where={"month": fx.MONTH, "unit_kind": "township"},
                     order_by=["rank"])
    assert ranking["unit_name"].tolist() == ["和阳镇", "贾宋镇"]
    assert len(r.read("district_kpis", where={"district_code": fx.DISTRICT})) == len(fx.months())


def test_every_source_runs_and_selects_no_personal_key(reader: Reader) -> None:
    personal = {"person_key", "id_key", "phone_key", "phone_masked", "account_key", "counterparty_account_key"}
    r = scoped(reader, COMMITTEE)
    for name, ds in DATASETS.items():
        if ds.statement:
            continue
        columns = set(r.read(name, limit=0).columns)
        assert columns, name
        assert not columns & personal, f"{name} exposes {columns & personal}"


# -- the notice ----------------------------------------------------------------------------------------

def test_the_notice_shows_the_public_ranking_and_only_the_scopes_interceptions(reader: Reader) -> None:
    full = load_notice_data(reader, fx.MONTH, "all", fx.DISTRICT)
    assert load_scoped_notice(scoped(reader, COMMITTEE), fx.MONTH, "all", fx.DISTRICT) == full
    mine = load_scoped_notice(scoped(reader, JIASONG), fx.MONTH, "all", fx.DISTRICT)
    assert [(i.village_name, i.name_masked, i.amount) for i in mine.interceptions] == [("井庄村", "赵某", 132000.0)]
    assert mine.sections == full.sections and mine.summary == full.summary  # the published part is public
    theirs = load_scoped_notice(scoped(reader, HEYANG), fx.MONTH, "all", fx.DISTRICT)
    assert [i.village_name for i in theirs.interceptions] == ["和阳村", "和阳村"]


def test_the_notice_source_refuses_a_query_nobody_registered(reader: Reader) -> None:
    with pytest.raises(AccessDenied, match="未登记"):
        NoticeSource(scoped(reader, COMMITTEE)).query("select * from fct_cases", [])


def test_an_issued_revision_is_given_to_a_township_with_its_own_interceptions(reader: Reader, tmp_path: Path) -> None:
    import json

    full = load_notice_data(reader, fx.MONTH, "all", fx.DISTRICT)
    result = issue_data(DataHome(tmp_path), full)
    record = json.loads((result.directory / "issued.json").read_text(encoding="utf-8"))
    assert {i["village_name"] for i in record["interceptions"]} == {"和阳村", "井庄村"}  # the frozen original
    directory = load_directory(reader)
    for grant, names in ((JIASONG, ["赵某"]), (HEYANG, ["孙某", "李某"]), (EDUCATION, []), (STATION_JIASONG, ["赵某"]),
                         (COMMITTEE, ["赵某", "孙某", "李某"])):
        data = scoped_issued(record, resolve(grant, directory), directory)
        assert data is not None
        assert [i.name_masked for i in data.interceptions] == names, grant.user
        assert [r.unit_name for s in data.sections for r in s.rows] == ["和阳镇", "贾宋镇", "区教育局", "区公安分局"]
        assert data.sections == full.sections  # indicators and honour places as issued: it renders the same
    assert scoped_issued({"revision": 1, "changes": []}, resolve(JIASONG, directory), directory) is None
