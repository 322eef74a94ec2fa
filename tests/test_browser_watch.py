"""The 待办与超时 page in a real browser (headless system Chromium, Playwright, against `streamlit run`), signed
in: the committee's view, and a township account that sees only its own leads, on the hand-written watch
marts of tests/fixtures/watch.py; and the page on the demo. Screenshots go to test-artifacts/ (git-ignored)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fixtures import dashboard as fx
from tests.fixtures import watch
from tests.fixtures.browser import (
    CHROMIUM,
    User,
    add_users,
    open_as,
    serve,
    settle,
)

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
COMMITTEE = User("zfw", "committee", ())
HEYANG = User("hy", "unit", (fx.T1,))

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="system Chromium not installed at /usr/bin/chromium "
                                                      "(apt-get install chromium fonts-noto-cjk)"),
]


def served(home: Path, users: list[User]) -> Iterator[str]:
    add_users(home, users)
    with serve(home) as url:
        yield url


@pytest.fixture(scope="module")
def watch_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("browser_watch_home")
    watch.build(home / "warehouse.duckdb")
    yield from served(home, [COMMITTEE, HEYANG])


def shot(page: object, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


def metric_value(page: object, label: str) -> object:
    card = page.locator('[data-testid="stMetric"]').filter(has_text=label).first  # type: ignore[attr-defined]
    return card.locator('[data-testid="stMetricValue"]')


def test_the_committee_sees_counts_and_the_overdue_list(watch_site: str, page: object) -> None:
    from playwright.sync_api import expect

    url = watch_site
    open_as(page, url, "watch", COMMITTEE)
    page.get_by_role("heading", name="待办与超时 · 南和区", exact=True).wait_for()  # type: ignore[attr-defined]
    settle(page)
    expect(metric_value(page, "未完结线索（条）")).to_have_text("3")
    expect(metric_value(page, "超时线索（条）")).to_have_text("2")
    assert page.get_by_text("超时线索清单（2 条，超时最久的在前）").is_visible()  # type: ignore[attr-defined]
    assert page.locator('[data-testid="stException"]').count() == 0  # type: ignore[attr-defined]
    assert "viewer=committee" in page.url  # type: ignore[attr-defined]
    page.locator('[data-testid="stVegaLiteChart"]').first.wait_for()  # type: ignore[attr-defined]
    shot(page, "dashboard_watch_committee")


def test_a_township_account_sees_only_its_own_leads(watch_site: str, page: object) -> None:
    from playwright.sync_api import expect

    url = watch_site
    open_as(page, url, "watch", HEYANG)
    page.get_by_role("heading", name="待办与超时 · 和阳镇", exact=True).wait_for()  # type: ignore[attr-defined]
    settle(page)
    expect(metric_value(page, "未完结线索（条）")).to_have_text("2")
    expect(metric_value(page, "其中超时（条）")).to_have_text("1")
    assert page.get_by_text("和阳镇的待办线索（最紧急的在前）").is_visible()  # type: ignore[attr-defined]
    assert page.get_by_text("赵某").count() == 0  # type: ignore[attr-defined]  (贾宋镇's lead)
    assert page.locator('[data-testid="stException"]').count() == 0  # type: ignore[attr-defined]
    shot(page, "dashboard_watch_township")


@pytest.fixture(scope="module")
def demo_site(demo_home: Path) -> Iterator[str]:
    yield from served(demo_home, [COMMITTEE])


@pytest.mark.e2e
def test_the_demo_watch_page(demo_site: str, page: object) -> None:
    url = demo_site
    open_as(page, url, "watch", COMMITTEE)
    page.get_by_role("heading", name="待办与超时 · 南和区", exact=True).wait_for()  # type: ignore[attr-defined]
    settle(page)
    assert page.get_by_text("数据截至 2024年06月30日", exact=False).first.is_visible()  # type: ignore[attr-defined]
    assert page.locator('[data-testid="stException"]').count() == 0  # type: ignore[attr-defined]
    shot(page, "demo_watch")
