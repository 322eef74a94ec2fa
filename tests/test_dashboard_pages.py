"""AppTest of every dashboard page against the hand-made warehouse in tests/fixtures/dashboard.py.

Expected values are the ones written by hand in the fixture (see its docstring) and, for the headline cards,
the same figures read from the mart by SQL here.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from fanzha.access.grants import Grant
from tests.fixtures import dashboard as fx

APP = Path(__file__).resolve().parent.parent / "dashboards" / "app.py"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("dash_home")
    fx.build(root / "warehouse.duckdb")
    for rev, changes in ((1, []), (2, ["贾宋镇 名次 2 → 1"])):
        folder = root / "notices" / "2024-05" / f"rev-{rev}"
        folder.mkdir(parents=True)
        (folder / "notice.html").write_text(f"<html><body>第{rev}版</body></html>", encoding="utf-8")
        (folder / "issued.json").write_text(json.dumps({"revision": rev, "issued_at": f"2024-06-0{rev}T10:00:00",
                                                         "scheme_version": "v1", "changes": changes}),
                                            encoding="utf-8")
    return root


def open_page(home: Path, monkeypatch: pytest.MonkeyPatch, page: str = "overview", **params: str) -> AppTest:
    """The page as the committee sees it (every unit); row scopes are tested in test_access_pages.py."""
    monkeypatch.setenv("FANZHA_HOME", str(home))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["fanzha_grant"] = Grant("zfw", "committee")
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page != "overview":
        at.switch_page(f"views/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def markdown(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


def chart_data(at: AppTest, index: int) -> pd.DataFrame:
    """The data frame behind the page's index-th chart (Streamlit ships it as an Arrow stream)."""
    datasets = at.get("vega_lite_chart")[index].proto.datasets
    assert len(datasets) == 1
    return pa.ipc.open_stream(datasets[0].data.data).read_pandas()


# -- 总览 --------------------------------------------------------------------------------------------

def test_overview_cards_show_the_marts_headline_values(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page(home, monkeypatch, month="2024-06")
    shown = metrics(at)
    # hand-known values of the fixture
    assert shown["预警线索（条）"] == "40"
    assert shown["资金预警线索（条）"] == "20"
    assert shown["见面劝阻率"] == "95.0%"
    assert shown["四方参与率"] == "80.0%"
    assert shown["止付金额"] == "12.35 万元"
    assert shown["发案数（起）"] == "5"
    assert shown["损失金额"] == "9.88 万元"
    assert shown["预后被骗（人）"] == "0"
    # the same figures read straight from the mart
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    con.execute("use marts")
    row = con.execute("select leads, fund_leads, cases, loss_amount from kpi_district_monthly "
                      "where district_code = ? and month = ?", [fx.DISTRICT, fx.MONTH]).fetchone()
    con.close()
    assert shown["预警线索（条）"] == str(row[0])
    assert shown["资金预警线索（条）"] == str(row[1])
    assert shown["发案数（起）"] == str(row[2])
    assert shown["损失金额"] == f"{row[3] / 10000:,.2f} 万元"


def test_overview_yoy_and_mom_have_arrows_and_colours(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every card's 同比 and 环比 as the fixture's hand-computed comparison columns of the month (docstring)."""
    md = markdown(open_page(home, monkeypatch, month="2024-06"))
    cards = md[:8]
    assert cards == [
        "同比 :green[↓ 50.0%]\u3000环比 :green[↓ 20.0%]",  # leads 40 vs 80 / 50
        "同比 :green[↓ 60.0%]\u3000环比 :green[↓ 20.0%]",  # fund leads 20 vs 50 / 25
        "同比 :green[↑ 10.0个百分点]\u3000环比 :green[↑ 5.0个百分点]",  # face-to-face 95 % vs 85 % / 90 %
        "同比 :green[↑ 20.0个百分点]\u3000环比 :green[↑ 20.0个百分点]",  # four-party 80 % vs 60 % / 60 %
        "同比 :green[↑ 25.0%]\u3000环比 :green[↑ 20.0%]",  # intercepted 123,456 vs 98,764.8 / 102,880 (more is better)
        "同比 :green[↓ 50.0%]\u3000环比 :green[↓ 50.0%]",  # cases 5 vs 10 / 10
        "同比 :green[↓ 50.0%]\u3000环比 :green[↓ 1.2%]",  # loss 98,765.4 vs 197,530.8 / 100,000
        "同比 :gray[→ 0]\u3000环比 :green[↓ 2]",  # post-warning victims 0 vs 0 / 2 (a difference in people)
    ]


def test_overview_cards_read_the_marts_changes_not_their_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Change only the mart's comparison columns of the month: the cards follow them (a page that recomputed
    环比/同比 from the previous rows would still show 20 % and 10 points)."""
    home = tmp_path / "home"
    con = duckdb.connect(str(fx.build(home / "warehouse.duckdb")))
    con.execute("use marts")
    con.execute("update kpi_district_monthly set leads_mom = -0.3, face_to_face_rate_yoy_change = 0.07, "
                "post_warning_victims_mom_change = 1 where month = ?", [fx.MONTH])
    con.close()
    md = markdown(open_page(home, monkeypatch, month="2024-06"))
    assert md[0] == "同比 :green[↓ 50.0%]\u3000环比 :green[↓ 30.0%]"
    assert md[2] == "同比 :green[↑ 7.0个百分点]\u3000环比 :green[↑ 5.0个百分点]"
    assert md[7] == "同比 :gray[→ 0]\u3000环比 :red[↑ 1]"


def test_overview_model_year_story(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page(home, monkeypatch, month="2024-06")
    shown, md = metrics(at), markdown(at)
    assert shown["Y1 资金预警线索（条）"] == "131"
    assert shown["Y1 损失金额"] == "335.00 万元"
    assert "同比 :green[↓ 86.9%]" in md
    assert "同比 :green[↓ 77.8%]" in md
    assert len(at.get("vega_lite_chart")) == 5  # three trends, the Y0/Y1 comparison, the rolling yoy
    bars = chart_data(at, 3)  # Y0 = the mart's <m>_12m_prev_year of the Y1 end row (no Y0 row is read)
    assert bars["年度"].tolist() == ["Y0 实施前", "Y1 实施年", "Y0 实施前", "Y1 实施年"]
    assert bars["标签"].tolist() == ["1,000", "131", "1,509.01 万元", "335.00 万元"]


def test_overview_township_filter_from_the_url(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page(home, monkeypatch, month="2024-06", township=fx.T1)
    assert "和阳镇" in at.title[0].value
    assert metrics(at)["预警线索（条）"] == "25"
    assert metrics(at)["资金预警线索（条）"] == "12"


def test_changing_the_month_changes_the_view_and_the_url(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page(home, monkeypatch, month="2024-06")
    assert at.query_params["month"] == ["2024-06"] or at.query_params["month"] == "2024-06"
    at.selectbox(key="w_month").select("2024-05").run()
    assert metrics(at)["预警线索（条）"] == "50"
    assert "2024年5月" in at.title[0].value
    month = at.query_params["month"]
    assert (month[0] if isinstance(month, list) else month) == "2024-05"


def test_a_month_without_data_says_so(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page(home, monkeypatch, month="2021-01")
    assert any("2021年1月没有数据" in i.value for i in at.info)
    assert not at.metric


def test_district_filter_appears_with_several_districts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fx.build(tmp_path / "warehouse.duckdb", clone=True)
    at = open_page(tmp_path, monkeypatch, month="2024-06")
    assert at.selectbox(key="w_district").value == fx.DISTRICT  # Nanhe is the default
    assert metrics(at)["预警线索（条）"] == "40"
    at = open_page(tmp_path, monkeypatch, month="2024-06", district=fx.CLONE)
    assert "克隆区一" in at.title[0].value
    assert metrics(at)["预警线索（条）"] == "80"


def test_single_district_has_no_district_filter(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page(home, monkeypatch, month="2024-06")
    assert "区县" not in [s.label for s in at.selectbox]


# -- 排名通报 ----------------------------------------------------------------------------------------

def test_ranking_per_kind_with_intervals(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page(home, monkeypatch, "ranking", month="2024-06", kind="township")
    table = at.dataframe[0].value
    assert table["单位"].tolist() == ["和阳镇", "贾宋镇"]
    assert table["名次"].tolist() == [1, 2]
    assert table["总分"].tolist() == [88.5, 80.25]
    assert table["名次90%区间"].tolist() == ["1–2", "1–2"]
    assert table["通报"].tolist() == ["通报表扬", "通报批评"]
    assert table["与之无法区分的单位"].tolist() == ["贾宋镇", "和阳镇"]
    assert table["见面劝阻率（得分）"].tolist() == [26.55, 24.08]  # 30 × 0.885, 30 × 0.8025
    assert table["名次变化"].tolist() == ["↑1", "↓1"]  # rank_change: 2 → 1 and 1 → 2 (fixture's May ranks)
    assert len(at.get("vega_lite_chart")) == 1

    at = open_page(home, monkeypatch, "ranking", month="2024-06", kind="member_unit")
    assert at.dataframe[0].value["单位"].tolist() == ["区教育局", "区公安分局"]


def test_ranking_lists_issued_notices_and_revisions(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page(home, monkeypatch, "ranking", month="2024-06")
    issued = at.dataframe[1].value
    assert issued["版本"].tolist() == ["第2版", "第1版"]
    assert issued["月份"].tolist() == ["2024年5月", "2024年5月"]
    assert issued["变化"].tolist() == ["贾宋镇 名次 2 → 1", "首次印发"]
    assert issued["印发时间"].tolist() == ["2024-06-02 10:00", "2024-06-01 10:00"]


# -- 单位详情 ----------------------------------------------------------------------------------------

def test_unit_page_compares_with_the_district_and_shows_lost_points(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_page(home, monkeypatch, "unit", month="2024-06", kind="township", unit=fx.T1)
    assert "和阳镇" in at.title[0].value
    compare = at.dataframe[0].value.set_index("指标")
    assert compare.loc["见面劝阻率", "本单位"] == "70.0%"
    assert compare.loc["见面劝阻率", "全区"] == "95.0%"
    assert compare.loc["预警线索数", "本单位"] == "25"
    lost = at.dataframe[3].value.set_index("指标")
    assert lost.loc["每万人发案数", "失分"] == pytest.approx(4.6)  # weight 40, 40 × 0.885 = 35.4 points
    assert lost.loc["见面劝阻率", "失分"] == pytest.approx(3.45)
    assert lost.index[0] == "每万人发案数"  # the biggest loss first
    villages = at.dataframe[1].value
    assert villages["村（社区）"].tolist() == ["和阳村"]


# -- 预警处置 ----------------------------------------------------------------------------------------

def test_leads_page_funnel_and_overdue_leads(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page(home, monkeypatch, "leads", month="2024-06")
    assert any("本月下发 20 条" in s.value for s in at.subheader)
    overdue = at.dataframe[0].value
    assert overdue["线索编号"].tolist() == ["A004", "A005"]  # 90 minutes; never contacted
    assert overdue["状态"].tolist() == ["超时", "未劝阻"]
    assert len(at.get("vega_lite_chart")) == 2  # funnel and time-to-first-contact
    hist = chart_data(at, 1)  # every bucket the marts know (2-24小时 from May's A010), June's leads counted in them
    assert hist["区间"].tolist() == ["10分钟内", "10-30分钟", "30-60分钟", "1-2小时", "2-24小时"]
    assert hist["线索数"].tolist() == [1, 1, 1, 1, 0]
    funnel = chart_data(at, 0)  # the mart's counts of the month's 20 fund leads (fixture docstring)
    assert funnel["环节"].tolist() == ["下发", "已劝阻", "见面劝阻", "四方参与", "三清", "劝阻成功"]
    assert funnel["人数"].tolist() == [20, 19, 19, 16, 15, 14]
    assert funnel["标签"].tolist() == ["20（100.0%）", "19（95.0%）", "19（95.0%）", "16（80.0%）", "15（75.0%）",
                                     "14（70.0%）"]

    at = open_page(home, monkeypatch, "leads", month="2024-06", township=fx.T1)
    assert any("没有逾期线索" in s.value for s in at.success)


def test_leads_funnel_shows_the_marts_counts_not_rate_times_leads(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The page must not recompute KPIs: change only the count columns and the bars follow them."""
    home = tmp_path / "home"
    con = duckdb.connect(str(fx.build(home / "warehouse.duckdb")))
    con.execute("use marts")
    con.execute("update kpi_district_monthly set fund_leads_face_to_face = 18, fund_leads_dissuaded = 13 "
                "where month = ?", [fx.MONTH])  # rates stay 95 % and 70 % of 20
    con.close()
    funnel = chart_data(open_page(home, monkeypatch, "leads", month="2024-06"), 0).set_index("环节")
    assert funnel.loc["见面劝阻", "人数"] == 18 and funnel.loc["劝阻成功", "人数"] == 13


def test_leads_page_reads_the_overdue_flag_and_buckets_of_the_mart(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Change only fct_alerts' flag and bucket: the overdue list and the histogram follow them (a page that
    applied its own 60-minute rule or binned the minutes itself would not list A003 nor move A001)."""
    home = tmp_path / "home"
    con = duckdb.connect(str(fx.build(home / "warehouse.duckdb")))
    con.execute("use marts")
    con.execute("update fct_alerts set is_overdue_first_contact = true where alert_id = 'A003'")  # 45 minutes
    con.execute("update fct_alerts set first_contact_bucket_label = '30-60分钟', first_contact_bucket_order = 3 "
                "where alert_id = 'A001'")  # 5 minutes
    con.close()
    at = open_page(home, monkeypatch, "leads", month="2024-06")
    overdue = at.dataframe[0].value
    assert overdue["线索编号"].tolist() == ["A003", "A004", "A005"]
    assert overdue["状态"].tolist() == ["超时", "超时", "未劝阻"]
    hist = chart_data(at, 1)
    assert hist["区间"].tolist() == ["10-30分钟", "30-60分钟", "1-2小时", "2-24小时"]
    assert hist["线索数"].tolist() == [1, 2, 1, 0]


def test_unit_and_ranking_pages_read_points_lost_and_rank_change(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """失分 is the mart's points_lost and 名次变化 its rank_change: change only those and the pages follow."""
    home = tmp_path / "home"
    con = duckdb.connect(str(fx.build(home / "warehouse.duckdb")))
    con.execute("use marts")
    con.execute("update score_unit_monthly set points_lost = 9.99 where unit_code = ? and month = ? "
                "and indicator = 'four_party_rate'", [fx.T1, fx.MONTH])
    con.execute("update ranking_unit_monthly set rank_change = 3 where unit_code = ? and month = ?", [fx.T1, fx.MONTH])
    con.close()
    lost = open_page(home, monkeypatch, "unit", month="2024-06", kind="township", unit=fx.T1).dataframe[3].value
    assert lost["指标"].tolist() == ["四方参与率", "每万人发案数", "见面劝阻率"]  # the biggest loss first
    assert lost["失分"].tolist() == [9.99, 4.6, 3.45]
    table = open_page(home, monkeypatch, "ranking", month="2024-06", kind="township").dataframe[0].value
    assert table["名次变化"].tolist() == ["↑3", "↓1"]


# -- 案件分析 ----------------------------------------------------------------------------------------

def test_cases_page_loss_bands_as_in_the_article(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page(home, monkeypatch, "cases", period="Y0+Y1")
    assert at.caption[0].value == "两年合计（2022年3月—2024年2月）"  # the span of Y0 and Y1 in dim_months
    bands = at.dataframe[0].value
    assert bands["金额区间"].tolist() == ["1万元以下", "1万至5万元", "5万元以上"]
    assert bands["案件数占比"].tolist() == ["74.1%", "19.2%", "6.7%"]
    assert bands["损失金额（万元）"].tolist() == [335.0, 373.0, 799.0]
    assert bands["损失金额占比"].tolist() == ["22.2%", "24.8%", "53.0%"]


def test_cases_page_lists_post_warning_and_repeat_victims_masked(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_page(home, monkeypatch, "cases", period="Y0+Y1")
    victims = at.dataframe[1].value
    assert victims["姓名"].tolist() == ["钱某", "赵某"]
    assert victims["类别"].tolist() == ["重复被骗", "预后被骗"]
    assert all(name.endswith("某") for name in victims["姓名"])
    assert "phone_masked" not in victims.columns and "手机" not in "".join(victims.columns)

    at = open_page(home, monkeypatch, "cases", period="Y1")
    assert any("没有预后被骗" in s.value for s in at.success)


# -- 数据质量 ----------------------------------------------------------------------------------------

def test_quality_page(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page(home, monkeypatch, "quality")
    shown = metrics(at)
    assert shown["运行编号"] == "20240701T093000-fixture"
    assert shown["发布时间"] == "2024-07-01 09:30"
    assert (shown["检查项"], shown["通过"], shown["未通过"]) == ("2", "1", "1")
    fresh, quarantine = at.dataframe[0].value, at.dataframe[1].value
    assert fresh["数据源"].tolist() == ["预警线索", "劝阻记录", "止付记录", "案件", "工作台账"]
    assert quarantine["原因"].tolist() == ["时间格式错误", "时间格式错误", "金额为负"]
    assert quarantine["行数"].tolist() == [4, 3, 2]
    by_reason = chart_data(at, 0)  # the mart's reason_rows: 4 + 3 bad datetimes, 2 negative amounts
    assert by_reason["原因"].tolist() == ["时间格式错误", "金额为负"]
    assert by_reason["行数"].tolist() == [7, 2]
    assert any(c.value.startswith("共隔离 9 行") for c in at.caption)  # the mart's total_rows


def test_quality_page_reads_the_marts_totals(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The chart by reason and the total are dq_quarantine_summary's reason_rows and total_rows, not sums the
    page makes: change only those and the page follows."""
    home = tmp_path / "home"
    con = duckdb.connect(str(fx.build(home / "warehouse.duckdb")))
    con.execute("use marts")
    con.execute("update dq_quarantine_summary set reason_rows = 1 where reason_code = 'bad_datetime'")
    con.execute("update dq_quarantine_summary set total_rows = 12")
    con.close()
    at = open_page(home, monkeypatch, "quality")
    by_reason = chart_data(at, 0)
    assert by_reason["原因"].tolist() == ["金额为负", "时间格式错误"]
    assert by_reason["行数"].tolist() == [2, 1]
    assert any(c.value.startswith("共隔离 12 行") for c in at.caption)


# -- empty state -------------------------------------------------------------------------------------

def test_no_published_warehouse_explains_how_to_run_the_pipeline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_page(tmp_path, monkeypatch)
    assert at.title[0].value == "尚无已发布的数据仓库"
    text = " ".join(markdown(at))
    assert "fanzha run" in text and "make demo" in text
    assert isinstance(at.info[0].value, str) and str(tmp_path) in at.info[0].value


def test_every_page_renders_for_every_month_and_kind(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Smoke: the first month (no previous month, no year before), both unit kinds, every page."""
    for month in ("2022-03",):
        for kind in ("township", "member_unit"):
            for page in ("overview", "ranking", "unit", "leads", "cases", "quality"):
                open_page(home, monkeypatch, page, month=month, kind=kind)


def test_frames_are_plain_data(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page(home, monkeypatch, "ranking", month="2024-06")
    assert isinstance(at.dataframe[0].value, pd.DataFrame)


def test_a_new_publish_is_shown_without_restarting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Results are cached on the reader's fingerprint: a new publish (atomic replace) shows new figures."""
    home = tmp_path / "home"
    fx.build(home / "warehouse.duckdb")
    assert metrics(open_page(home, monkeypatch, month="2024-06"))["预警线索（条）"] == "40"
    assert metrics(open_page(home, monkeypatch, month="2024-06"))["预警线索（条）"] == "40"  # from the cache

    staged = fx.build(tmp_path / "build" / "warehouse.duckdb")
    con = duckdb.connect(str(staged))
    con.execute("use marts")
    con.execute("update kpi_district_monthly set leads = 41 where month = ?", [fx.MONTH])
    con.execute("update fanzha_publish set run_id = 'second-run'")
    con.close()
    staged.replace(home / "warehouse.duckdb")

    at = open_page(home, monkeypatch, month="2024-06")
    assert metrics(at)["预警线索（条）"] == "41"
    assert any("second-run" in c.value for c in at.sidebar.caption)
