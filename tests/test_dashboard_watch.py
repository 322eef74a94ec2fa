"""AppTest of the 待办与超时 page for a committee viewer and for unit viewers, on the hand-made dashboard
warehouse plus hand-written watch marts (below). Every expected value is written here by hand.

    cut-off 2024-06-30 22:00
    L1 赵某 贾宋镇井庄村, 区教育局, 13.2万, next 首次劝阻 due 06-29 09:00: overdue 2,220 min = 1天13小时
    L2 钱某 和阳镇和阳村, 2万, next 三清 due 07-03 20:00: not overdue
    L3 孙某 和阳镇, 5万, next 回访 due 06-27 10:00: overdue 5,040 min = 3天12小时
    watch_unit_daily at 06-30: district 3 open / 2 overdue, 和阳镇 2/1, 贾宋镇 1/1, 区教育局 1/1, 区公安分局 0/0
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.fixtures import dashboard as fx

APP = Path(__file__).resolve().parent.parent / "dashboards" / "app.py"

LEADS = [
    ("L1", datetime(2024, 6, 29, 8), "资金预警", "高", fx.DISTRICT, fx.T2, "贾宋镇", fx.V2, "井庄村", fx.M2, "区教育局",
     "赵某", 132000.0, "first_contact", "首次劝阻", datetime(2024, 6, 29, 9), True, 2220.0, 3, 2, "首次劝阻、见面劝阻"),
    ("L2", datetime(2024, 6, 30, 20), "资金预警", "中", fx.DISTRICT, fx.T1, "和阳镇", fx.V1, "和阳村", None, None,
     "钱某", 20000.0, "three_clear", "三清", datetime(2024, 7, 3, 20), False, 0.0, 4, 0, None),
    ("L3", datetime(2024, 6, 20, 10), "资金预警", "中", fx.DISTRICT, fx.T1, "和阳镇", None, None, None, None,
     "孙某", 50000.0, "follow_up", "回访", datetime(2024, 6, 27, 10), True, 5040.0, 1, 1, "回访"),
]
LEAD_COLUMNS = ["alert_id", "issued_at", "alert_type", "risk_level", "district_code", "township_code", "township_name",
                "village_code", "village_name", "member_unit_code", "member_unit_name", "name_masked", "amount_at_risk",
                "next_step", "next_step_label", "next_step_deadline", "is_overdue", "minutes_overdue", "open_steps",
                "overdue_steps", "overdue_step_labels"]
DAILY = {  # unit: (kind, township, [(day, open, overdue)])
    fx.DISTRICT: ("district", None, [(29, 2, 2), (30, 3, 2)]),
    fx.T1: ("township", fx.T1, [(29, 1, 1), (30, 2, 1)]),
    fx.T2: ("township", fx.T2, [(29, 1, 1), (30, 1, 1)]),
    fx.M1: ("member_unit", None, [(29, 0, 0), (30, 0, 0)]),
    fx.M2: ("member_unit", None, [(29, 1, 1), (30, 1, 1)]),
}


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("watch_home")
    path = fx.build(root / "warehouse.duckdb")
    leads = pd.DataFrame(LEADS, columns=LEAD_COLUMNS).assign(cut_off_at=datetime(2024, 6, 30, 22))
    daily = pd.DataFrame([(code, fx.NAMES[code], kind, fx.DISTRICT, town, date(2024, 6, day), o, d, 0)
                          for code, (kind, town, days) in DAILY.items() for day, o, d in days],
                         columns=["unit_code", "unit_name", "unit_kind", "district_code", "township_code",
                                  "as_of_date", "open_leads", "overdue_leads", "new_leads"])
    cut = pd.DataFrame({"cut_off_at": [datetime(2024, 6, 30, 22)], "cut_off_source": ["data"],
                        "cut_off_month": [date(2024, 6, 1)]})
    with duckdb.connect(str(path)) as con:
        for name, frame in (("watch_open_leads", leads), ("watch_unit_daily", daily), ("watch_cut_off", cut)):
            con.register("frame", frame)
            con.execute(f"create table {name} as select * from frame")
            con.unregister("frame")
    return root


def open_watch(home: Path, monkeypatch: pytest.MonkeyPatch, **params: str) -> AppTest:
    monkeypatch.setenv("FANZHA_HOME", str(home))
    at = AppTest.from_file(str(APP), default_timeout=60)
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


def test_a_township_sees_its_own_open_leads_by_urgency(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_watch(home, monkeypatch, viewer=fx.T1)
    assert at.title[0].value == "待办与超时 · 和阳镇"
    assert metrics(at) == {"未完结线索（条）": "2", "其中超时（条）": "1"}
    [mine] = at.dataframe
    table = mine.value
    assert table["姓名"].tolist() == ["孙某", "钱某"]
    assert table["状态"].tolist() == ["超时 3天12小时", "未超时"]
    assert table["应完成时间"].tolist() == ["2024-06-27 10:00", "2024-07-03 20:00"]
    assert "乡镇" not in table.columns and "赵某" not in table["姓名"].tolist()


def test_a_member_unit_sees_the_leads_of_its_system(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_watch(home, monkeypatch, viewer=fx.M2)
    assert metrics(at) == {"未完结线索（条）": "1", "其中超时（条）": "1"}
    assert at.dataframe[0].value["村（社区）"].tolist() == ["井庄村"]
    assert at.query_params["viewer"] == fx.M2
