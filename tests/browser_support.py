"""Signing in from the browser tests, and what a page sent: shared by test_browser_scope.py and the load test.

`sign_in(page, user, password)` fills the sign-in page of the auth branch (用户名, 密码, 登录). Until that branch
is merged there is no sign-in page: `auth_available()` is False and the tests serve the TEST-ONLY entry point
tests/apps/scope_harness.py instead, which takes the user's grant from `?as=NAME` (never served in production).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from conftest import fanzha_env

from fanzha import dashboard_command

REPO = Path(__file__).resolve().parent.parent
HARNESS = REPO / "tests" / "apps" / "scope_harness.py"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
TIMEOUT_MS = 60_000


@dataclass(frozen=True)
class User:
    name: str  # also the harness's user name (tests/apps/scope_harness.py)
    role: str
    units: tuple[str, ...]
    password: str = "Fanzha-test-口令-2024!"


def auth_available(home: Path) -> bool:
    """True when `fanzha users` exists (the auth branch is merged): then the tests sign in for real."""
    result = subprocess.run([sys.executable, "-m", "fanzha.cli", "users", "list"], env=fanzha_env(home),
                            capture_output=True, text=True, timeout=120)
    return result.returncode == 0


def add_users(home: Path, users: Iterable[User], *, real_sign_in: bool, test_dir: Path | None = None) -> None:
    """Create the test users: `fanzha users add` (real sign-in), else the harness's test-users.json in
    `test_dir` (default: the data home)."""
    users = list(users)
    if real_sign_in:
        for user in users:
            add_user(home, user)
    else:
        (test_dir or home).mkdir(parents=True, exist_ok=True)
        ((test_dir or home) / "test-users.json").write_text(json.dumps({u.name: {"role": u.role, "units": list(u.units)}
                                                          for u in users}), encoding="utf-8")


def add_user(home: Path, user: User) -> None:
    """`fanzha users add NAME --role ROLE [--unit UNIT ...] --password-stdin`."""
    units = [arg for unit in user.units for arg in ("--unit", unit)]
    subprocess.run([sys.executable, "-m", "fanzha.cli", "users", "add", user.name, "--role", user.role, *units,
                    "--password-stdin"], input=user.password + "\n", env=fanzha_env(home), capture_output=True,
                   text=True, timeout=120, check=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serve(home: Path, *, real_sign_in: bool, test_dir: Path | None = None) -> Iterator[str]:
    """The dashboard of `home` on 127.0.0.1: `fanzha dashboard`'s app, or the test-only harness before sign-in
    (its users and audit file in `test_dir`, default the data home)."""
    port = free_port()
    if real_sign_in:
        proc = dashboard_command.start(home, port, "127.0.0.1", quiet=True)
    else:
        command = [str(HARNESS) if part == str(dashboard_command.APP) else part
                   for part in dashboard_command.streamlit_command(port, "127.0.0.1")]
        env = {**fanzha_env(home), "FANZHA_TEST_HARNESS": "1", "FANZHA_TEST_DIR": str(test_dir or home),
               "PYTHONPATH": str(REPO)}
        proc = subprocess.Popen(command, env=env, cwd=str(REPO), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        dashboard_command.wait_ready(proc, "127.0.0.1", port)
        yield f"http://127.0.0.1:{port}"
    finally:
        dashboard_command.stop(proc)


def settle(page: object) -> None:
    """Wait until Streamlit has finished running the script."""
    page.wait_for_load_state("networkidle")  # type: ignore[attr-defined]
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="detached", timeout=TIMEOUT_MS)  # type: ignore[attr-defined]


def rerun_done(page: object) -> None:
    """Wait for the rerun a widget callback started (its status widget may take a moment to appear)."""
    status = page.locator('[data-testid="stStatusWidget"]')  # type: ignore[attr-defined]
    with contextlib.suppress(Exception):  # the rerun may be over before we look
        status.wait_for(state="attached", timeout=3_000)
    status.wait_for(state="detached", timeout=TIMEOUT_MS)


def sign_in(page: object, user: str, password: str) -> None:
    """Fill the sign-in page (用户名, 密码) and press 登录; returns once the form is gone."""
    page.get_by_label("用户名").fill(user)  # type: ignore[attr-defined]
    page.get_by_label("密码").fill(password)  # type: ignore[attr-defined]
    page.get_by_role("button", name="登录").click()  # type: ignore[attr-defined]
    page.get_by_label("密码").wait_for(state="detached", timeout=TIMEOUT_MS)  # type: ignore[attr-defined]


def open_as(page: object, base: str, path: str, user: User, *, real_sign_in: bool, **params: str) -> None:
    """Open `base/path?params` as `user`: signing in when the page asks (real), or naming the user (harness)."""
    query = dict(params) if real_sign_in else {**params, "as": user.name}
    url = f"{base}/{path}" + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
    page.goto(url)  # type: ignore[attr-defined]
    if real_sign_in:
        form = page.get_by_label("密码")  # type: ignore[attr-defined]
        try:
            form.wait_for(timeout=5_000)
        except Exception:  # noqa: BLE001 — already signed in in this context: no form
            asked = False
        else:
            asked = True
        if asked:
            sign_in(page, user.name, user.password)
    page.locator("h1").first.wait_for(timeout=TIMEOUT_MS)  # type: ignore[attr-defined]
    settle(page)


def page_text(page: object) -> str:
    """The page's visible text and every frame's document (the notice preview is an iframe)."""
    parts = [page.locator("body").inner_text()]  # type: ignore[attr-defined]
    for frame in page.frames[1:]:  # type: ignore[attr-defined]
        parts.append(frame.content())
    return "\n".join(parts)


def download_text(path: Path) -> str:
    """The text of a downloaded CSV, HTML, XLSX or DOCX file."""
    data = path.read_bytes()
    if data[:2] == b"PK" and path.suffix == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data), read_only=True)
        return " ".join(str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row
                        if c is not None)
    if data[:2] == b"PK" and path.suffix == ".docx":
        import docx

        document = docx.Document(io.BytesIO(data))
        cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
        return " ".join([p.text for p in document.paragraphs] + cells)
    return data.decode("utf-8-sig")


def artifacts() -> Path:
    path = Path(os.environ.get("FANZHA_TEST_ARTIFACTS", REPO / "test-artifacts"))
    path.mkdir(exist_ok=True)
    return path
