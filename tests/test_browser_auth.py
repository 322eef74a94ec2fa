"""Sign-in in a real browser (Playwright, system Chromium, `streamlit run` on 127.0.0.1): an anonymous browser sees
only the sign-in page on every URL; five wrong passwords lock the account; every visit lands in the audit trail;
single sign-on through a real OpenID Connect provider (oidc-provider-mock) on 127.0.0.1 with Streamlit's st.login.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from fanzha import dashboard_command
from fanzha.access import audit
from fanzha.access.users import UserStore
from fanzha.core.paths import DataHome
from tests.fixtures import dashboard as fx
from tests.fixtures.browser import (
    CHROMIUM,
    TIMEOUT_MS,
    User,
    add_users,
    free_port,
    settle,
    shot,
    submit_sign_in,
)
from tests.fixtures.cli import run_fanzha

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="system Chromium not installed at /usr/bin/chromium "
                                                      "(apt-get install chromium fonts-noto-cjk)"),
]

PASSWORD = "browser-pass-123"
PAGES = ("", "ranking", "unit", "leads", "cases", "quality", "audit")
WAREHOUSE_TEXT = ("和阳镇", "贾宋镇", "井庄村", "和阳村", "区教育局", "区公安分局", "预警线索", "排名通报")
LOCKED = "连续登录失败次数过多，账户已锁定15分钟"


def start(home: Path, port: int) -> Iterator[str]:
    proc = dashboard_command.start(home, port, "127.0.0.1", quiet=True)
    try:
        dashboard_command.wait_ready(proc, "127.0.0.1", port)
        yield f"http://127.0.0.1:{port}"
    finally:
        dashboard_command.stop(proc)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("browser_auth_home")
    fx.build(root / "warehouse.duckdb")
    store = UserStore.for_home(DataHome(root))
    store.add("visitor", "committee", (), password=PASSWORD)
    store.add("locky", "analyst", (), password=PASSWORD)
    return root


@pytest.fixture(scope="module")
def url(home: Path) -> Iterator[str]:
    yield from start(home, free_port())


def wait_for_records(home: Path, user: str, count: int) -> None:
    """Until the server has handled the attempt: its audit record is the sign of it (polled, no fixed sleep)."""
    import time

    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while len(audit.records(DataHome(home), user=user)) < count:
        assert time.monotonic() < deadline, f"no audit record {count} for {user}"
        time.sleep(0.1)


def wait_attempt_handled(page: object, home: Path, user: str, count: int) -> None:
    """Until the attempt's audit record is written and its re-render has reached the browser. The sign-in
    callback empties the password field, so an empty field is the sign of the re-render: typing into the
    form before it arrives would be overwritten, and the next 登录 would send an empty password."""
    from playwright.sync_api import expect

    wait_for_records(home, user, count)
    expect(page.get_by_label("密码")).to_have_value("", timeout=TIMEOUT_MS)  # type: ignore[attr-defined]
    settle(page)


def wait_sign_in_page(page: object) -> None:
    page.get_by_role("button", name="登录", exact=True).wait_for()  # type: ignore[attr-defined]
    page.get_by_label("用户名").wait_for()  # type: ignore[attr-defined]
    page.get_by_label("密码").wait_for()  # type: ignore[attr-defined]
    settle(page)


def test_an_anonymous_browser_sees_only_the_sign_in_page(url: str, page: object) -> None:
    for path in PAGES:
        page.goto(f"{url}/{path}?month=2024-06&unit={fx.T1}")  # type: ignore[attr-defined]
        wait_sign_in_page(page)
        text = page.locator("body").inner_text()  # type: ignore[attr-defined]
        assert "登录" in text
        assert [word for word in WAREHOUSE_TEXT if word in text] == [], path
        assert page.locator('[data-testid="stSidebarNav"]').count() == 0  # type: ignore[attr-defined]
        assert page.locator('[data-testid="stMetric"]').count() == 0  # type: ignore[attr-defined]
    shot(page, "auth_sign_in")


def test_five_wrong_passwords_lock_the_account(url: str, page: object, home: Path) -> None:
    page.goto(url)  # type: ignore[attr-defined]
    wait_sign_in_page(page)
    for attempt in range(1, 6):
        submit_sign_in(page, "locky", "wrong-password")
        wait_attempt_handled(page, home, "locky", attempt)
        error = page.locator('[data-testid="stAlertContentError"]').inner_text()  # type: ignore[attr-defined]
        assert (LOCKED in error) == (attempt == 5), (attempt, error)
        if attempt < 5:
            assert error == "用户名或密码错误。"
    submit_sign_in(page, "locky", PASSWORD)
    wait_attempt_handled(page, home, "locky", 6)
    assert LOCKED in page.locator('[data-testid="stAlertContentError"]').inner_text()  # type: ignore[attr-defined]
    assert page.get_by_role("button", name="退出登录").count() == 0  # type: ignore[attr-defined]
    shot(page, "auth_locked")
    actions = [r.action for r in audit.records(DataHome(home), user="locky")]
    assert actions == ["signin_fail"] * 4 + ["signin_locked", "signin_locked"]


def test_the_audit_holds_each_visit(url: str, page: object, home: Path) -> None:
    page.goto(f"{url}/?month=2024-06")  # type: ignore[attr-defined]
    wait_sign_in_page(page)
    submit_sign_in(page, "visitor", PASSWORD)
    page.get_by_role("heading", name="总览 · 南和区 · 2024年6月").wait_for()  # type: ignore[attr-defined]
    settle(page)
    titles = {"ranking": "排名通报", "unit": "单位详情", "leads": "预警处置", "cases": "案件分析",
              "quality": "数据质量", "audit": "审计日志"}
    for path, title in titles.items():
        page.locator('[data-testid="stSidebarNavLink"]').filter(has_text=title).click()  # type: ignore[attr-defined]
        page.locator("h1").filter(has_text=title).first.wait_for()  # type: ignore[attr-defined]
        settle(page)
        assert page.url.split("?")[0].endswith(f"/{path}")  # type: ignore[attr-defined]
    assert page.get_by_text("审计链完整").count() == 1  # type: ignore[attr-defined]
    shot(page, "auth_audit_page")
    page.goto(f"{url}/unit?month=2024-05&kind=township&unit={fx.T2}")  # type: ignore[attr-defined]  (new session)
    wait_sign_in_page(page)
    submit_sign_in(page, "visitor", PASSWORD)
    page.get_by_role("heading", name="单位详情 · 贾宋镇 · 2024年5月").wait_for()  # type: ignore[attr-defined]
    settle(page)

    records = audit.records(DataHome(home), user="visitor")
    views = [(r.detail["page"], r.detail["filters"].get("month")) for r in records if r.action == "page_view"]
    # the 审计日志 page draws no month filter, so its URL carries none
    assert views == [("overview", "2024-06"), *[(p, "2024-06") for p in titles if p != "audit"], ("audit", None),
                     ("unit", "2024-05")]
    assert [r.action for r in records].count("signin_ok") == 2
    assert records[-1].detail["filters"]["unit"] == fx.T2
    verified = run_fanzha(home, "audit", "--verify")
    assert verified.stdout.startswith("audit trail intact:")


# -- single sign-on through a real OpenID Connect provider ----------------------------------------------

@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """oidc-provider-mock (a real OIDC provider: discovery, authorize form, token and JWKS endpoints)."""
    import oidc_provider_mock
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, oidc_provider_mock.app(require_nonce=True), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def sso_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("browser_sso_home")
    fx.build(root / "warehouse.duckdb")
    UserStore.for_home(DataHome(root)).add("sso-jiasong", "unit", (fx.T2,), oidc_subject="u-2001")
    return root


@pytest.fixture(scope="module")
def sso_url(sso_home: Path, provider: str) -> Iterator[str]:
    root, port = sso_home, free_port()
    (root / "secrets").mkdir()
    (root / "secrets" / "streamlit.toml").write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "a-test-cookie-secret-of-at-least-32-bytes"\n'
        'client_id = "fanzha-dashboard"\n'
        'client_secret = "test-client-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n', encoding="utf-8")
    yield from start(root, port)


def authorize(page: object, url: str, subject: str) -> None:
    page.goto(url)  # type: ignore[attr-defined]
    page.get_by_role("button", name="使用统一身份认证登录").click()  # type: ignore[attr-defined]
    page.get_by_placeholder("sub").fill(subject)  # type: ignore[attr-defined]  (the provider's own form)
    page.get_by_role("button", name="Authorize").click()  # type: ignore[attr-defined]


def test_single_sign_on_takes_the_grant_from_fanzhas_users_store(sso_url: str, sso_home: Path, page: object) -> None:
    authorize(page, sso_url, "u-2001")
    # a township's user lands on its own township's overview (the scope decides, tests/test_access_pages.py)
    page.get_by_role("heading", name="总览 · 贾宋镇 · 2024年6月").wait_for()  # type: ignore[attr-defined]
    settle(page)
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()  # type: ignore[attr-defined]
    assert "sso-jiasong · 乡镇/成员单位" in sidebar and "范围：贾宋镇" in sidebar
    shot(page, "auth_sso_signed_in")
    page.reload()  # type: ignore[attr-defined]  (Streamlit's identity cookie keeps an SSO sign-in)
    page.get_by_role("heading", name="总览 · 贾宋镇 · 2024年6月").wait_for()  # type: ignore[attr-defined]
    settle(page)
    page.locator('[data-testid="stSidebar"]').get_by_role("button", name="退出登录").click()  # type: ignore[attr-defined]
    page.get_by_role("button", name="End session").click()  # type: ignore[attr-defined]  (the provider's logout)
    wait_sign_in_page(page)
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0  # type: ignore[attr-defined]
    trail = [(r.action, r.detail.get("method"), r.detail.get("page")) for r in
             audit.records(DataHome(sso_home), user="sso-jiasong")]
    assert trail == [("signin_ok", "oidc", None), ("page_view", None, "overview"),  # sign-in, then the reload:
                     ("signin_ok", "oidc", None), ("page_view", None, "overview"),  # a new session from the cookie
                     ("signout", "oidc", None)]


def test_single_sign_on_without_an_account_gets_no_access(sso_url: str, page: object) -> None:
    authorize(page, sso_url, "u-stranger")
    page.get_by_text("尚未获得本看板的访问权限").wait_for()  # type: ignore[attr-defined]
    settle(page)
    text = page.locator("body").inner_text()  # type: ignore[attr-defined]
    assert [word for word in WAREHOUSE_TEXT if word in text] == []
    shot(page, "auth_sso_no_access")


# -- on the demo ---------------------------------------------------------------------------------------

@pytest.mark.e2e
def test_the_demo_audit_verifies_after_visits_and_breaks_when_edited(demo_home: Path, page: object,
                                                                     tmp_path: Path) -> None:
    import shutil
    import sqlite3

    visitor = User("browser-test", "committee", ())
    add_users(demo_home, [visitor])  # the demo home is shared: an existing account gets the password again
    server = start(demo_home, free_port())
    url = next(server)
    try:
        for path, title in (("", "总览 · 南和区 · 2023年11月"), ("ranking", "排名通报 · 乡镇 · 2023年11月")):
            page.goto(f"{url}/{path}?month=2023-11")  # type: ignore[attr-defined]
            wait_sign_in_page(page)
            submit_sign_in(page, visitor.name, visitor.password)
            page.get_by_role("heading", name=title).wait_for()  # type: ignore[attr-defined]
            settle(page)
    finally:
        server.close()  # stops the dashboard server
    views = [r.detail for r in audit.records(DataHome(demo_home), user=visitor.name) if r.action == "page_view"]
    assert views[-2:] == [{"page": "overview", "filters": {"month": "2023-11", "township": ""}},
                          {"page": "ranking", "filters": {"kind": "township", "month": "2023-11"}}]
    assert run_fanzha(demo_home, "audit", "--verify").stdout.startswith("audit trail intact:")

    copy = tmp_path / "copy"  # the demo home is shared: edit a copy of its audit trail
    shutil.copytree(demo_home / "access", copy / "access")
    con = sqlite3.connect(copy / "access" / "audit.sqlite")
    seq = con.execute("select max(seq) from audit where action = 'page_view'").fetchone()[0]
    con.executescript("drop trigger audit_no_update;"
                      f"update audit set detail = '{{\"page\":\"quality\"}}' where seq = {seq};")
    con.close()
    broken = run_fanzha(copy, "audit", "--verify", check=False)
    assert broken.returncode == 1
    assert f"audit trail broken at record {seq}: record {seq} (" in broken.stderr
