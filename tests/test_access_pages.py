"""Every page under every role (AppTest, the hand-made warehouse of dashboard_fixture.py): only the rows the
role may see, pages outside the role absent from the navigation and refused, another unit's URL parameters
fall back to the user's own, no grant shows nothing.

The other township's detail is looked for in everything a page sends: titles, text, tables, chart data,
select options and the notice preview (the HTML in its iframe).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from dashboards.filters import Filters
from dashboards.pages_registry import PAGES
from fanzha.access.grants import Grant
from tests.fixtures import dashboard as fx
from tests.fixtures import watch as watch_fx

APP = Path(__file__).resolve().parent.parent / "dashboards" / "app.py"
VIEWS = APP.parent / "views"

COMMITTEE = Grant("zfw", "committee")
ANALYST = Grant("fxy", "analyst")
HEYANG = Grant("heyang", "unit", (fx.T1,))
JIASONG = Grant("jiasong", "unit", (fx.T2,))
EDUCATION = Grant("jyj", "unit", (fx.M2,))
STATION = Grant("ps02", "station", ("PS02",))  # 贾宋派出所: covers 贾宋镇
GRANTS = (COMMITTEE, ANALYST, HEYANG, JIASONG, EDUCATION, STATION)

# Detail of the fixture (its docstring): villages, masked names and lead ids of each township / member unit.
HEYANG_DETAIL = {"和阳村", "孙某", "钱某", "李某", "A001", "A002", "A003"}
JIASONG_DETAIL = {"井庄村", "赵某", "A004", "A005"}
EDUCATION_DETAIL = {"李某", "钱某", "A003"}  # 区教育局's lead A003 and case C002, both in 和阳镇/和阳村
# ... and, in the watch marts (tests/fixtures/watch.py), its open lead L1: 赵某 of 贾宋镇/井庄村.
# What each grant sees of that detail in all its pages together (overdue leads are A004 and A005 only).
VISIBLE = {"和阳村", "孙某", "钱某", "李某", "井庄村", "赵某", "A004", "A005"}
SEEN = {COMMITTEE: VISIBLE, ANALYST: VISIBLE, HEYANG: VISIBLE & HEYANG_DETAIL, JIASONG: JIASONG_DETAIL,
        EDUCATION: {"李某", "钱某", "和阳村", "赵某", "井庄村"}, STATION: JIASONG_DETAIL}
# ... and what it must never see.
NEVER = {COMMITTEE: set(), ANALYST: set(), HEYANG: JIASONG_DETAIL, JIASONG: HEYANG_DETAIL,
         EDUCATION: {"孙某", "A001", "A002", "A004", "A005"}, STATION: HEYANG_DETAIL}


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("scope_pages_home")
    watch_fx.build(root / "warehouse.duckdb")  # the dashboard fixture plus the watch marts (待办与超时)
    return root


def open_page(home: Path, monkeypatch: pytest.MonkeyPatch, grant: Grant | None, page: str = "overview",
              **params: str) -> AppTest:
    monkeypatch.setenv("FANZHA_HOME", str(home))
    at = AppTest.from_file(str(APP), default_timeout=60)
    if grant is not None:
        at.session_state["fanzha_grant"] = grant
    for key, value in {"month": "2024-06", **params}.items():
        at.query_params[key] = value
    at.run()
    if page != "overview":
        at.switch_page(f"views/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def sent_text(at: AppTest) -> str:
    """Everything the page sent to the browser that can hold a name: text, tables, chart data, options, iframes."""
    out: list[str] = []

    def walk(node: object) -> None:
        kind = getattr(node, "type", "")
        if kind == "dataframe":
            out.append(node.value.to_csv())  # type: ignore[attr-defined]
        elif kind == "vega_lite_chart":
            for ds in node.proto.datasets:  # type: ignore[attr-defined]
                out.append(pa.ipc.open_stream(ds.data.data).read_pandas().to_csv())
        elif kind == "iframe":
            out.append(node.proto.srcdoc)  # type: ignore[attr-defined]
        for attr in ("value", "label", "options", "body"):
            value = getattr(node, attr, None) if kind not in ("dataframe",) else None
            if isinstance(value, str):
                out.append(value)
            elif isinstance(value, list | tuple):
                out.extend(str(v) for v in value)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(out)


def allowed_pages(grant: Grant) -> list[str]:
    return [s.file.removeprefix("views/").removesuffix(".py") for s in PAGES if grant.role in s.roles]


@pytest.mark.parametrize("grant", GRANTS, ids=[g.user for g in GRANTS])
def test_every_page_shows_only_the_roles_rows(home: Path, monkeypatch: pytest.MonkeyPatch, grant: Grant) -> None:
    texts = {}
    for page in allowed_pages(grant):
        at = open_page(home, monkeypatch, grant, page)
        assert at.title, page
        assert not at.error, (page, [e.value for e in at.error])
        texts[page] = sent_text(at)
    for page, text in texts.items():
        leaked = {word for word in NEVER[grant] if word in text}
        assert not leaked, f"{grant.user} sees {leaked} on {page}"
    everything = "\n".join(texts.values())
    assert {word for word in SEEN[grant] if word not in everything} == set(), grant.user  # the check is not vacuous


@pytest.mark.parametrize("grant", GRANTS, ids=[g.user for g in GRANTS])
def test_pages_outside_the_role_are_absent_from_the_navigation(home: Path, monkeypatch: pytest.MonkeyPatch,
                                                               grant: Grant) -> None:
    at = open_page(home, monkeypatch, grant)
    for spec in PAGES:
        if grant.role in spec.roles:
            at.switch_page(spec.file).run()
            assert not at.exception
        else:
            with pytest.raises(ValueError, match="Could not find a navigation page"):
                at.switch_page(spec.file)


def _run_view(home: Path, monkeypatch: pytest.MonkeyPatch, view: str, grant: Grant) -> AppTest:
    """A view run on its own (as if a navigation had let it through): the read layer must still refuse."""
    monkeypatch.setenv("FANZHA_HOME", str(home))
    at = AppTest.from_file(str(VIEWS / f"{view}.py"), default_timeout=60)
    at.session_state["fanzha_grant"] = grant
    at.session_state["filters"] = Filters(
        district=fx.DISTRICT, district_name="南和区", month=fx.MONTH, month_has_data=True, months=tuple(fx.months()),
        kind="township", township=fx.T1, township_name="和阳镇")
    return at.run()


@pytest.mark.parametrize(("view", "grant"), [("quality", JIASONG), ("quality", STATION), ("unit", STATION)])
def test_a_page_outside_the_role_is_refused_by_the_read_layer(home: Path, monkeypatch: pytest.MonkeyPatch,
                                                              view: str, grant: Grant) -> None:
    at = _run_view(home, monkeypatch, view, grant)
    assert [e.value for e in at.error][0].startswith("本账号无权查看此内容")
    assert not at.dataframe and not at.metric
    assert "和阳村" not in sent_text(at)


def test_the_read_layer_refuses_a_forced_filter_of_another_unit(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Even with 和阳镇 forced into the filters, 贾宋镇's user gets no 和阳镇 row (the scope is in the query)."""
    at = _run_view(home, monkeypatch, "leads", JIASONG)
    assert not at.exception
    text = sent_text(at)
    assert not {w for w in HEYANG_DETAIL if w in text}
    assert any("没有" in i.value for i in at.info)  # 和阳镇's unit KPIs are out of scope: no row


@pytest.mark.parametrize(("grant", "page", "params", "title"), [
    (JIASONG, "overview", {"township": fx.T1}, "总览 · 贾宋镇 · 2024年6月"),
    (JIASONG, "leads", {"township": fx.T1}, "预警处置 · 贾宋镇 · 2024年6月"),
    (JIASONG, "unit", {"kind": "township", "unit": fx.T1}, "单位详情 · 贾宋镇 · 2024年6月"),
    (JIASONG, "unit", {"kind": "member_unit", "unit": fx.M2}, "单位详情 · 贾宋镇 · 2024年6月"),
    (EDUCATION, "unit", {"kind": "township", "unit": fx.T1}, "单位详情 · 区教育局 · 2024年6月"),
    (STATION, "overview", {"township": fx.T1}, "总览 · 贾宋镇 · 2024年6月"),
    (HEYANG, "overview", {"township": fx.T2}, "总览 · 和阳镇 · 2024年6月"),
    (COMMITTEE, "overview", {"township": fx.T1}, "总览 · 和阳镇 · 2024年6月"),  # the committee may choose any
])
def test_url_parameters_naming_another_unit_fall_back_to_the_users_own(
    home: Path, monkeypatch: pytest.MonkeyPatch, grant: Grant, page: str, params: dict[str, str], title: str
) -> None:
    at = open_page(home, monkeypatch, grant, page, **params)
    assert at.title[0].value == title
    for param, asked in params.items():  # the URL now names what is shown, not what was asked for
        if param in ("township", "unit") and grant is not COMMITTEE:
            assert at.query_params[param] != asked, param


def test_a_township_user_may_still_choose_the_public_district_view(home: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page(home, monkeypatch, JIASONG, "overview", township="")
    assert at.title[0].value == "总览 · 南和区 · 2024年6月"
    assert {m.label: m.value for m in at.metric}["预警线索（条）"] == "40"  # district KPIs are public
    assert at.selectbox(key="w_township").options == ["全区", "贾宋镇"]
    at = open_page(home, monkeypatch, JIASONG, "leads", township="")
    assert at.dataframe[0].value["线索编号"].tolist() == ["A004", "A005"]  # but the lead detail stays its own
    assert any("明细仅含本账号范围（贾宋镇）" in c.value for c in at.caption)


@pytest.mark.parametrize(("grant", "overdue", "victims"), [
    (COMMITTEE, ["A004", "A005"], ["钱某", "赵某"]), (JIASONG, ["A004", "A005"], ["赵某"]),
    (HEYANG, [], ["钱某"]), (EDUCATION, [], ["钱某"]), (STATION, ["A004", "A005"], ["赵某"]),
], ids=["committee", "jiasong", "heyang", "education", "station"])
def test_detail_tables_hold_exactly_the_hand_counted_rows(home: Path, monkeypatch: pytest.MonkeyPatch,
                                                         grant: Grant, overdue: list[str], victims: list[str]) -> None:
    at = open_page(home, monkeypatch, grant, "leads", township="")
    shown = at.dataframe[0].value["线索编号"].tolist() if at.dataframe else []
    assert shown == overdue
    at = open_page(home, monkeypatch, grant, "cases", township="", period="Y0+Y1")
    table = at.dataframe[1].value if len(at.dataframe) > 1 else pd.DataFrame({"姓名": []})
    assert table["姓名"].tolist() == victims


def test_the_notice_preview_holds_only_the_users_interceptions(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    previews = {}
    for grant in (COMMITTEE, JIASONG, HEYANG):
        at = open_page(home, monkeypatch, grant, "ranking")
        (frame,) = at.get("iframe")
        previews[grant.user] = frame.proto.srcdoc
    assert all(w in previews["zfw"] for w in ("井庄村", "赵某", "和阳村", "孙某"))
    assert "井庄村" in previews["jiasong"] and "赵某" in previews["jiasong"]
    assert "和阳村" not in previews["jiasong"] and "孙某" not in previews["jiasong"]
    assert "和阳村" in previews["heyang"] and "井庄村" not in previews["heyang"]
    for text in previews.values():  # the published ranking is the same for everyone
        assert "和阳镇" in text and "贾宋镇" in text


def test_the_cache_shared_by_sessions_never_serves_another_scope(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """st.cache_data is shared by every session: the same page and filters, one scope after the other."""
    for grant, expected in ((JIASONG, ["A004", "A005"]), (HEYANG, []), (JIASONG, ["A004", "A005"]),
                            (COMMITTEE, ["A004", "A005"])):
        at = open_page(home, monkeypatch, grant, "leads", township="")
        assert (at.dataframe[0].value["线索编号"].tolist() if at.dataframe else []) == expected


@pytest.mark.parametrize("grant", [None, Grant("x", "guest"), "committee"], ids=["none", "unknown role", "not a grant"])
def test_without_a_valid_grant_nothing_is_shown(home: Path, monkeypatch: pytest.MonkeyPatch, grant: object) -> None:
    at = open_page(home, monkeypatch, grant)  # type: ignore[arg-type]
    assert [t.label for t in at.text_input] == ["用户名", "密码"]  # the sign-in page, and nothing of the warehouse
    assert [t.value for t in at.title] == ["南和区反诈“4+1”预警劝阻看板"]
    assert not at.metric and not at.dataframe and not at.selectbox


def test_a_grant_naming_an_unknown_unit_is_refused(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page(home, monkeypatch, Grant("x", "unit", ("130506999",)))
    assert [e.value for e in at.error] == ["本账号无权查看此内容：未知的单位 130506999"]
    assert not at.metric and not at.dataframe
