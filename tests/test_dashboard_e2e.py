"""The dashboard on the real Nanhe demo (the session's demo_home): every page renders, headline values equal
the marts' for known months, the ranking matches the mart, the notice preview comes from fanzha.notice."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from fanzha.access.grants import Grant
from fanzha.core import fmt

APP = Path(__file__).resolve().parent.parent / "dashboards" / "app.py"
NANHE = "130506"
PAGES = ("overview", "ranking", "unit", "leads", "cases", "quality")
COMMITTEE = Grant("zfw", "committee")

pytestmark = pytest.mark.e2e


def open_page(home: Path, monkeypatch: pytest.MonkeyPatch, page: str = "overview", **params: str) -> AppTest:
    monkeypatch.setenv("FANZHA_HOME", str(home))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.session_state["fanzha_grant"] = COMMITTEE
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page != "overview":
        at.switch_page(f"views/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def mart(home: Path, sql: str, params: list[object]) -> list[tuple]:
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        con.execute("use marts")
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def latest(demo_home: Path) -> date:
    (month,) = mart(demo_home, "select max(month) from kpi_district_monthly where district_code = ?", [NANHE])[0]
    return month


@pytest.mark.parametrize("month", ["latest", "2023-11"])
def test_overview_headline_equals_the_mart(demo_home: Path, latest: date, monkeypatch: pytest.MonkeyPatch,
                                           month: str) -> None:
    chosen = latest if month == "latest" else date(2023, 11, 1)
    at = open_page(demo_home, monkeypatch, month=fmt.month_key(chosen))
    shown = {m.label: m.value for m in at.metric}
    leads, fund, f2f, four, stopped, cases, loss, post = mart(
        demo_home,
        "select leads, fund_leads, face_to_face_rate, four_party_rate, intercepted_amount, cases, loss_amount, "
        "post_warning_victims from kpi_district_monthly where district_code = ? and month = ?",
        [NANHE, chosen],
    )[0]
    assert shown["预警线索（条）"] == f"{leads:,}"
    assert shown["资金预警线索（条）"] == f"{fund:,}"
    assert shown["见面劝阻率"] == ("—" if f2f is None else f"{f2f * 100:.1f}%")
    assert shown["四方参与率"] == ("—" if four is None else f"{four * 100:.1f}%")
    assert shown["止付金额"] == f"{stopped / 10000:,.2f} 万元"
    assert shown["发案数（起）"] == f"{cases:,}"
    assert shown["损失金额"] == f"{loss / 10000:,.2f} 万元"
    assert shown["预后被骗（人）"] == f"{post:,}"
    # 同比 and 环比 of the leads (relative) and face-to-face rate (points) are the month's mart columns
    leads_yoy, leads_mom, f2f_yoy, f2f_mom = mart(
        demo_home,
        "select leads_yoy, leads_mom, face_to_face_rate_yoy_change, face_to_face_rate_mom_change "
        "from kpi_district_monthly where district_code = ? and month = ?", [NANHE, chosen])[0]
    md = [m.value for m in at.markdown]
    assert md[0] == (f"{fmt.change_markdown('同比', leads_yoy, unit='ratio', higher_is_better=False)}\u3000"
                     f"{fmt.change_markdown('环比', leads_mom, unit='ratio', higher_is_better=False)}")
    assert md[2] == (f"{fmt.change_markdown('同比', f2f_yoy, unit='pp', higher_is_better=True)}\u3000"
                     f"{fmt.change_markdown('环比', f2f_mom, unit='pp', higher_is_better=True)}")


def test_overview_tells_the_articles_story(demo_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page(demo_home, monkeypatch)
    fund_yoy, loss_yoy = mart(
        demo_home,
        "select fund_leads_12m_yoy, loss_amount_12m_yoy from kpi_district_monthly "
        "where district_code = ? and month = (select max(month) from dim_months where model_year = 'Y1')",
        [NANHE],
    )[0]
    assert fund_yoy == pytest.approx(-0.869, abs=0.005) and loss_yoy == pytest.approx(-0.778, abs=0.005)
    md = [m.value for m in at.markdown]
    assert f"同比 :green[↓ {abs(fund_yoy) * 100:.1f}%]" in md
    assert f"同比 :green[↓ {abs(loss_yoy) * 100:.1f}%]" in md


def test_ranking_matches_the_mart_and_previews_the_notice(demo_home: Path, latest: date,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page(demo_home, monkeypatch, "ranking", month=fmt.month_key(latest), kind="township")
    expected = mart(demo_home, "select unit_name, rank from ranking_unit_monthly where month = ? and unit_kind = ? "
                    "and district_code = ? order by rank, unit_name", [latest, "township", NANHE])
    table = at.dataframe[0].value
    assert list(zip(table["单位"], table["名次"], strict=True)) == expected
    assert not [w.value for w in at.warning if "通报生成失败" in w.value]
    assert at.radio(key="notice_scope").value == "all"
    labels = [b.label for b in at.get("download_button")]
    assert {"下载 Excel（XLSX）", "下载 Word（DOCX）", "下载网页（HTML）"} <= set(labels)


def test_every_page_renders_on_the_demo(demo_home: Path, latest: date, monkeypatch: pytest.MonkeyPatch) -> None:
    for kind in ("township", "member_unit"):
        for page in PAGES:
            at = open_page(demo_home, monkeypatch, page, month=fmt.month_key(latest), kind=kind)
            assert at.title, page


def test_november_2023_interception_is_in_the_notice(demo_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The article's example (贾宋镇 井庄村 赵某, 13.2 万元) appears in the notice previewed for 2023-11."""
    from dashboards import notices

    monkeypatch.setenv("FANZHA_HOME", str(demo_home))
    html = notices.render_notice.__wrapped__(str(demo_home), "e2e", COMMITTEE.cache_key(), COMMITTEE,
                                             date(2023, 11, 1), "all", "html", NANHE)
    text = html.decode("utf-8")
    assert "赵某" in text and "井庄村" in text


def test_quality_page_shows_the_marts(demo_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page(demo_home, monkeypatch, "quality")
    quarantined = mart(demo_home, "select coalesce(sum(rows), 0) from dq_quarantine_summary", [])[0][0]
    assert any(f"共隔离 {int(quarantined):,} 行" in c.value for c in at.caption) or quarantined == 0
    has_publish = mart(demo_home, "select count(*) from information_schema.tables "
                       "where table_name = 'fanzha_publish'", [])[0][0]
    if has_publish:  # published by `fanzha run`
        (run_id,) = mart(demo_home, "select run_id from fanzha_publish order by published_at desc limit 1", [])[0]
        assert {m.label: m.value for m in at.metric}["运行编号"] == run_id
    else:  # built straight onto the published path (before the pipeline existed)
        assert any("没有发布记录" in i.value for i in at.info)
