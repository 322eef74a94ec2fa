"""The dashboard in a real browser: headless system Chromium (Playwright) against `streamlit run`.

Visits every page, checks the key elements are visible, changes a filter and sees the view change,
downloads an issued notice, and saves screenshots to test-artifacts/ (git-ignored). Signed in as a committee
user (a real account of the data home) through the sign-in page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fixtures import dashboard as fx
from tests.fixtures.browser import (
    CHROMIUM,
    User,
    add_users,
    artifacts,
    open_as,
    serve,
    settle,
    shot,
)
from tests.fixtures.browser import download as browser_download

COMMITTEE = User("zfw", "committee", ())  # every page and row; scopes: test_browser_scope.py

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="system Chromium not installed at /usr/bin/chromium "
                                                      "(apt-get install chromium fonts-noto-cjk)"),
]


def served(home: Path) -> Iterator[str]:
    """The dashboard of `home` with the committee user's account (it signs in on the sign-in page)."""
    add_users(home, [COMMITTEE])
    with serve(home) as url:
        yield url


@pytest.fixture(scope="module")
def fixture_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("browser_home")
    fx.build(home / "warehouse.duckdb")
    folder = home / "notices" / "2024-05" / "rev-1"
    folder.mkdir(parents=True)
    (folder / "notice.html").write_text("<html><body>2024年5月 通报 第1版</body></html>", encoding="utf-8")
    (folder / "issued.json").write_text(json.dumps({"revision": 1, "changes": []}), encoding="utf-8")
    yield from served(home)


def visit(page: object, site: str, path: str, **params: str) -> None:
    """Open `path?params` signed in as the committee user."""
    open_as(page, site, path, COMMITTEE, **params)


PAGES = (
    ("", "总览 · 南和区 · 2024年6月", "预警线索（条）"),
    ("ranking", "排名通报 · 乡镇 · 2024年6月", "名次的不确定性"),
    ("unit", "单位详情 · 和阳镇 · 2024年6月", "失分分析"),
    ("leads", "预警处置 · 南和区 · 2024年6月", "首次劝阻用时分布"),
    ("cases", "案件分析 · 南和区 · 两年合计", "被骗金额区间：案件数占比与损失金额占比"),
    ("quality", "数据质量", "隔离数据（按原因）"),
)


@pytest.mark.parametrize(("path", "title", "key_text"), PAGES, ids=[p[0] or "overview" for p in PAGES])
def test_every_page_shows_its_key_elements(fixture_url: str, page: object, path: str, title: str,
                                           key_text: str) -> None:
    visit(page, fixture_url, path, month="2024-06")
    page.get_by_role("heading", name=title, exact=True).wait_for()  # type: ignore[attr-defined]
    settle(page)
    assert page.get_by_text(key_text, exact=False).first.is_visible()  # type: ignore[attr-defined]
    assert page.locator('[data-testid="stException"]').count() == 0  # type: ignore[attr-defined]
    if path not in ("quality",):
        page.locator('[data-testid="stVegaLiteChart"]').first.wait_for()  # type: ignore[attr-defined]
    shot(page, f"dashboard_{path or 'overview'}")


def test_changing_the_month_changes_the_view_and_the_url(fixture_url: str, page: object) -> None:
    from playwright.sync_api import expect

    visit(page, fixture_url, "", month="2024-06")
    page.get_by_role("heading", name="总览 · 南和区 · 2024年6月").wait_for()  # type: ignore[attr-defined]
    settle(page)
    leads_card = page.locator('[data-testid="stMetric"]').filter(has_text="预警线索（条）").first  # type: ignore[attr-defined]
    expect(leads_card.locator('[data-testid="stMetricValue"]')).to_have_text("40")

    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text="月份").click()  # type: ignore[attr-defined]
    page.keyboard.type("2024年5月")  # type: ignore[attr-defined]  (the option list is virtualised: filter it)
    page.get_by_role("option", name="2024年5月").click()  # type: ignore[attr-defined]
    page.get_by_role("heading", name="总览 · 南和区 · 2024年5月").wait_for()  # type: ignore[attr-defined]
    settle(page)
    leads_card = page.locator('[data-testid="stMetric"]').filter(has_text="预警线索（条）").first  # type: ignore[attr-defined]
    expect(leads_card.locator('[data-testid="stMetricValue"]')).to_have_text("50")
    assert re.search(r"month=2024-05", page.url)  # type: ignore[attr-defined]
    shot(page, "dashboard_overview_2024-05")


def test_a_shared_link_opens_the_same_view(fixture_url: str, page: object) -> None:
    visit(page, fixture_url, "ranking", month="2024-06", kind="member_unit")
    page.get_by_role("heading", name="排名通报 · 成员单位 · 2024年6月").wait_for()  # type: ignore[attr-defined]
    visit(page, fixture_url, "unit", month="2024-06", kind="member_unit", unit=fx.M2)
    page.get_by_role("heading", name="单位详情 · 区教育局 · 2024年6月").wait_for()  # type: ignore[attr-defined]
    settle(page)
    assert "unit=130506M02" in page.url  # type: ignore[attr-defined]


def test_download_an_issued_notice(fixture_url: str, page: object) -> None:
    visit(page, fixture_url, "ranking", month="2024-06")
    page.get_by_role("heading", name="已印发通报及修订").wait_for()  # type: ignore[attr-defined]
    settle(page)
    download = browser_download(page, COMMITTEE, "issued_html")
    saved = artifacts() / download.suggested_filename
    download.save_as(str(saved))
    assert saved.read_text(encoding="utf-8") == "<html><body>2024年5月 通报 第1版</body></html>"
    assert download.suggested_filename.endswith("notice.html")
    shot(page, "dashboard_ranking_notices")


@pytest.fixture(scope="module")
def demo_url(demo_home: Path) -> Iterator[str]:
    yield from served(demo_home)


@pytest.mark.e2e
@pytest.mark.parametrize(("path", "title"), [(p[0], p[1]) for p in PAGES], ids=[p[0] or "overview" for p in PAGES])
def test_demo_pages_in_the_browser(demo_url: str, page: object, path: str, title: str) -> None:
    visit(page, demo_url, path, month="2024-06")
    page.get_by_role("heading", name=title, exact=True).wait_for()  # type: ignore[attr-defined]
    settle(page)
    assert page.locator('[data-testid="stException"]').count() == 0  # type: ignore[attr-defined]
    shot(page, f"demo_{path or 'overview'}")


@pytest.mark.e2e
def test_demo_notice_download_from_the_preview(demo_url: str, page: object) -> None:
    visit(page, demo_url, "ranking", month="2023-11", kind="township")
    page.get_by_role("heading", name="排名通报 · 乡镇 · 2023年11月").wait_for()  # type: ignore[attr-defined]
    settle(page)
    download = browser_download(page, COMMITTEE, "download_xlsx")  # the draft
    saved = artifacts() / download.suggested_filename
    download.save_as(str(saved))
    assert download.suggested_filename == "反诈工作排名通报_2023-11_all.xlsx"
    assert saved.read_bytes()[:2] == b"PK"  # an XLSX is a zip
    from openpyxl import load_workbook

    cells = " ".join(str(c.value) for ws in load_workbook(saved).worksheets for row in ws.iter_rows() for c in row
                     if c.value is not None)
    assert "赵某" in cells and "井庄村" in cells
    shot(page, "demo_ranking_2023-11")
