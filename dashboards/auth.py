"""Sign-in for the dashboard: nothing of the warehouse is read before it.

Local accounts (`fanzha users …`) sign in with 用户名 and 密码. When the deployment configures an OpenID Connect
provider (Streamlit's `[auth]` secrets), a second button signs in through it with Streamlit's own `st.login`;
the person's role and units still come from fanzha's users store, looked up by the provider's subject.

The signed-in `Grant` lives in `st.session_state["fanzha_grant"]`. A sign-in ends after 8 hours without
interaction, on 退出登录, or at the next interaction after its account is disabled. A local sign-in lasts as
long as the browser tab's connection: reloading asks again (and brings the user back to the same page and
filters after signing in). An OIDC sign-in is kept by Streamlit's identity cookie; its 8-hour idle limit is
measured from the later of the provider's sign-in time and the account's last activity.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import streamlit as st

from dashboards import audit_hooks
from dashboards.scope import grant_or_none
from fanzha.access import sessions, units
from fanzha.access.grants import ROLE_LABELS, Grant
from fanzha.access.users import UserStore
from fanzha.core.paths import data_home

GRANT = "fanzha_grant"
SEEN = "fanzha_seen_at"  # datetime (UTC) of the session's last interaction
METHOD = "fanzha_auth_method"  # "local" or "oidc"; absent for a grant put there by a test harness
NOTICE = "fanzha_signin_notice"  # a message for the sign-in page (session ended)
STORE_TOUCHED = "fanzha_store_seen_at"
TITLE = "南和区反诈“4+1”预警劝阻看板"
BAD_CREDENTIALS = "用户名或密码错误。"
DISABLED = "该账户已停用，请联系系统管理员。"
NO_ACCESS = "您已通过统一身份认证，但尚未获得本看板的访问权限。请联系区委政法委系统管理员开通账户。"
IDLE_NOTICE = "您已超过8小时未操作，登录已失效，请重新登录。"
REVOKED_NOTICE = "您的账户已被停用或权限已变更，请重新登录。"


def now() -> datetime:
    """The clock (tests replace it)."""
    return datetime.now(UTC)


def store() -> UserStore:
    return UserStore.for_home(data_home(), clock=now)


def locked_message(until: datetime | None) -> str:
    when = f"，请于 {until.astimezone():%H:%M} 后再试" if until else "，请15分钟后再试"
    return f"连续登录失败次数过多，账户已锁定15分钟{when}。"


# -- OpenID Connect ------------------------------------------------------------------------------------

def oidc_provider() -> str | None:
    """'' for the default provider, a provider name, or None when no provider is configured."""
    try:
        if not st.secrets.load_if_toml_exists():
            return None
        section = st.secrets.get("auth")
    except Exception:  # noqa: BLE001 - unreadable secrets: no single sign-on, local accounts still work
        return None
    if not section:
        return None
    if "client_id" in section:
        return ""
    named = [key for key, value in section.items() if hasattr(value, "keys") and "client_id" in value]
    return named[0] if named else None


def _oidc_logged_in() -> bool:
    try:
        return bool(st.user.is_logged_in)
    except Exception:  # noqa: BLE001 - no auth configured in this runtime
        return False


def _oidc_signed_in_at() -> datetime | None:
    iat = st.user.get("iat")
    return datetime.fromtimestamp(float(iat), UTC) if isinstance(iat, int | float) else None


def _oidc_grant() -> Grant | None:
    """The grant of the person signed in at the identity provider; stops with a message when they have none."""
    subject = str(st.user.get("sub") or "")
    grant = store().grant_for_subject(subject) if subject else None
    if grant is None:
        if not st.session_state.get("fanzha_no_access_logged"):
            st.session_state["fanzha_no_access_logged"] = True
            audit_hooks.record_as("(oidc)", "signin_fail", method="oidc", reason="no_grant")
        st.title(TITLE)
        st.error(NO_ACCESS)
        if st.button("退出登录"):
            st.logout()
        st.stop()
    last = max((t for t in (_oidc_signed_in_at(), store().last_seen(grant.user)) if t), default=None)
    if sessions.expired(last, now()):
        audit_hooks.record_as(grant.user, "signout", reason="idle", method="oidc")
        st.logout()
        st.stop()
    return grant


# -- the session ---------------------------------------------------------------------------------------

def _start(grant: Grant, method: str) -> None:
    for key in list(st.session_state.keys()):  # nothing of an earlier user's filters or state stays
        del st.session_state[key]
    st.session_state[GRANT] = grant
    st.session_state[METHOD] = method
    st.session_state[SEEN] = now()


def end_session(reason: str, notice: str | None = None) -> None:
    """Forget the grant and every other bit of session state; record why."""
    grant = st.session_state.get(GRANT)
    method = st.session_state.get(METHOD)
    if grant is not None:
        audit_hooks.record_as(grant.user, "signout", reason=reason, method=method or "session")
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    if notice:
        st.session_state[NOTICE] = notice
    if method == "oidc":
        st.logout()


def _touch_store(grant: Grant) -> None:
    """Keep the account's last activity (throttled to once a minute): the OIDC idle limit needs it."""
    stamp = st.session_state.get(STORE_TOUCHED)
    moment = now()
    if stamp is None or (moment - stamp).total_seconds() >= 60:
        store().mark_seen(grant.user)
        st.session_state[STORE_TOUCHED] = moment


def current() -> Grant | None:
    """The grant of this session after the idle and revocation checks, or None."""
    grant = grant_or_none()
    if grant is None and GRANT in st.session_state:  # not a Grant of a known role: default deny, sign in again
        del st.session_state[GRANT]
    if grant is not None:
        if sessions.expired(st.session_state.get(SEEN), now()):
            end_session("idle", IDLE_NOTICE)
            return None
        if st.session_state.get(METHOD) and store().grant_for(grant.user) != grant:
            end_session("revoked", REVOKED_NOTICE)
            return None
        st.session_state[SEEN] = now()
        if st.session_state.get(METHOD):
            _touch_store(grant)
        return grant
    if oidc_provider() is not None and _oidc_logged_in():
        grant = _oidc_grant()
        if grant is not None:
            _start(grant, "oidc")
            store().mark_seen(grant.user, signed_in=True)
            audit_hooks.record("signin_ok", method="oidc")
        return grant
    return None


def _attempt(name: str, password: str) -> None:
    name = name.strip()
    if not name or not password:
        st.session_state[NOTICE] = BAD_CREDENTIALS
        return
    result = store().authenticate(name, password)
    who = name if result.known else "(unknown)"  # a name that is no account may be a mistyped password
    if result.outcome == "ok" and result.grant is not None:
        _start(result.grant, "local")
        audit_hooks.record("signin_ok", method="local")
        return
    if result.outcome in ("locked", "locked_now"):
        audit_hooks.record_as(who, "signin_locked", method="local", failures=result.failures,
                              until=result.locked_until.isoformat(timespec="seconds") if result.locked_until else None,
                              refused=result.outcome == "locked")
        st.session_state[NOTICE] = locked_message(result.locked_until)
    elif result.outcome == "disabled":
        audit_hooks.record_as(who, "signin_fail", method="local", reason="disabled")
        st.session_state[NOTICE] = DISABLED
    else:
        audit_hooks.record_as(who, "signin_fail", method="local", reason="bad_credentials",
                              failures=result.failures)
        st.session_state[NOTICE] = BAD_CREDENTIALS


def _on_submit() -> None:
    """The form's callback: runs before the script, so a successful sign-in shows the pages in the same run."""
    name = st.session_state.get("fanzha_signin_name", "")
    password = st.session_state.get("fanzha_signin_password", "")
    st.session_state["fanzha_signin_password"] = ""  # never kept, never shown again
    _attempt(name, password)


def sign_in_page() -> None:
    """The sign-in form (and the single sign-on button when a provider is configured)."""
    st.title(TITLE)
    st.subheader("登录")
    notice = st.session_state.pop(NOTICE, None)
    if notice:
        st.error(notice)
    with st.form("fanzha_signin"):
        st.text_input("用户名", key="fanzha_signin_name", autocomplete="username")
        st.text_input("密码", type="password", key="fanzha_signin_password", autocomplete="current-password")
        st.form_submit_button("登录", type="primary", on_click=_on_submit)
    provider = oidc_provider()
    if provider is not None:
        st.divider()
        if st.button("使用统一身份认证登录"):
            st.login(provider or None)
    st.caption("账户由区委政法委系统管理员开通。连续5次登录失败将锁定账户15分钟；8小时未操作需重新登录。")


def require(all_pages: Callable[[], list[st.Page]]) -> Grant:
    """The signed-in grant; otherwise draw the sign-in page and stop the run.

    `all_pages()` gives every page of the app: they are registered (hidden, never run) while signed out, so a
    shared link's page and filters are still the ones shown after signing in.
    """
    grant = current()
    if grant is not None:
        return grant
    st.navigation(all_pages(), position="hidden")
    sign_in_page()
    st.stop()
    raise AssertionError("unreachable")  # st.stop() raises


def account_sidebar(grant: Grant) -> None:
    """Who is signed in, and the 退出登录 button."""
    covered = "、".join(units.names(grant.units)) if grant.units else "全区"
    st.sidebar.markdown(f"**{grant.user}** · {ROLE_LABELS.get(grant.role, grant.role)}")
    st.sidebar.caption(f"范围：{covered}")
    if st.sidebar.button("退出登录", key="fanzha_signout"):
        single_sign_on = st.session_state.get(METHOD) == "oidc"
        end_session("user")
        if single_sign_on:
            st.stop()  # the browser is on its way to the provider's logout: a rerun could drop that redirect
        st.rerun()
