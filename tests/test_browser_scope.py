"""Row scopes in a real browser: one Chromium, two contexts signed in at the same time as the township users of
贾宋镇 and 和阳镇. Each visits every page it may open, also with the other township's URL parameters, and
downloads every table and notice; the other township's villages and masked names never appear in page text,
the notice preview or any download.

Both users are created with `fanzha users add … --password-stdin` and sign in through the sign-in page
(用户名, 密码, 登录) of `fanzha dashboard`'s own server; the audit trail then holds each download and notice
export of each user, and no masked name.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from fanzha.access import audit
from fanzha.core.paths import DataHome
from fanzha.core.read_api import Reader
from fanzha.notice.data import load_notice_data
from fanzha.notice.issue import issue_data
from tests.fixtures import dashboard as fx
from tests.fixtures.browser import (
    CHROMIUM,
    CLICKS,
    TIMEOUT_MS,
    User,
    add_user,
    artifacts,
    download_text,
    open_as,
    page_text,
    serve,
)
from tests.fixtures.browser import download as browser_download

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="system Chromium not installed at /usr/bin/chromium "
                                                      "(apt-get install chromium fonts-noto-cjk)"),
]

HEYANG = User("heyang", "unit", (fx.T1,))
JIASONG = User("jiasong", "unit", (fx.T2,))
OTHER = {HEYANG: JIASONG, JIASONG: HEYANG}
# The fixture's detail of each township (tests/fixtures/dashboard.py): villages and masked names.
DETAIL = {HEYANG: ("和阳村", "孙某", "钱某", "李某"), JIASONG: ("井庄村", "赵某")}
VISITS = (("", {}), ("ranking", {"kind": "township"}), ("unit", {"kind": "township"}), ("leads", {}),
          ("cases", {"period": "Y0+Y1"}))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    home = tmp_path_factory.mktemp("browser_scope_home")
    fx.build(home / "warehouse.duckdb")
    with Reader(DataHome(home)) as reader:  # an issued revision holding both townships' interceptions
        issue_data(DataHome(home), load_notice_data(reader, fx.MONTH, "all", fx.DISTRICT))
    for user in (HEYANG, JIASONG):
        add_user(home, user)
    with serve(home) as url:
        yield url, home


def assert_clean(text: str, user: User, where: str) -> None:
    leaked = [word for word in DETAIL[OTHER[user]] if word in text]
    assert not leaked, f"{user.name} sees {leaked} in {where}"


def download(page: object, user: User, key: str) -> Path:
    """Download with widget key `key` (tests/fixtures/browser.py) and save the file under the user's name."""
    got = browser_download(page, user, key)
    saved = artifacts() / f"scope_{user.name}_{got.suggested_filename}"
    got.save_as(str(saved))
    return saved


def test_two_township_users_at_once_never_see_each_others_detail(site: tuple[str, Path], browser: object) -> None:
    url, home = site
    contexts = {u: browser.new_context(viewport={"width": 1400, "height": 2400}, locale="zh-CN",  # type: ignore[attr-defined]
                                       accept_downloads=True) for u in (JIASONG, HEYANG)}
    pages = {u: c.new_page() for u, c in contexts.items()}
    for p in pages.values():
        p.set_default_timeout(TIMEOUT_MS)
    seen: dict[User, list[str]] = {u: [] for u in pages}
    try:
        for path, params in VISITS:
            for user, page in pages.items():  # both sessions open at once, visits interleaved
                other_unit = OTHER[user].units[0]
                for extra in ({}, {"township": other_unit, "unit": other_unit}):
                    open_as(page, url, path, user, month="2024-06", **params, **extra)
                    text = page_text(page)
                    assert_clean(text, user, f"/{path} {extra}")
                    assert "本账号无权查看" not in text and "请先登录" not in text
                    seen[user].append(text)
                page.screenshot(path=str(artifacts() / f"scope_{user.name}_{path or 'overview'}.png"), full_page=True)
            nav = pages[JIASONG].locator('[data-testid="stSidebarNav"]').inner_text()
            assert "数据质量" not in nav and "单位详情" in nav

        downloads: dict[User, list[Path]] = {u: [] for u in pages}
        for user, page in pages.items():
            open_as(page, url, "ranking", user, month="2024-06", kind="township")
            for key in ("download_ranking", "download_xlsx", "download_docx", "download_html"):
                downloads[user].append(download(page, user, key))  # the table and the draft notice
            for key in ("issued_xlsx", "issued_docx", "issued_html"):
                downloads[user].append(download(page, user, key))  # the issued revision
            open_as(page, url, "unit", user, month="2024-06", kind="township")
            downloads[user].append(download(page, user, "download_villages"))  # villages
            open_as(page, url, "cases", user, month="2024-06", period="Y0+Y1")
            downloads[user].append(download(page, user, "download_victims"))  # post-warning and repeat victims
        open_as(pages[JIASONG], url, "leads", JIASONG, month="2024-06")
        downloads[JIASONG].append(download(pages[JIASONG], JIASONG, "download_overdue"))  # overdue leads (和阳镇 has none)

        for user, files in downloads.items():
            own = DETAIL[user][0]
            texts = {f.name: download_text(f) for f in files}
            for name, text in texts.items():
                assert_clean(text, user, name)
            with_own = sorted(name for name, text in texts.items() if own in text)
            assert len(with_own) >= 6, (user.name, with_own)  # notices (draft and issued), villages, victims
            assert own in "\n".join(seen[user])
    finally:
        for context in contexts.values():
            context.close()

    records = [r for r in audit.records(DataHome(home)) if r.user in ("jiasong", "heyang")]
    exports = {(r.user, r.action) for r in records}
    assert {("jiasong", "download"), ("jiasong", "notice_export"), ("heyang", "download"),
            ("heyang", "notice_export")} <= exports
    saved = [r for r in records if r.user == "jiasong" and r.action in ("download", "notice_export")]
    # every download recorded; a click retried because its file never came (tests/fixtures/browser.py) is
    # recorded too, as the click it was
    assert len(downloads[JIASONG]) <= len(saved) <= CLICKS["jiasong"], (len(saved), CLICKS)
    assert {r.user for r in records if r.action == "page_view"} == {"jiasong", "heyang"}
    written = json.dumps([r.detail for r in records], ensure_ascii=False)
    assert not any(word in written for word in ("赵某", "孙某", "钱某", "李某"))


def test_the_quality_page_is_not_reachable_by_a_township_user(site: tuple[str, Path], browser: object) -> None:
    url, _home = site
    context = browser.new_context(locale="zh-CN")  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        open_as(page, url, "quality", JIASONG, month="2024-06")
        text = page_text(page)
        assert "隔离数据" not in text and "最近一次发布" not in text
        assert page.locator("h1").first.inner_text() != "数据质量"
    finally:
        context.close()
