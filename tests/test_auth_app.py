"""AppTest of the sign-in: nothing of the warehouse before it, one message for a wrong name or password, the
lockout, the 8-hour idle limit, 退出登录, disabled accounts, the OIDC grant lookup, and the audit of each page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from fanzha.access import audit
from fanzha.access.grants import Grant
from fanzha.access.users import UserStore
from fanzha.core.paths import DataHome
from fanzha.core.read_api import Reader
from tests.fixtures import dashboard as fx

APP = Path(__file__).resolve().parent.parent / "dashboards" / "app.py"
TITLE = "南和区反诈“4+1”预警劝阻看板"
PASSWORD = "correct-horse-1"
BAD = "用户名或密码错误。"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("auth_home")
    fx.build(root / "warehouse.duckdb")
    store = UserStore.for_home(DataHome(root))
    store.add("office", "committee", (), password=PASSWORD)
    store.add("analyst1", "analyst", (), password=PASSWORD)
    store.add("jiasong", "unit", (fx.T2,), password=PASSWORD)
    store.add("gone", "unit", (fx.T1,), password=PASSWORD)
    store.disable("gone")
    store.add("sso-office", "committee", (), oidc_subject="u-1001")
    return root


@pytest.fixture
def warehouse_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every touch of the published warehouse through the read API, by method name."""
    calls: list[str] = []
    for name in ("available", "query", "fingerprint"):
        original = getattr(Reader, name)

        def spy(self: Reader, *args: object, _name: str = name, _original: object = original, **kw: object) -> object:
            calls.append(_name)
            return _original(self, *args, **kw)  # type: ignore[operator]

        monkeypatch.setattr(Reader, name, spy)
    return calls


def app(home: Path, monkeypatch: pytest.MonkeyPatch, **params: str) -> AppTest:
    monkeypatch.setenv("FANZHA_HOME", str(home))
    at = AppTest.from_file(str(APP), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def sign_in(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input[0].input(name)
    at.text_input[1].input(password)
    return at.button[0].click().run()


def on_sign_in_page(at: AppTest) -> bool:
    return ([t.value for t in at.title] == [TITLE] and [t.label for t in at.text_input] == ["用户名", "密码"]
            and [b.label for b in at.button] == ["登录"])


def trail(home: Path, user: str | None = None) -> list[audit.Record]:
    return audit.records(DataHome(home), user=user)


def test_anonymous_sees_only_the_sign_in_page(home: Path, monkeypatch: pytest.MonkeyPatch,
                                              warehouse_reads: list[str]) -> None:
    at = app(home, monkeypatch, month="2024-06")
    assert not at.exception
    assert on_sign_in_page(at)
    assert len(at.metric) == 0 and len(at.dataframe) == 0 and len(at.sidebar.button) == 0
    assert warehouse_reads == []  # not a single query before sign-in
    assert "fanzha_grant" not in at.session_state


def test_a_wrong_password_and_an_unknown_name_get_the_same_message(home: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   warehouse_reads: list[str]) -> None:
    at = app(home, monkeypatch)
    sign_in(at, "analyst1", "wrong-password")
    assert [e.value for e in at.error] == [BAD]
    sign_in(at, "no-such-user", PASSWORD)
    assert [e.value for e in at.error] == [BAD]
    assert on_sign_in_page(at) and warehouse_reads == []
    last_two = trail(home)[-2:]
    assert [(r.user, r.action, r.detail["reason"]) for r in last_two] == [
        ("analyst1", "signin_fail", "bad_credentials"), ("(unknown)", "signin_fail", "bad_credentials")]


def test_five_failures_lock_the_account(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    UserStore.for_home(DataHome(home)).add("locky", "analyst", (), password=PASSWORD)
    at = app(home, monkeypatch)
    for _ in range(4):
        assert [e.value for e in sign_in(at, "locky", "wrong-password").error] == [BAD]
    fifth = sign_in(at, "locky", "wrong-password").error[0].value
    assert fifth.startswith("连续登录失败次数过多，账户已锁定15分钟")
    assert sign_in(at, "locky", PASSWORD).error[0].value.startswith("连续登录失败次数过多")  # right password: no
    assert on_sign_in_page(at)
    fresh = app(home, monkeypatch)  # another browser: the lock is in the users store, not the session
    assert sign_in(fresh, "locky", PASSWORD).error[0].value.startswith("连续登录失败次数过多")
    actions = [(r.action, r.detail.get("refused")) for r in trail(home, "locky")]
    assert actions == [("signin_fail", None)] * 4 + [("signin_locked", False), ("signin_locked", True),
                                                     ("signin_locked", True)]


def test_a_disabled_account_cannot_sign_in(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = sign_in(app(home, monkeypatch), "gone", PASSWORD)
    assert [e.value for e in at.error] == ["该账户已停用，请联系系统管理员。"]
    assert on_sign_in_page(at)


def test_signing_in_shows_the_pages_with_the_name_and_role(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = sign_in(app(home, monkeypatch, month="2024-05"), "office", PASSWORD)
    assert not at.exception
    assert [t.value for t in at.title] == ["总览 · 南和区 · 2024年5月"]  # the link's filters survive sign-in
    assert at.session_state["fanzha_grant"] == Grant("office", "committee", ())
    assert "**office** · 政法委" in [m.value for m in at.sidebar.markdown]
    assert [b.label for b in at.sidebar.button] == ["退出登录"]
    assert at.metric[0].label == "预警线索（条）"
    at.switch_page("views/audit.py").run()  # committee users have 审计日志
    assert [t.value for t in at.title] == ["审计日志"]
    assert at.success[0].value.startswith("审计链完整：共 ")


def test_the_audit_page_is_for_committee_users_only(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = sign_in(app(home, monkeypatch), "analyst1", PASSWORD)
    assert [t.value for t in at.title] == ["总览 · 南和区 · 2024年6月"]
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("views/audit.py")


def test_each_page_render_is_audited_with_its_filters(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = sign_in(app(home, monkeypatch, month="2024-06"), "jiasong", PASSWORD)
    at.switch_page("views/ranking.py").run()
    at.run()  # the same page and filters again: not a new view
    views = [(r.detail["page"], r.detail["filters"].get("month")) for r in trail(home, "jiasong")
             if r.action == "page_view"]
    assert views[-2:] == [("overview", "2024-06"), ("ranking", "2024-06")]
    assert audit.verify(DataHome(home)).ok


def test_the_session_ends_after_8_hours_idle(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = sign_in(app(home, monkeypatch), "analyst1", PASSWORD)
    at.session_state["fanzha_seen_at"] = datetime.now(UTC) - timedelta(hours=7, minutes=59)
    at.run()
    assert [t.value for t in at.title] == ["总览 · 南和区 · 2024年6月"]  # still in
    at.session_state["fanzha_seen_at"] = datetime.now(UTC) - timedelta(hours=8, minutes=1)
    at.run()
    assert on_sign_in_page(at)
    assert [e.value for e in at.error] == ["您已超过8小时未操作，登录已失效，请重新登录。"]
    assert "fanzha_grant" not in at.session_state
    last = trail(home, "analyst1")[-1]
    assert (last.action, last.detail["reason"]) == ("signout", "idle")


def test_sign_out_forgets_everything(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = sign_in(app(home, monkeypatch), "analyst1", PASSWORD)
    at.sidebar.button[0].click().run()
    assert on_sign_in_page(at)
    assert "fanzha_grant" not in at.session_state and "filters" not in at.session_state
    last = trail(home, "analyst1")[-1]
    assert (last.action, last.detail["reason"]) == ("signout", "user")


def test_disabling_an_account_ends_its_open_sessions(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = UserStore.for_home(DataHome(home))
    store.add("shortlived", "analyst", (), password=PASSWORD)
    at = sign_in(app(home, monkeypatch), "shortlived", PASSWORD)
    assert at.session_state["fanzha_grant"] == Grant("shortlived", "analyst", ())
    store.disable("shortlived")
    at.run()
    assert on_sign_in_page(at)
    assert [e.value for e in at.error] == ["您的账户已被停用或权限已变更，请重新登录。"]


OIDC_SECRETS = {"auth": {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "x" * 32,
                         "client_id": "fanzha", "client_secret": "s",
                         "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}}


def test_an_oidc_user_gets_the_grant_of_the_linked_account(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FANZHA_HOME", str(home))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.secrets = OIDC_SECRETS
    at.user = {"is_logged_in": True, "sub": "u-1001", "iat": datetime.now(UTC).timestamp()}
    at.run()
    assert not at.exception
    assert at.session_state["fanzha_grant"] == Grant("sso-office", "committee", ())
    assert [t.value for t in at.title] == ["总览 · 南和区 · 2024年6月"]
    assert trail(home, "sso-office")[-2].detail == {"method": "oidc"}


def test_an_oidc_user_without_an_account_sees_no_access(home: Path, monkeypatch: pytest.MonkeyPatch,
                                                        warehouse_reads: list[str]) -> None:
    monkeypatch.setenv("FANZHA_HOME", str(home))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.secrets = OIDC_SECRETS
    at.user = {"is_logged_in": True, "sub": "u-stranger", "iat": datetime.now(UTC).timestamp()}
    at.run()
    assert [e.value for e in at.error] == [
        "您已通过统一身份认证，但尚未获得本看板的访问权限。请联系区委政法委系统管理员开通账户。"]
    assert [b.label for b in at.button] == ["退出登录"]
    assert "fanzha_grant" not in at.session_state and warehouse_reads == []


def test_the_sign_in_page_offers_single_sign_on_when_configured(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FANZHA_HOME", str(home))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.secrets = OIDC_SECRETS
    at.run()
    assert [b.label for b in at.button] == ["登录", "使用统一身份认证登录"]
