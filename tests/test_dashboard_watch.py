"""AppTest of the 待办与超时 page for a committee viewer and for unit viewers, on the hand-made dashboard
warehouse plus the hand-written watch marts of tests/fixtures/watch.py (whose docstring lists the values).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from fanzha.access.grants import Grant
from tests.fixtures import dashboard as fx
from tests.fixtures import watch

COMMITTEE = Grant("zfw", "committee")

APP = Path(__file__).resolve().parent.parent / "dashboards" / "app.py"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("watch_home")
    watch.build(root / "warehouse.duckdb")
    return root


def open_watch(home: Path, monkeypatch: pytest.MonkeyPatch, grant: Grant = COMMITTEE, **params: str) -> AppTest:
    monkeypatch.setenv("FANZHA_HOME", str(home))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["fanzha_grant"] = grant
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("views/watch.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_committee_sees_counts_by_unit_and_the_overdue_list(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_watch(home, monkeypatch)
    assert at.title[0].value == "待办与超时 · 南和区"
    assert "数据截至 2024年06月30日 22:00" in at.caption[0].value
    assert metrics(at) == {"未完结线索（条）": "3", "超时线索（条）": "2"}
    by_unit = at.dataframe[0].value
    assert by_unit.values.tolist() == [["和阳镇", "乡镇", 2, 1], ["贾宋镇", "乡镇", 1, 1], ["区教育局", "成员单位", 1, 1],
                                       ["区公安分局", "成员单位", 0, 0]]
    overdue = at.dataframe[1].value
    assert overdue["姓名"].tolist() == ["孙某", "赵某"]  # the most overdue first
    assert overdue["状态"].tolist() == ["超时 3天12小时", "超时 1天13小时"]
    assert overdue["下一环节"].tolist() == ["回访", "首次劝阻"]
    assert overdue["预警金额（万元）"].tolist() == [5.0, 13.2]
    assert overdue["超时环节"].tolist() == ["回访", "首次劝阻、见面劝阻"]
    assert at.query_params["viewer"] == "committee"


def test_committee_narrowed_to_a_township(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_watch(home, monkeypatch, township=fx.T2)
    assert metrics(at) == {"未完结线索（条）": "1", "超时线索（条）": "1"}
    assert at.dataframe[1].value["姓名"].tolist() == ["赵某"]


def test_a_township_account_sees_its_own_open_leads_by_urgency(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_watch(home, monkeypatch, Grant("hy", "unit", (fx.T1,)))
    assert at.title[0].value == "待办与超时 · 和阳镇"
    assert metrics(at) == {"未完结线索（条）": "2", "其中超时（条）": "1"}
    [mine] = at.dataframe
    table = mine.value
    assert table["姓名"].tolist() == ["孙某", "钱某"]  # 赵某 (贾宋镇) is out of its scope
    assert table["状态"].tolist() == ["超时 3天12小时", "未超时"]
    assert table["应完成时间"].tolist() == ["2024-06-27 10:00", "2024-07-03 20:00"]
    assert "乡镇" not in table.columns
    assert "viewer" not in at.query_params  # a unit account has no 查看单位 choice


def test_a_member_unit_account_sees_the_leads_of_its_system(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_watch(home, monkeypatch, Grant("jy", "unit", (fx.M2,)))
    assert metrics(at) == {"未完结线索（条）": "1", "其中超时（条）": "1"}
    assert at.dataframe[0].value["村（社区）"].tolist() == ["井庄村"]


def test_the_committee_opens_one_units_list_from_the_url(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_watch(home, monkeypatch, viewer=fx.T1)
    assert at.title[0].value == "待办与超时 · 和阳镇"
    assert at.dataframe[0].value["姓名"].tolist() == ["孙某", "钱某"]
    assert at.query_params["viewer"] == fx.T1
