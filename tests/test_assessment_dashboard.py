"""The 考核依据 sections of 排名通报 and 单位详情 (dashboards/evidence.py) select the assessment marts and only
format them: the hand-made rows of the dashboard fixture, the pages' last tables checked cell by cell."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from fanzha.access.grants import Grant
from tests.fixtures import dashboard as fx

APP = Path(__file__).resolve().parent.parent / "dashboards" / "app.py"



@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("evidence_home")
    fx.build(root / "warehouse.duckdb")  # its 考核依据 rows: fx.ASSESSMENTS and fx.INDICATORS
    return root


def open_page(home: Path, monkeypatch: pytest.MonkeyPatch, page: str, **params: str) -> AppTest:
    monkeypatch.setenv("FANZHA_HOME", str(home))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["fanzha_grant"] = Grant("zfw", "committee")
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(f"views/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_ranking_page_shows_each_units_evidence_including_the_unranked(home: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page(home, monkeypatch, "ranking", month="2024-06", kind="member_unit")
    table = at.dataframe[-1].value
    assert table["单位"].tolist() == ["区教育局", "区公安分局"]
    assert table["考核状态"].tolist() == ["参与排名", "本月无可考核事项"]
    assert table["本单位数据占比"].tolist() == ["58%", "12%"]
    assert table["总分"].tolist() == ["79.31", "—"]  # a partial score ranks nobody
    assert table["以本单位数据考核的指标"].tolist()[0] == "每万名职工学生被骗人数、反诈培训和警示教育次数"
    assert table["无本单位数据、不计分的指标"].tolist()[1] == "全区资金预警公安干警参与率"
    assert any("不足50%的单位列为“本月无可考核事项”" in c.value for c in at.caption)


def test_unit_page_shows_points_gained_and_lost_per_indicator(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page(home, monkeypatch, "unit", month="2024-06", kind="member_unit", unit=fx.M2)
    table = at.dataframe[-1].value.set_index("指标")
    assert table.index.tolist() == ["每万名职工学生被骗人数", "本单位职工预警四方参与率", "反诈培训和警示教育次数"]
    assert table.loc["每万名职工学生被骗人数", ["本月数值", "上月数值", "本月得分", "上月得分", "较上月增减"]].tolist() == [
        "0.00", "0.24", "48.28", "40.00", "+8.28"]
    assert table.loc["本单位职工预警四方参与率", ["考核依据", "本月数值", "上月数值", "本月得分", "较上月增减"]].tolist() == [
        "无本单位数据，不计分", "—", "50.0%", "—", "-5.00"]
    assert table.loc["反诈培训和警示教育次数", ["本月数值", "较上月增减"]].tolist() == ["2", "+10.69"]


def test_pages_without_the_new_marts_say_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fx.build(tmp_path / "warehouse.duckdb", assessment=False)
    at = open_page(tmp_path, monkeypatch, "unit", month="2024-06", kind="member_unit", unit=fx.M2)
    assert any("score_unit_indicator_monthly" in i.value for i in at.info)
